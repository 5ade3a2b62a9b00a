"""The three roles as groups: Sales rep, Manager, Admin, with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REP_PERMS = {
    "leads": [
        "view_lead",
        "change_lead",
        "add_lead",
        "view_company",
        "change_company",
        "add_company",
        "view_contact",
        "change_contact",
        "add_contact",
        "view_contactchannel",
        "add_contactchannel",
        "change_contactchannel",
    ],
    "followups": [
        "view_activity",
        "add_activity",
        "view_followuptask",
        "add_followuptask",
        "change_followuptask",
        "view_offer",
        "view_messagetemplate",
    ],
    "channels_ref": ["view_channel", "view_countrychannelrank"],
}
MANAGER_EXTRA = {
    "leads": ["delete_lead", "view_backgroundjob", "view_industry", "view_industrykeyword"],
    "followups": [
        "add_offer",
        "change_offer",
        "delete_offer",
        "add_messagetemplate",
        "change_messagetemplate",
    ],
}
ADMIN_EXTRA = {
    "leads": [
        "add_industry",
        "change_industry",
        "delete_industry",
        "add_industrykeyword",
        "change_industrykeyword",
        "delete_industrykeyword",
        "view_keywordchange",
    ],
    "channels_ref": [
        "add_channel",
        "change_channel",
        "add_countrychannelrank",
        "change_countrychannelrank",
        "delete_countrychannelrank",
    ],
}


def _perms(apps, spec):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, codenames in spec.items():
        found += list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    return found


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        if getattr(app_config, "models_module", None) is None:  # migration state: pretend each app has models, just for this
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None
        else:
            create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    rep, _ = Group.objects.get_or_create(name="Sales rep")
    manager, _ = Group.objects.get_or_create(name="Manager")
    admin, _ = Group.objects.get_or_create(name="Admin")
    rep.permissions.set(_perms(apps, REP_PERMS))
    manager.permissions.set(_perms(apps, REP_PERMS) + _perms(apps, MANAGER_EXTRA))
    admin.permissions.set(_perms(apps, REP_PERMS) + _perms(apps, MANAGER_EXTRA) + _perms(apps, ADMIN_EXTRA))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Sales rep", "Manager", "Admin"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0001_initial"),
        ("followups", "0001_initial"),
        ("channels_ref", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
