"""Generated input to every form and every step never gives a 500 (hypothesis).

Each form is read from its page (the field names and the choices offered), then posted again and again
with generated values: text of any kind, numbers, dates in every shape, markup, huge values, several
values for one field, missing fields, files of random bytes. A URL of the product is either fuzzed here
or listed in NO_FORM; a new URL fails `test_every_url_is_fuzzed_or_has_no_form` with the line to add.
"""

import os
import re
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordination import services as coordination_services
from coordination.models import required_consent_giver
from deadlines import services as deadline_services
from deadlines.models import Deadline
from messaging import services as messaging_services
from messaging.models import Toewijzing
from referrals import services as referral_services
from tests import factories
from tests.factories import build_care_case, build_case
from tests.messaging.traffic import ADRES, refused_request, request_input
from tests.security.urlconf import all_urls

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))  # e.g. FUZZ_EXAMPLES=500 for a long hunt


@dataclass(frozen=True)
class Target:
    url_name: str
    role: str  # who posts ("anonymous" for the login page)
    case: str | None = None  # which case of the fuzz world (see `cases`)
    step: str | None = None  # the transition name, for referrals:transition
    method: str = "post"
    fields: tuple[str, ...] | None = None  # for a POST-only URL: the fields its caller sends (() for none)
    form_on: str | None = None  # the page that shows this URL's form, when that is another URL
    params: tuple[tuple[str, str], ...] = ()  # further URL parameters with a fixed value (subject, kind)
    refs: tuple[tuple[str, str], ...] = ()  # URL parameters naming an object of the case (see `REFS`)
    buttons: tuple[tuple[str, tuple[str, ...]], ...] = ()  # submit buttons with a name, and their values


