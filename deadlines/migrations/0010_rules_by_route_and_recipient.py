"""The default rules checked against the seeds, route by route, for who meets them and who is warned
(DOMAIN.md section 6, docs/deadline-rules.md). Where a rule applies and what meets it follows from the code
and is always set; who is warned changes only where the region left the default as it was; the new rule for
the final answer after "in onderzoek" is added once."""

from django.db import migrations

CARE_ROUTES = ["toegang", "medisch_domein", "overgangsclient", "lta"]

ESCALATION_LINES = {
    "also_remind": ["manager_gemeente", "coordinator", "regievoerder"],
    "also_warn_on_breach": ["manager_gemeente", "coordinator", "regievoerder"],
}

# What follows from the code: where a rule applies and what meets it. Always applied, also to a rule the
# region edited, because the steps changed underneath it (no beschikking on the GI route or for
# Jeugdzorgplus; "in onderzoek" is now its own event).
FOLLOWS_FROM_CODE = {
    "beschikking": {"routes": CARE_ROUTES, "excluded_hulpvormen": ["behandelverblijf_gesloten"]},
    "antwoord-jw315": {"also_met_by": ["jw315_in_onderzoek"]},
    "lichte-hulp-na-afsluiting": {"also_met_by": ["foa_vastgelegd"]},
}

# Who is warned: code -> (the default the rule had, what it gets). Applied only where the region left the
# default as it was; a region that chose its own recipients keeps them.
RECIPIENTS = {
    # Crossroads (the aanmeldpunt) makes the beschikking [HvB-STAP].
    "beschikking": (
        {"warn": "toegang_medewerker"},
        {"warn": "aanmeldpunt", "also_warn_on_breach": ["manager_crossroads"]},
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
    "antwoord-jw315": ({"warn": "backoffice"}, {"also_warn_on_breach": ["manager_gemeente"]}),
    # A message received (JW305, JW307) is received by the gemeente, whose backoffice sends the retour.
    "retourbericht": ({"warn": "aanmeldpunt"}, {"warn": "backoffice"}),
    "lichte-hulp-na-afsluiting": ({"warn": "regievoerder"}, {"also_warn_on_breach": ["manager_crossroads"]}),
    "perspectiefplan-gereed": ({"warn": "regievoerder"}, {"also_warn_on_breach": ["manager_crossroads"]}),
}
SOURCES = {"beschikking": ("HvB-STAP Termijn", "HvB-STAP Termijn, HvB-STAP Jeugdzorgplus")}

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
    for code, fields in FOLLOWS_FROM_CODE.items():
        DeadlineRule.objects.filter(code=code).update(**fields)
    for code, (before, after) in RECIPIENTS.items():
        DeadlineRule.objects.filter(code=code, **before).update(**after)
    for code, (old, new) in SOURCES.items():
        DeadlineRule.objects.filter(code=code, source=old).update(source=new)
    for rule in NEW_RULES:
        DeadlineRule.objects.get_or_create(code=rule["code"], defaults=rule)


def revert(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(code__in=[r["code"] for r in NEW_RULES], deadlines__isnull=True).delete()
    for code, fields in FOLLOWS_FROM_CODE.items():
        DeadlineRule.objects.filter(code=code).update(**dict.fromkeys(fields, []))
    for code, (before, after) in RECIPIENTS.items():
        unchanged = {k: v for k, v in after.items() if k != "warn"}
        reset = {**dict.fromkeys((k for k in after if k != "warn"), []), **before}
        DeadlineRule.objects.filter(code=code, warn=after.get("warn", before["warn"]), **unchanged).update(**reset)
    for code, (old, new) in SOURCES.items():
        DeadlineRule.objects.filter(code=code, source=new).update(source=old)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0009_rule_conditions_recipients_history")]

    operations = [migrations.RunPython(apply, revert)]
