"""The remaining default deadline rules of DOMAIN.md section 6, now that their events exist.
A region edits them in the admin; this migration only adds rules whose code is not there yet."""

from django.db import migrations

DEFAULT_RULES = [
    {
        "code": "perspectiefplan-start",
        "name": "Perspectiefplan 18-/18+ gestart bij 16 jaar",
        "start_event": "hulpverlening_gestart",
        "met_by_event": "perspectiefplan_gestart",
        "amount": 192,
        "unit": "age_years",
        "max_age_at_start": 192,
        "remind_amount": 8,
        "remind_unit": "weeks",
        "warn": "regievoerder",
        "source": "HvB-QA 3",
    },
    {
        "code": "perspectiefplan-gereed",
        "name": "Perspectiefplan 18-/18+ gereed bij 17,5 jaar",
        "start_event": "hulpverlening_gestart",
        "met_by_event": "perspectiefplan_gereed",
        "amount": 210,
        "unit": "age_years",
        "max_age_at_start": 192,
        "remind_amount": 8,
        "remind_unit": "weeks",
        "warn": "regievoerder",
        "source": "HvB-QA 3",
    },
    {
        "code": "escalatie-gesprek",
        "name": "Escalatiegesprek binnen 2 weken",
        "start_event": "escalatie_geopend",
        "met_by_event": "escalatie_gesprek",
        "amount": 2,
        "unit": "weeks",
        "remind_amount": 2,
        "remind_unit": "working_days",
        "warn": "manager_crossroads",
        "source": "ZOU 4",
    },
    {
        "code": "escalatie-commitment",
        "name": "Commitment binnen 5 werkdagen na het escalatiegesprek",
        "start_event": "escalatie_gesprek",
        "met_by_event": "escalatie_commitment",
        "amount": 5,
        "unit": "working_days",
        "remind_amount": 1,
        "remind_unit": "working_days",
        "warn": "manager_crossroads",
        "source": "ZOU 4",
    },
    {
        "code": "lichte-hulp-na-afsluiting",
        "name": "Lichte hulp na afsluiting hoogstens 3 maanden",
        "start_event": "lichte_hulp_doorlopend",
        "met_by_event": "lichte_hulp_gestopt",
        "amount": 3,
        "unit": "months",
        "survives_case_end": True,
        "remind_amount": 2,
        "remind_unit": "weeks",
        "warn": "regievoerder",
        "source": "HvB-WI 2.1",
    },
    {
        "code": "antwoord-jw315",
        "name": "Antwoord op het verzoek om toewijzing (JW315) binnen 5 werkdagen",
        "start_event": "jw315_ontvangen",
        "met_by_event": "jw315_beantwoord",
        "amount": 5,
        "unit": "working_days",
        "remind_amount": 1,
        "remind_unit": "working_days",
        "warn": "backoffice",
        "source": "iJw OP274",
    },
    {
        "code": "retourbericht",
        "name": "Retourbericht binnen 3 werkdagen",
        "start_event": "bericht_ontvangen",
        "met_by_event": "retour_verzonden",
        "amount": 3,
        "unit": "working_days",
        "survives_case_end": True,
        "remind_amount": 1,
        "remind_unit": "working_days",
        "warn": "aanmeldpunt",
        "source": "iJw OP090",
    },
    {
        "code": "start-melden",
        "name": "Start jeugdhulp melden (JW305) binnen 5 werkdagen",
        "start_event": "zorg_gestart",
        "met_by_event": "jw305_verzonden",
        "amount": 5,
        "unit": "working_days",
        "remind_amount": 1,
        "remind_unit": "working_days",
        "warn": "regievoerder",
        "source": "iJw OP011",
    },
    {
        "code": "stop-melden",
        "name": "Stop jeugdhulp melden (JW307) binnen 5 werkdagen",
        "start_event": "zorg_gestopt",
        "met_by_event": "jw307_verzonden",
        "amount": 5,
        "unit": "working_days",
        "survives_case_end": True,
        "remind_amount": 1,
        "remind_unit": "working_days",
        "warn": "regievoerder",
        "source": "iJw OP288",
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
    dependencies = [("deadlines", "0005_rule_conditions_and_deadline_ref")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