TARGETS = {
    "accounts:login": Target("accounts:login", "anonymous"),
    "accounts:otp_verify": Target("accounts:otp_verify", "otp_user"),
    "accounts:otp_setup": Target("accounts:otp_setup", "toegang_medewerker"),
    "accounts:directory": Target("accounts:directory", "aanmeldpunt", method="get"),
    "referrals:case_list": Target("referrals:case_list", "aanmeldpunt", method="get"),
    "referrals:case_new": Target("referrals:case_new", "toegang_medewerker"),
    "referrals:case_new (aanmeldpunt)": Target("referrals:case_new", "aanmeldpunt"),
    "referrals:segment_check": Target(
        "referrals:segment_check",
        "toegang_medewerker",
        fields=("prefix", "jeugdige-0-uren_begeleiding", "jeugdige-0-uren_behandeling", "jeugdige-0-producten"),
    ),
    "referrals:ipva": Target("referrals:ipva", "toegang_medewerker", "voorbereid"),
    "referrals:phone_consultation": Target("referrals:phone_consultation", "toegang_medewerker", "voorbereid"),
    "referrals:document_new": Target("referrals:document_new", "aanmeldpunt", "aanmeld"),
    "referrals:plan_aanmeldgesprek": Target("referrals:plan_aanmeldgesprek", "aanmeldpunt", "aanmeld"),
    "referrals:aanmeldgesprek_gehouden": Target("referrals:aanmeldgesprek_gehouden", "aanmeldpunt", "gepland"),
    "referrals:advies": Target("referrals:advies", "aanmeldpunt", "gehouden"),
    "referrals:zorg_gestart": Target("referrals:zorg_gestart", "regievoerder", "hulpverlenend"),
    "referrals:overbrugging": Target("referrals:overbrugging", "aanmeldpunt", "aanmeld"),
    "referrals:meldcode": Target("referrals:meldcode", "regievoerder", "in_zorg"),
    "referrals:transition aanmelden": Target("referrals:transition", "toegang_medewerker", "voorbereid", "aanmelden"),
    "referrals:transition aanmelden (aanmeldpunt)": Target(
        "referrals:transition", "aanmeldpunt", "voorbereid_ap", "aanmelden"
    ),
    "referrals:transition start_hulpverlening": Target(
        "referrals:transition", "aanmeldpunt", "advies", "start_hulpverlening"
    ),
    "referrals:transition terugverwijzen": Target(
        "referrals:transition", "aanmeldpunt", "advies_niet_segment1", "terugverwijzen"
    ),
    "referrals:transition voortijdig_beeindigen": Target(
        "referrals:transition", "regievoerder", "hulpverlenend", "voortijdig_beeindigen"
    ),
    "coordination:request": Target("coordination:request", "aanmeldpunt", "medisch"),
    "privacy:access_log": Target("privacy:access_log", "privacy_officer", method="get"),
    "privacy:access_log_csv": Target(
        "privacy:access_log_csv", "privacy_officer", method="get", form_on="privacy:access_log"
    ),
    # The hulpverlenende and afrondende fase (referrals/care_views.py).
    "referrals:behandelplan": Target("referrals:behandelplan", "regievoerder", "in_zorg"),
    "referrals:evaluatie": Target("referrals:evaluatie", "regievoerder", "in_zorg"),
    "referrals:signaal": Target("referrals:signaal", "regievoerder", "in_zorg"),
    "referrals:signaal_oppakken": Target(
        "referrals:signaal_oppakken", "toegang_medewerker", "in_zorg", refs=(("signaal_id", "signaal"),)
    ),
    "referrals:perspectiefplan_crisis": Target("referrals:perspectiefplan_crisis", "toegang_medewerker", "crisis"),
    "referrals:resultaten_bereikt": Target("referrals:resultaten_bereikt", "regievoerder", "in_zorg"),
    "referrals:resultaten_bereikt (coördinator)": Target(
        "referrals:resultaten_bereikt", "toegang_medewerker", "in_zorg"
    ),
    "referrals:eindevaluatie": Target("referrals:eindevaluatie", "regievoerder", "afrondend"),
    "referrals:vervolg": Target("referrals:vervolg", "regievoerder", "afrondend"),
    "referrals:einddatum": Target("referrals:einddatum", "regievoerder", "afrondend"),
    "referrals:einddatum (coördinator)": Target("referrals:einddatum", "toegang_medewerker", "afrondend"),
    "referrals:lichte_hulp_gestopt": Target("referrals:lichte_hulp_gestopt", "regievoerder", "lichte_hulp"),
    "referrals:vervanging": Target("referrals:vervanging", "regievoerder", "in_zorg"),
    "referrals:vervanging (coördinator)": Target("referrals:vervanging", "toegang_medewerker", "in_zorg"),
    "referrals:regievoerder": Target("referrals:regievoerder", "regievoerder", "in_zorg"),
    "referrals:regievoerder (aanmeldpunt)": Target("referrals:regievoerder", "aanmeldpunt", "in_zorg"),
    "referrals:beschikking": Target("referrals:beschikking", "aanmeldpunt", "in_zorg"),
    "referrals:perspectiefplan": Target("referrals:perspectiefplan", "regievoerder", "in_zorg_16"),
    "referrals:gi_bepaling": Target("referrals:gi_bepaling", "aanmeldpunt", "gi_anders"),
    "referrals:gi_bepaling (backoffice)": Target("referrals:gi_bepaling", "backoffice", "gi_anders"),
    # A letter to the family recorded as sent (the care case has an address: the form is shown).
    "referrals:letter_sent": Target(
        "referrals:letter_sent", "toegang_medewerker", "in_zorg", params=(("kind", "brief-coordinator"),)
    ),
    # Letters as PDF (referrals/letter_views.py): the button that stores one (no beschikking yet: refused).
    "referrals:letter_store": Target(
        "referrals:letter_store", "aanmeldpunt", "in_zorg", fields=(), params=(("kind", "beschikking"),)
    ),
    # Coordination, consent, sharing and escalation (coordination/views.py).
    "coordination:assign": Target("coordination:assign", "toegang_medewerker", "in_zorg"),
    "coordination:level opschalen": Target("coordination:level", "toegang_medewerker", "in_zorg", "opschalen"),
    "coordination:level vaststellen_zwaar": Target(
        "coordination:level", "toegang_medewerker", "in_zorg", "vaststellen_zwaar"
    ),
    "coordination:consent": Target("coordination:consent", "toegang_medewerker", "in_zorg"),
    "coordination:consent (aanmeldpunt)": Target("coordination:consent", "aanmeldpunt", "in_zorg"),
    "coordination:consent_withdraw": Target(
        "coordination:consent_withdraw", "toegang_medewerker", "in_zorg", refs=(("consent_id", "consent"),)
    ),
    "coordination:share ipva_delen": Target(
        "coordination:share", "toegang_medewerker", "in_zorg", fields=(), params=(("subject", "ipva_delen"),)
    ),
    "coordination:share wat_advies_delen": Target(
        "coordination:share", "aanmeldpunt", "in_zorg", fields=(), params=(("subject", "wat_advies_delen"),)
    ),
    "coordination:escalation": Target("coordination:escalation", "regievoerder", "in_zorg"),
    "coordination:escalation_talk": Target(
        "coordination:escalation_talk", "regievoerder", "in_zorg", refs=(("escalation_id", "escalation"),)
    ),
    "coordination:escalation_commitment": Target(
        "coordination:escalation_commitment", "regievoerder", "in_zorg", refs=(("escalation_id", "talked"),)
    ),
    # Message traffic (messaging/views.py).
    "messaging:jw315_new": Target(
        "messaging:jw315_new", "aanmeldpunt", "in_zorg", buttons=(("actie", ("voorbeeld", "concept", "verzenden")),)
    ),
    "messaging:jw315_new (regievoerder)": Target(
        "messaging:jw315_new", "regievoerder", "in_zorg", buttons=(("actie", ("voorbeeld", "concept", "verzenden")),)
    ),
    "messaging:jw305_new": Target("messaging:jw305_new", "regievoerder", "toegewezen"),
    "messaging:jw317_new": Target("messaging:jw317_new", "regievoerder", "toegewezen"),
    "messaging:jw307_new": Target("messaging:jw307_new", "regievoerder", "gestart"),
    "messaging:manual": Target("messaging:manual", "aanmeldpunt", "geen_bsn"),
    "messaging:traffic": Target("messaging:traffic", "aanmeldpunt", method="get"),
    "messaging:traffic (backoffice)": Target("messaging:traffic", "backoffice", method="get"),
    "messaging:import": Target("messaging:import", "aanmeldpunt"),
    "messaging:send": Target("messaging:send", "aanmeldpunt", "in_zorg", fields=(), refs=(("message_id", "concept"),)),
    "messaging:correct": Target(
        "messaging:correct",
        "aanmeldpunt",
        "in_zorg",
        refs=(("message_id", "afgewezen"),),
        buttons=(("actie", ("voorbeeld", "verzenden")),),
    ),
    "messaging:accept": Target("messaging:accept", "backoffice", "in_zorg", refs=(("message_id", "verzoek"),)),
    "messaging:refuse": Target("messaging:refuse", "backoffice", "in_zorg", refs=(("message_id", "verzoek"),)),
    "messaging:bepaling_jw301": Target(
        "messaging:bepaling_jw301", "backoffice", "gi_anders", refs=(("bepaling_id", "bepaling"),)
    ),
    "messaging:lopend_new": Target("messaging:lopend_new", "aanmeldpunt", "in_zorg"),
    "messaging:lopend_end": Target("messaging:lopend_end", "backoffice", "in_zorg", refs=(("lopend_id", "lopend"),)),
    # Deadlines and the managers' dashboard (deadlines/views.py).
    "deadlines:dashboard": Target("deadlines:dashboard", "manager_crossroads", method="get"),
    "deadlines:dashboard (gemeente)": Target("deadlines:dashboard", "manager_gemeente", method="get"),
    "deadlines:dashboard_list": Target(
        "deadlines:dashboard_list",
        "manager_crossroads",
        method="get",
        form_on="deadlines:dashboard",
        params=(("kind", "verstreken"),),
    ),
    "deadlines:dashboard_list doorlooptijd": Target(
        "deadlines:dashboard_list",
        "manager_gemeente",
        method="get",
        form_on="deadlines:dashboard",
        params=(("kind", "doorlooptijd"),),
        buttons=(("maand", ("2026-03", "2026-13", "0000-01")), ("stap", ()), ("formaat", ("csv",))),
    ),
    "deadlines:notifications": Target("deadlines:notifications", "aanmeldpunt", fields=()),
    "deadlines:pause": Target(
        "deadlines:pause",
        "aanmeldpunt",
        "aanmeld",
        refs=(("pk", "deadline"),),
        buttons=(("action", ("opschorten", "hervatten")),),
    ),
    "deadlines:pause (opgeschort)": Target(
        "deadlines:pause",
        "aanmeldpunt",
        "aanmeld",
        refs=(("pk", "paused_deadline"),),
        fields=("reason",),  # the page of a paused deadline shows only the button "Termijn hervatten"
        buttons=(("action", ("opschorten", "hervatten")),),
    ),
    "deadlines:extend": Target("deadlines:extend", "aanmeldpunt", "aanmeld", refs=(("pk", "deadline"),)),
    "referrals:jeugdige_wijzigen": Target("referrals:jeugdige_wijzigen", "toegang_medewerker", "in_zorg"),
    "referrals:jeugdige_wijzigen (ongeboren)": Target("referrals:jeugdige_wijzigen", "aanmeldpunt", "ongeboren"),
    "referrals:gezin_jeugdige_toevoegen": Target(
        "referrals:gezin_jeugdige_toevoegen",
        "toegang_medewerker",
        "aanmeld",
        refs=(("gezin_id", "gezin"),),
        buttons=(("jeugdige_toevoegen", ("1",)),),
    ),
}
# Pages without a form of their own (links, downloads, the logout button).
NO_FORM = {
    "route:/",
    "start",
    "accounts:logout",
    "referrals:case_detail",
    "referrals:document_download",
    "referrals:gezin",
    "referrals:letter_preview",  # a PDF, or back to the case page with the reason
    "referrals:letter_download",
    "referrals:letter_job",  # the progress of a document made in the background
    "privacy:avg_report",
    "coordination:case",
    "messaging:case_messages",
    "messaging:message_detail",  # its one button posts to messaging:send
    "messaging:download",
    "messaging:pdf",  # the message as a PDF, no form
}

