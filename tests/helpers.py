"""Shared helpers for the intake (aanmeldfase) test modules: a fixed clock, users per role, counts, and
a small HTML reader to look at what a user sees in a rendered page."""

import html
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from accounts.models import Organisation
from referrals.models import Case, CaseDocument, CaseEvent, Gezin, Jeugdige
from tests import factories

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A Tuesday in March, well away from leap days and DST switches; every date in the tests follows from it.
NOW = datetime(2026, 3, 10, 11, 0, tzinfo=AMSTERDAM)
TODAY = NOW.date()

# Users are made by the dozen; the production hasher would spend most of the run on PBKDF2.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

ALL_ROLES = [
    "toegang_medewerker",
    "gedragswetenschapper",
    "aanmeldpunt",
    "regievoerder",
    "manager_crossroads",
    "manager_gemeente",
    "backoffice",
    "functioneel_beheerder",
    "privacy_officer",
]


def roles_except(*allowed: str) -> list[str]:
    """Every role but the ones allowed: the roles a refusal test must cover."""
    return [role for role in ALL_ROLES if role not in allowed]


def years_ago(years: int, day=None):
    day = day or TODAY
    return day.replace(year=day.year - years)


def make_user(role: str, *, gem: Organisation | None = None, partner_org: Organisation | None = None):
    """A user with `role` in the organisation such a person works for (as in the demo users)."""
    gem = gem or factories.gemeente()
    if role in ("toegang_medewerker", "gedragswetenschapper"):
        org = factories.toegang_team(gem)
    elif role in ("aanmeldpunt", "manager_crossroads", "functioneel_beheerder", "privacy_officer"):
        org = factories.crossroads()
    elif role == "regievoerder":
        org = partner_org or factories.partner()
    else:  # manager_gemeente, backoffice
        org = gem
    return factories.UserFactory(role=role, organisation=org)


def counts() -> dict[str, int]:
    """What a registration or upload could store."""
    return {
        "gezin": Gezin.objects.count(),
        "jeugdige": Jeugdige.objects.count(),
        "case": Case.objects.count(),
        "event": CaseEvent.objects.count(),
        "document": CaseDocument.objects.count(),
    }


def phase_in_db(case: Case) -> str:
    return Case.objects.values_list("phase", flat=True).get(pk=case.pk)


def event_ids(case: Case) -> set[int]:
    return set(CaseEvent.objects.filter(case=case).values_list("pk", flat=True))


def new_events(case: Case, before: set[int]) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case).exclude(pk__in=before).select_related("actor"))


def text(response) -> str:
    """The page as a reader sees it: entities decoded."""
    return html.unescape(response.content.decode())


class _PageReader(HTMLParser):
    """Collects form values by name, the text of each element with an id, and links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self.by_id: dict[str, str] = {}
        self.links: list[tuple[str, str]] = []
        self._open: list[tuple[str, str | None, list[str]]] = []  # (tag, id, text parts)
        self._select: str | None = None
        self._option: tuple[str, bool] | None = None
        self._textarea: str | None = None
        self._link: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind != "file":
                self.values.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            self._option = (a.get("value", ""), "selected" in a)
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values.setdefault(self._textarea, []).append("")
        elif tag == "a":
            self._link = a.get("href", "")
            self._link_text = []
        if tag not in ("input", "br", "img", "meta", "link", "hr"):
            self._open.append((tag, a.get("id"), []))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "option" and self._option:
            value, selected = self._option
            if selected:
                self.values.setdefault(self._select, []).append(value)
            self._option = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._link, " ".join("".join(self._link_text).split())))
            self._link = None
        # close up to the matching open tag
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                closed = self._open[i:]
                del self._open[i:]
                for _tag, ident, parts in reversed(closed):
                    content = "".join(parts)
                    if ident:
                        self.by_id[ident] = " ".join(content.split())
                    if self._open:
                        self._open[-1][2].append(content)
                break

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data.lstrip("\n") if not self.values[self._textarea][-1] else data
        if self._link is not None:
            self._link_text.append(data)
        if self._open:
            self._open[-1][2].append(data)


def read_page(response) -> _PageReader:
    reader = _PageReader()
    reader.feed(response.content.decode())
    reader.close()
    return reader


def field_error(response, field_id: str) -> str:
    """The error text shown at a form field (templates/includes/field.html: `<id>_error`)."""
    return read_page(response).by_id.get(f"{field_id}_error", "")


def value_of(response, name: str) -> str:
    values = read_page(response).values.get(name, [])
    return values[0] if values else ""


DEFAULT_RULE_MIGRATIONS = [
    ("0002_default_rules", "add_rules"),
    ("0006_remaining_default_rules", "add_rules"),
    ("0010_rules_by_route_and_recipient", "apply"),
]


def ensure_default_rules() -> None:
    """The deadline rules come from data migrations; a transactional test elsewhere may have flushed them."""
    import importlib

    from django.apps import apps

    for migration, step in DEFAULT_RULE_MIGRATIONS:
        getattr(importlib.import_module(f"deadlines.migrations.{migration}"), step)(apps, None)
