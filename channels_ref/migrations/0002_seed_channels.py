"""Seed the channel catalogue and the country rankings from the customer's research (and marked defaults)."""

from django.db import migrations

from channels_ref.catalogue import CATALOGUE
from channels_ref.seed_rankings import SEED_RANKINGS


def seed(apps, schema_editor):
    Channel = apps.get_model("channels_ref", "Channel")
    Rank = apps.get_model("channels_ref", "CountryChannelRank")
    channels = {}
    for kind, info in CATALOGUE.items():
        channels[kind], _ = Channel.objects.update_or_create(
            kind=kind.value,
            defaults={
                "label": info.label,
                "is_instant_messaging": info.is_instant_messaging,
                "is_active": not info.is_discontinued,
            },
        )
    for ranking in SEED_RANKINGS:
        country = ranking.country or ""
        for position, kind in enumerate(ranking.channels, start=1):
            Rank.objects.update_or_create(
                country=country,
                channel=channels[kind],
                defaults={"position": position, "is_default": ranking.is_default, "source": ranking.source},
            )


def unseed(apps, schema_editor):
    apps.get_model("channels_ref", "CountryChannelRank").objects.all().delete()
    apps.get_model("channels_ref", "Channel").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("channels_ref", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