WEIRD = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1,5",
    "1e309",
    "NaN",
    "99999999999999999999999",
    "2026-03-10",
    "10-03-2026",
    "2026-03-10T10:00",
    "10-03-2026 10:00",
    "31-02-2026",
    "0001-01-01",
    "9999-12-31",
    "S1-000001",
    "00000000-0000-0000-0000-000000000000",
    '<script>alert("x")</script>',
    "' OR 1=1 --",
    "\x00",
    "a" * 5000,
    "on",
    "true",
    "123456782",
]

TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60)


def value_strategy(choices: list[str]):
    one = st.one_of(
        st.sampled_from(WEIRD), TEXT, st.integers().map(str), *([st.sampled_from(choices)] if choices else [])
    )
    return st.one_of(one, st.lists(one, min_size=0, max_size=3), st.none())


def form_fields(html: str) -> dict[str, list[str]]:
    """Field names of the page's forms (the logout form aside) with the choices they offer."""
    main = html.split('<main id="inhoud"', 1)[1]
    fields: dict[str, list[str]] = {}
    for tag in re.findall(r"<(?:input|textarea|select)\b[^>]*>", main):
        name = re.search(r'\bname="([^"]+)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        fields.setdefault(name.group(1), [])
        if value and ('type="radio"' in tag or 'type="checkbox"' in tag or 'type="hidden"' in tag):
            fields[name.group(1)].append(value.group(1))
    for name, body in re.findall(r'<select\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', main, re.S):
        fields[name] = re.findall(r'<option value="([^"]*)"', body)
    return fields


class Cases(dict):
    """The cases of the fuzz world, each built by the real services when a target first asks for it."""

    def __init__(self, builders):
        super().__init__()
        self.builders = builders

    def __missing__(self, key):
        self[key] = self.builders[key]()
        return self[key]


@pytest.fixture
def fuzz_world(world, waalwijk):
    users = dict(world.users)
    toegang, ap, rv = users["toegang_medewerker"], users["aanmeldpunt"], users["regievoerder"]
    partner = world.own.regie_organisatie
    otp_user = factories.UserFactory(role="aanmeldpunt", organisation=ap.organisation, otp_required=True)
    TOTPDevice.objects.create(user=otp_user, name="app", confirmed=True)
    users["otp_user"] = otp_user
    today = timezone.localdate()
    # Letters to the family name how to reach the Toegang team.
    type(toegang.organisation).objects.filter(pk=toegang.organisation_id).update(phone="013 000 11 22")

    def stage(name, **kw):
        return lambda: build_case(stage=name, toegang_user=toegang, aanmeldpunt_user=ap, partner_org=partner, **kw)

    def care(name, **kw):
        return lambda: build_care_case(
            stage=name, regievoerder=rv, coordinator=toegang, aanmeldpunt_user=ap, **{**ADRES, **kw}
        )

    def toegewezen():
        case = care("in_zorg")()
        request = messaging_services.create_jw315(actor=ap, case=case, data=request_input())
        request = messaging_services.send_message(actor=ap, message=request)
        messaging_services.accept_jw315(
            actor=users["backoffice"],
            message=request,
            data=messaging_services.AcceptInput(ingangsdatum=today, einddatum=today + timedelta(days=180)),
        )
        return case

    def gestart():
        case = toegewezen()
        toewijzing = Toewijzing.objects.filter(case=case).get()
        messaging_services.send_jw305(actor=rv, case=case, toewijzing=toewijzing, begindatum=today)
        return case

    builders = {name: stage(name) for name in ("voorbereid", "aanmeld", "gepland", "gehouden", "advies")}
    builders["voorbereid_ap"] = lambda: build_case(stage="voorbereid", route="medisch_domein", aanmeldpunt_user=ap)
    builders["advies_niet_segment1"] = stage("advies", segment1=False)
    builders["hulpverlenend"] = lambda: world.own
    builders["medisch"] = lambda: build_case(
        stage="aanmeld", route="medisch_domein", aanmeldpunt_user=ap, toegang_user=toegang
    )
    builders.update({name: care(name) for name in ("in_zorg", "crisis", "afrondend")})
    builders["in_zorg_16"] = care("in_zorg", age_years=16)
    builders["lichte_hulp"] = care("afgesloten", lichte_hulp=True)
    builders["geen_bsn"] = care("in_zorg", bsn_status="geen_bsn")
    builders["ongeboren"] = stage("aanmeld", bsn_status="ongeboren", geboortedatum=today + timedelta(days=30))
    builders["toegewezen"] = toegewezen
    builders["gi_anders"] = lambda: build_case(
        stage="hulpverlenend",
        route="gi",
        verwijzer_type="gi_anders",
        verwijzer_organisatie="Stichting Jeugdbescherming Noord",
        aanmeldpunt_user=ap,
        partner_org=partner,
        **ADRES,
    )
    builders["gestart"] = gestart
    return users, Cases(builders)


def _escalation(users, case):
    return coordination_services.open_escalation(
        actor=users["regievoerder"], case=case, kind="proces", topic="urgentie", description="Niet eens."
    ).pk


def _talked(users, case):
    pk = _escalation(users, case)
    coordination_services.record_escalation_talk(
        actor=users["regievoerder"],
        case=case,
        escalation_id=pk,
        held_on=timezone.localdate(),
        participants="Beide managers",
        summary="Besproken.",
    )
    return pk


def _deadline(case):
    return Deadline.objects.get(case=case, rule__code="aanmeldgesprek")


def _paused_deadline(users, case):
    return deadline_services.pause_deadline(actor=users["aanmeldpunt"], deadline=_deadline(case), reason="Ziek.").pk


def _refused_request(users, case):
    """A JW315 of the case refused by the gemeente's JW316 (S329), imported by the aanmeldpunt."""
    parties = SimpleNamespace(aanmeldpunt=users["aanmeldpunt"])
    return refused_request(parties, case)


# Objects of a target's case that its URL names: built by the real services, as the people who make them.
REFS = {
    "signaal": lambda users, case: (
        referral_services.record_signaal(
            actor=users["regievoerder"], case=case, domein="wonen", beschrijving="Dreigende huisuitzetting."
        ).pk
    ),
    "consent": lambda users, case: (
        coordination_services.record_consent(
            actor=users["toegang_medewerker"],
            case=case,
            subject="ipva_delen",
            given_by=required_consent_giver(case.jeugdige.age_on(timezone.localdate())),
            given_on=timezone.localdate(),
        ).pk
    ),
    "escalation": _escalation,
    "talked": _talked,
    "concept": lambda users, case: (
        messaging_services.create_jw315(actor=users["aanmeldpunt"], case=case, data=request_input()).public_id
    ),
    "verzoek": lambda users, case: (
        messaging_services.send_message(
            actor=users["aanmeldpunt"],
            message=messaging_services.create_jw315(actor=users["aanmeldpunt"], case=case, data=request_input()),
        ).public_id
    ),
    "afgewezen": lambda users, case: _refused_request(users, case).public_id,
    "deadline": lambda users, case: _deadline(case).pk,
    "gezin": lambda users, case: case.jeugdige.gezin.public_id,
    "bepaling": lambda users, case: (
        referral_services.record_gi_bepaling(
            actor=users["aanmeldpunt"],
            case=case,
            kind="ots",
            bepaald_op=timezone.localdate(),
            einddatum=timezone.localdate() + timedelta(days=90),
            categorie="45",
        ).public_id
    ),
    "paused_deadline": _paused_deadline,
    "lopend": lambda users, case: (
        messaging_services.record_lopende_toewijzing(
            actor=users["aanmeldpunt"],
            case=case,
            data=messaging_services.LopendeToewijzingInput(
                aanbieder_naam="Jeugdhulp Zuid", sinds=timezone.localdate() - timedelta(days=100)
            ),
        ).public_id
    ),
}


def test_every_url_is_fuzzed_or_has_no_form():
    fuzzed = {t.url_name for t in TARGETS.values()}
    # The REST API is fuzzed against its OpenAPI description by schemathesis (tests/api/test_schema.py).
    names = {u.name for u in all_urls() if not u.route.startswith(("/beheer/", "/api/"))}
    missing = sorted(names - fuzzed - NO_FORM)
    assert not missing, (
        "tests/security/test_generated_input.py does not know these URLs. Add each to TARGETS, e.g.\n"
        + "\n".join(f'    "{n}": Target("{n}", "<role that may use it>", "<case stage or None>"),' for n in missing)
        + "\nor, when the page has no form, to NO_FORM."
    )


@pytest.mark.parametrize("key", sorted(TARGETS))
def test_generated_input_never_gives_a_500(key, fuzz_world):
    users, cases = fuzz_world
    target = TARGETS[key]
    client = Client()
    if target.role != "anonymous":
        client.force_login(users[target.role])
    params = {u.name: dict(u.params) for u in all_urls()}[target.url_name]
    kwargs = dict(target.params)
    if target.case:
        case = cases[target.case]
        if "public_id" in params:
            kwargs["public_id"] = case.public_id
        kwargs.update({name: REFS[ref](users, case) for name, ref in target.refs})
    if target.step:
        kwargs["name"] = target.step
    url = reverse(target.url_name, kwargs=kwargs)
    if target.fields is not None:
        fields = {name: [] for name in target.fields}
    else:
        page = client.get(reverse(target.form_on) if target.form_on else url)
        assert page.status_code == 200, f"{url}: {page.status_code}"
        fields = form_fields(page.content.decode())
        assert fields, f"no form fields found on {url}"
    for name, values in target.buttons:
        fields.setdefault(name, []).extend(values)
    strategies = {name: value_strategy(choices) for name, choices in fields.items()}
    if "bestand" in fields:
        strategies["bestand"] = st.builds(
            lambda name, content: SimpleUploadedFile(name or "x", content),
            st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00/\\"), max_size=40),
            st.binary(max_size=4000).map(lambda b: b if len(b) % 2 else b"%PDF-1.4\n" + b),
        )
    send = client.get if target.method == "get" else client.post

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries(strategies))
    def run(data):
        payload = {k: v for k, v in data.items() if v is not None}
        response = send(url, payload)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code < 500, (response.status_code, payload)

    run()


@pytest.mark.parametrize(
    ("url_name", "role", "field"),
    [
        ("referrals:case_list", "aanmeldpunt", "q"),
        ("privacy:access_log", "privacy_officer", "casus"),
        ("privacy:access_log_csv", "privacy_officer", "casus"),
    ],
)
@pytest.mark.parametrize("term", ["S1-²", "S1-١٢", "²", "S1-99999999999999999999", "S1-"])
def test_digits_of_other_scripts_are_no_case_number(client, world, url_name, role, field, term):
    """Found by the generated input: '²'.isdigit() is true, int('²') fails."""
    client.force_login(world.users[role])

    response = client.get(reverse(url_name), {field: term})
    if response.streaming:
        b"".join(response.streaming_content)

    assert response.status_code == 200
