"""The default rules checked against the seeds, route by route, for who meets them and who is warned
(DOMAIN.md section 6). A rule the region has already changed (its `warn` is no longer the old default) is
left as the region made it; the new rule for the final answer after "in onderzoek" is added once."""

from django.db import migrations

CARE_ROUTES = ["toegang", "medisch_domein", "overgangsclient", "lta"]

ESCALATION_LINES = {
    "also_remind": ["manager_gemeente", "coordinator", "regievoerder"],
    "also_warn_on_breach": ["manager_gemeente", "coordinator", "regievoerder"],
}

# code -> (fields the rule had by default, fields it gets)
CHANGES = {
    # Crossroads (the aanmeldpunt) makes the beschikking [HvB-STAP]; not on the GI route (the GI's bepaling
    # is the basis) and not for Jeugdzorgplus (gesloten behandelverblijf, 43A12: no beschikking).
    "beschikking": (
        {"warn": "toegang_medewerker"},
        {
            "warn": "aanmeldpunt",
            "routes": CARE_ROUTES,
            "excluded_hulpvormen": ["behandelverblijf_gesloten"],
            "also_warn_on_breach": ["manager_crossroads"],
            "source": "HvB-STAP Termijn, HvB-STAP Jeugdzorgplus",
        },
    ),
    "aanmeldgesprek": ({"warn": "aanmeldpunt"}, {"also_warn_on_breach": ["manager_crossroads"]}),
    # The regievoerder records the start of care; the aanmeldpunt watches the wait (overbruggingszorg).
    "start-jeugdhulp": (
        {"warn": "aanmeldpunt"},
        {"also_remind": ["regievoerder"], "also_warn_on_breach": ["regievoerder", "manager_crossroads"]},
    ),
    # Escalation runs in each side's own line [ZOU 4, HvB-QA 4]: both lines (the Crossroads and the gemeente
    # manager) are warned, and the coördinator and regievoerder who record the talk and the commitment.
    "escalatie-gesprek": ({"warn": "manager_crossroads"}, ESCALATION_LINES),
    "escalatie-commitment": ({"warn": "manager_crossroads"}, ESCALATION_LINES),
    # "In onderzoek" is an answer in time; the final answer follows within 8 weeks (the rule below).
    "antwoord-jw315": (
        {"warn": "backoffice"},
        {"also_met_by": ["jw315_in_onderzoek"], "also_warn_on_breach": ["manager_gemeente"]},
    ),
    # A message received (JW305, JW307) is received by the gemeente, whose backoffice sends the retour.
    "retourbericht": ({"warn": "aanmeldpunt"}, {"warn": "backoffice"}),
    "lichte-hulp-na-afsluiting": (
        {"warn": "regievoerder"},
        {"also_met_by": ["foa_vastgelegd"], "also_warn_on_breach": ["manager_crossroads"]},
    ),
    "perspectiefplan-gereed": ({"warn": "regievoerder"}, {"also_warn_on_breach": ["manager_crossroads"]}),
}

NEW_RULES = [
    {
        "code": "definitief-antwoord-jw315",
        "name": "Definitief antwoord op het verzoek om toewijzing binnen 8 weken na 'in onderzoek'",
        "start_event": "jw315_in_onderzoek",
        "met_by_event": "jw315_beantwoord",
        "amount": 8,
        "unit": "weeks",
        "remind_amount": 1,
        "remind_unit": "weeks",
        "warn": "backoffice",
        "also_warn_on_breach": ["manager_gemeente"],
        "source": "iJw OP274",
    }
]


def apply(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for code, (before, after) in CHANGES.items():
        DeadlineRule.objects.filter(code=code, **before).update(**after)
    for rule in NEW_RULES:
        DeadlineRule.objects.get_or_create(code=rule["code"], defaults=rule)


def revert(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(code__in=[r["code"] for r in NEW_RULES], deadlines__isnull=True).delete()
    DeadlineRule.objects.filter(code="beschikking", warn="aanmeldpunt").update(warn="toegang_medewerker")
    DeadlineRule.objects.filter(code="retourbericht", warn="backoffice").update(warn="aanmeldpunt")


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0009_rule_conditions_recipients_history")]

    operations = [migrations.RunPython(apply, revert)]
