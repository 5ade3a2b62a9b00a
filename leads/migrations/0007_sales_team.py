"""Sales teams: groups of reps a manager reviews together; admins edit them."""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

TEAM_PERMS = ["add_salesteam", "change_salesteam", "delete_salesteam", "view_salesteam"]


def grant_admins(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the Admin group can hold them.
    app_config = apps.get_app_config("leads")
    if getattr(app_config, "models_module", None) is None:  # migration state: pretend, just for this
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    else:
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="leads", codename__in=TEAM_PERMS)
    for group in Group.objects.filter(name="Admin"):
        group.permissions.add(*permissions)
    for group in Group.objects.filter(name="Manager"):
        group.permissions.add(*permissions.filter(codename="view_salesteam"))


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0006_contact_reply_median"),
        ("leads", "0002_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SalesTeam",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, unique=True)),
                (
                    "members",
                    models.ManyToManyField(blank=True, related_name="sales_teams", to=settings.AUTH_USER_MODEL),
                ),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.RunPython(grant_admins, migrations.RunPython.noop),
    ]
