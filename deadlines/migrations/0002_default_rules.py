"""The default deadline rules of DOMAIN.md section 6 that can be built on events that exist now.
A region edits them in the admin; this migration only adds rules whose code is not there yet."""

from django.db import migrations

DEFAULT_RULES = [
    {
        "code": "aanmeldgesprek",
        "name": "Aanmeldgesprek binnen 2 weken",
        "start_event": "aangemeld",
        "met_by_event": "aanmeldgesprek_gehouden",
        "amount": 2,
        "unit": "weeks",
        "remind_amount": 2,
        "remind_unit": "working_days",
        "warn": "aanmeldpunt",
        "source": "HvB-WI fn 3",
    },
    {
        "code": "start-jeugdhulp",
        "name": "Start jeugdhulp binnen 6 weken",
        "start_event": "aangemeld",
        "met_by_event": "zorg_gestart",
        "amount": 6,
        "unit": "weeks",
        "remind_amount": 5,
        "remind_unit": "working_days",
        "warn": "aanmeldpunt",
        "source": "HvB-S1, HvB-WI fn 2",
    },
    {
        "code": "beschikking",
        "name": "Beschikking binnen 8 weken",
        "start_event": "aangemeld",
        "met_by_event": "beschikking_afgegeven",
        "amount": 8,
        "unit": "weeks",
        "remind_amount": 1,
        "remind_unit": "weeks",
        "warn": "toegang_medewerker",
        "source": "HvB-STAP Termijn",
    },
]


def add_rules(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for rule in DEFAULT_RULES:
        DeadlineRule.objects.get_or_create(code=rule["code"], defaults=rule)


def remove_rules(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(code__in=[r["code"] for r in DEFAULT_RULES], deadlines__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
