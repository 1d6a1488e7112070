"""docs/deadline-rules.md is the default rules, row by row: the table there is what the rules say, and each
row of DOMAIN.md section 6 has its rule (the "DOMAIN.md row" column)."""

from pathlib import Path

import pytest

from deadlines.models import DeadlineRule
from referrals.models import Hulpvorm, Route

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "deadline-rules.md"

# DOMAIN.md section 6, its rows by their code there -> the default rules that implement them.
DOMAIN_ROWS = {
    "aanmeldgesprek": ["aanmeldgesprek"],
    "start jeugdhulp": ["start-jeugdhulp"],
    "beschikking": ["beschikking"],
    "perspectiefplan start": ["perspectiefplan-start"],
    "perspectiefplan gereed": ["perspectiefplan-gereed"],
    "escalatie gesprek": ["escalatie-gesprek"],
    "escalatie commitment": ["escalatie-commitment"],
    "lichte hulp na afsluiting": ["lichte-hulp-na-afsluiting"],
    "antwoord op JW315": ["antwoord-jw315", "definitief-antwoord-jw315"],
    "antwoord op JW317": ["antwoord-jw317", "definitief-antwoord-jw317"],
    "retourbericht": ["retourbericht"],
    "start / stop melden": ["start-melden", "stop-melden"],
}


def _row(rule: DeadlineRule, domain_row: str) -> str:
    routes = ", ".join(Route(r).label for r in rule.routes) or "every route"
    if rule.excluded_hulpvormen:
        routes += "; not for " + ", ".join(Hulpvorm(h).label.lower() for h in rule.excluded_hulpvormen)
    if rule.max_age_at_start:
        routes += f"; younger than {rule.max_age_at_start // 12} at the start"
    met = " or ".join(f"`{k}`" for k in rule.meeting_events)
    return (
        f"| {rule.code} | {domain_row} | {rule.duration_text} | `{rule.start_event}` | {met} | {routes} | "
        f"{', '.join(rule.reminded())} | {', '.join(rule.warned_on_breach())} | {rule.source} |"
    )


def rendered_table() -> str:
    domain_of = {code: row for row, codes in DOMAIN_ROWS.items() for code in codes}
    lines = [
        "| rule | DOMAIN.md row | due | clock starts | met by | applies to | reminded before | warned after | source |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [_row(rule, domain_of.get(rule.code, "")) for rule in DeadlineRule.objects.order_by("code")]
    return "\n".join(lines)


def test_the_documented_table_is_the_default_rules_row_by_row():
    table = rendered_table()
    assert table in DOC.read_text(encoding="utf-8"), "docs/deadline-rules.md is out of date; its table is:\n" + table


def test_every_row_of_domain_md_has_its_rule_and_every_rule_its_row():
    codes = set(DeadlineRule.objects.values_list("code", flat=True))
    assert {code for codes_ in DOMAIN_ROWS.values() for code in codes_} == codes
