"""The gemeente answers a verzoek om wijziging (JW317) within 5 working days, as a JW315: with a JW301 or a
JW319; "in onderzoek" answers in time and starts the 8 weeks for the final answer [iJw OP274, OP344]."""

from django.db import migrations

NEW_RULES = [
    {
        "code": "antwoord-jw317",
        "name": "Antwoord op het verzoek om wijziging (JW317) binnen 5 werkdagen",
        "start_event": "jw317_ontvangen",
        "met_by_event": "jw317_beantwoord",
        "also_met_by": ["jw317_in_onderzoek"],
        "amount": 5,
        "unit": "working_days",
        "remind_amount": 1,
        "remind_unit": "working_days",
        "warn": "backoffice",
        "also_warn_on_breach": ["manager_gemeente"],
        "source": "iJw OP274",
    },
    {
        "code": "definitief-antwoord-jw317",
        "name": "Definitief antwoord op het verzoek om wijziging binnen 8 weken na 'in onderzoek'",
        "start_event": "jw317_in_onderzoek",
        "met_by_event": "jw317_beantwoord",
        "amount": 8,
        "unit": "weeks",
        "remind_amount": 1,
        "remind_unit": "weeks",
        "warn": "backoffice",
        "also_warn_on_breach": ["manager_gemeente"],
        "source": "iJw OP274",
    },
]


def apply(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for rule in NEW_RULES:
        DeadlineRule.objects.get_or_create(code=rule["code"], defaults=rule)


def revert(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(code__in=[r["code"] for r in NEW_RULES], deadlines__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0016_verzoek_om_wijziging_event_kinds")]

    operations = [migrations.RunPython(apply, revert)]
