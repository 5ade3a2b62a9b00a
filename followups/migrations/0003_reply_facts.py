"""Store each outbound message's first reply time, each message's buyer country and rep, and each contact's
median reply latency: the dashboard's reply facts (see followups.reply_stats). 0004 fills them in."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("followups", "0002_followups_shell"),
        ("leads", "0006_contact_reply_median"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="replied_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="activity",
            name="buyer_country",
            field=models.CharField(blank=True, editable=False, max_length=2),
        ),
        migrations.AddField(
            model_name="activity",
            name="rep",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                condition=models.Q(("direction", "out"), models.Q(("kind", "note"), _negated=True)),
                fields=["occurred_at"],
                include=["channel", "rep", "buyer_country", "replied_at", "lead"],
                name="activity_outbound_facts",
            ),
        ),
    ]
