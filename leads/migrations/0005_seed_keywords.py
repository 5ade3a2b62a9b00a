"""Seed the industry keyword lists (customer guidance plus end markets, in many languages) and the revision counter."""

from django.db import migrations

from leads.scoring.seed import INDUSTRIES, KEYWORDS


def seed(apps, schema_editor):
    Industry = apps.get_model("leads", "Industry")
    Keyword = apps.get_model("leads", "IndustryKeyword")
    Revision = apps.get_model("leads", "KeywordListRevision")
    by_slug = {}
    for spec in INDUSTRIES:
        by_slug[spec.slug], _ = Industry.objects.update_or_create(
            slug=spec.slug, defaults={"name": spec.name, "is_target": spec.is_target, "weight": spec.weight}
        )
    existing = set(Keyword.objects.values_list("industry__slug", "term", "language"))
    Keyword.objects.bulk_create(
        [
            Keyword(
                industry=by_slug[spec.industry_slug],
                term=spec.term,
                language=spec.language,
                weight=spec.weight,
                is_negative=spec.is_negative,
                match_mode=spec.match_mode.value,
            )
            for spec in KEYWORDS
            if (spec.industry_slug, spec.term, spec.language) not in existing
        ],
        batch_size=1000,
    )
    if not Revision.objects.exists():
        Revision.objects.create(revision=1)


def unseed(apps, schema_editor):
    apps.get_model("leads", "IndustryKeyword").objects.all().delete()
    apps.get_model("leads", "Industry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("leads", "0004_ingest")]
    operations = [migrations.RunPython(seed, unseed)]
