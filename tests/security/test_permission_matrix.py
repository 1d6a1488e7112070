"""The permission matrix, generated from the URLconf: every URL x every role x own case / another
organisation's case, with the answer each must get (DOMAIN.md section 9, need to know).

A URL without an entry fails the test with the line to add. An entry is one line per URL name:

    "app:name": page(200, privacy_officer=302),           # a page without a case in its URL
    "app:name": case_page(allowed={"aanmeldpunt"}),      # a page of one case; only these roles may act

`case_page` answers from who may see which case: a role outside `allowed` gets 403 on any case; a role
inside it gets `ok` on the case it may see and 404 on a case it may not (the case is not there for it).
Anonymous visitors are always sent to the login page. The beheerscherm (/beheer/) has its own rule
below: Django's admin, for staff only.
"""

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import ALL_ROLES
from tests.security.urlconf import all_urls

pytestmark = pytest.mark.django_db

ROLES = [*ALL_ROLES, "anonymous"]
# Who may open which case (DOMAIN.md section 9): the Toegang their gemeente's cases, the regievoerder those
# assigned to their organisation, the aanmeldpunt the coalition.
SEES_OWN = {"toegang_medewerker", "gedragswetenschapper", "aanmeldpunt", "regievoerder"}
SEES_OTHER = {"aanmeldpunt"}
# Who has which case in their lists and figures: also the managers, the gemeente's manager their gemeente's
# cases and Crossroads' manager the coalition. A manager acts on a deadline from the lists, but opens no
# case page, part or document of a case they are not on (none in this world).
LISTS_OWN = SEES_OWN | {"manager_crossroads", "manager_gemeente"}
LISTS_OTHER = SEES_OTHER | {"manager_crossroads"}
LOGIN = 302  # login_required: to the login page


@dataclass
class Entry:
    own: dict[str, int]
    other: dict[str, int] | None = None  # None: the URL names no case
    kwargs: dict[str, str] = field(default_factory=dict)


def page(ok: int = 200, anonymous: int = LOGIN, **per_role) -> Entry:
    """A URL without a case: `ok` for every role unless named otherwise. Other keywords are URL arguments."""
    kwargs = {k: v for k, v in per_role.items() if k not in ROLES}
    return Entry(own={role: per_role.get(role, ok) for role in ALL_ROLES} | {"anonymous": anonymous}, kwargs=kwargs)


def case_page(
    allowed: set[str] | None = None,
    ok: int = 200,
    every_case: bool = False,
    case_first: bool = False,
    listed: bool = False,
    anonymous: int = LOGIN,
    **kwargs: str,
) -> Entry:
    """A URL of one case. `allowed`: the roles whose permission the view checks first (None: no check);
    `every_case`: the allowed roles reach any case (not a case-content role); `case_first`: the view looks
    the case up before it checks the role, so a case the user cannot see is 404 for every role; `listed`:
    the URL acts on a row of the lists (a deadline), so who has the case in their lists reaches it."""
    own, other = (LISTS_OWN, LISTS_OTHER) if listed else (SEES_OWN, SEES_OTHER)

    def answer(role: str, sees: set[str]) -> int:
        if role == "anonymous":
            return anonymous
        if allowed is not None and role not in allowed:
            return 403 if (not case_first or role in sees) else 404
        return ok if every_case or role in sees else 404

    return Entry(
        own={role: answer(role, own) for role in ROLES},
        other={role: answer(role, other) for role in ROLES},
        kwargs=kwargs,
    )


def only(*roles: str, ok: int = 200) -> dict[str, int]:
    return {role: (ok if role in roles else 403) for role in ALL_ROLES}


CONSENT_ROLES = {"toegang_medewerker", "aanmeldpunt", "regievoerder"}
SENDERS = {"aanmeldpunt", "regievoerder"}
READERS_404 = {"aanmeldpunt": 404, "regievoerder": 404, "backoffice": 404}
NO_MESSAGE = "00000000-0000-4000-8000-000000000000"
LETTER_ROLES = {"toegang_medewerker", "aanmeldpunt", "regievoerder", "backoffice"}

MATRIX: dict[str, Entry] = {
    "route:/": page(302, anonymous=302),  # to the start page
    "start": page(200, privacy_officer=302),  # the privacy officer starts on the access log
    "accounts:login": page(302, anonymous=200),  # a logged-in user goes on to the start page
    "accounts:logout": page(405, anonymous=405),  # POST only
    "accounts:otp_verify": page(302),  # no app linked yet: to the setup page
    "accounts:otp_setup": page(200),
    "accounts:directory": page(200),  # the contact directory: every professional
    # Lists and searches are filtered in the selector; a role that sees no cases gets an empty list.
    "referrals:case_list": page(200),
    "referrals:case_new": page(**only("toegang_medewerker", "aanmeldpunt")),
    "referrals:segment_check": page(405),  # an HTMX fragment, POST only
    "referrals:case_detail": case_page(),
    "referrals:ipva": case_page({"toegang_medewerker"}),
    "referrals:phone_consultation": case_page({"toegang_medewerker"}),
    "referrals:document_new": case_page({"toegang_medewerker", "aanmeldpunt", "regievoerder"}),
    "referrals:document_download": case_page(),
    "referrals:plan_aanmeldgesprek": case_page({"aanmeldpunt"}),
    "referrals:aanmeldgesprek_gehouden": case_page({"aanmeldpunt"}),
    "referrals:advies": case_page({"aanmeldpunt"}),
    "referrals:zorg_gestart": case_page({"regievoerder"}),
    # While the care has not started: the aanmeldpunt, the Toegang and the regievoerende organisation.
    "referrals:overbrugging": case_page({"toegang_medewerker", "aanmeldpunt", "regievoerder"}),
    # The meldcode steps: the professionals who work on the case.
    "referrals:meldcode": case_page({"toegang_medewerker", "aanmeldpunt", "regievoerder"}),
    # The step page explains to those who may see the case why they cannot take the step.
    "referrals:transition": case_page(name="voortijdig_beeindigen"),
    "coordination:request": case_page({"aanmeldpunt", "regievoerder"}, case_first=True),
    # The hulpverlenende fase (the world's cases are hulpverlenend; care not yet started; the Toegang worker
    # who referred is their coördinator licht).
    "referrals:behandelplan": case_page({"regievoerder"}),
    "referrals:evaluatie": case_page({"regievoerder"}),
    "referrals:signaal": case_page({"regievoerder"}),
    "referrals:signaal_oppakken": case_page({"toegang_medewerker"}, ok=403, signaal_id="0"),  # no such signal
    # The coördinator; on a case without one the regievoerder or the aanmeldpunt.
    "referrals:perspectiefplan_crisis": case_page({"toegang_medewerker", "aanmeldpunt", "regievoerder"}, ok=403),
    "referrals:resultaten_bereikt": case_page({"regievoerder", "toegang_medewerker"}, ok=200),
    "referrals:eindevaluatie": case_page({"regievoerder"}, ok=403),  # not in the afrondende fase
    "referrals:vervolg": case_page({"regievoerder"}, ok=403),
    "referrals:einddatum": case_page({"regievoerder", "toegang_medewerker"}, ok=403),
    "referrals:lichte_hulp_gestopt": case_page({"regievoerder"}, ok=403),  # not closed with light help
    "referrals:vervanging": case_page({"regievoerder", "toegang_medewerker", "aanmeldpunt"}),
    "referrals:regievoerder": case_page({"regievoerder", "aanmeldpunt"}),
    "referrals:beschikking": case_page({"aanmeldpunt"}),
    # The world's cases are on the Toegang route: no GI-bepaling there.
    "referrals:gi_bepaling": case_page({"aanmeldpunt", "backoffice"}, ok=403),
    "referrals:perspectiefplan": case_page({"regievoerder"}, ok=403),  # the youth is 12
    "referrals:gezin": case_page(),
    # Correcting the youth's data: the Toegang of the case's gemeente and the aanmeldpunt; a sibling is added
    # to a family by who registers, when they see one of its cases.
    "referrals:jeugdige_wijzigen": case_page({"toegang_medewerker", "aanmeldpunt"}),
    "referrals:gezin_jeugdige_toevoegen": case_page({"toegang_medewerker", "aanmeldpunt"}),
    # Letters carry the full BSN: the roles that may see it. The world's case has no beschikking yet, so the
    # answer is the refusal: back to the case page with the reason. Storing is POST only.
    "referrals:letter_preview": case_page(LETTER_ROLES, ok=302, kind="beschikking"),
    "referrals:letter_download": case_page(LETTER_ROLES, ok=302, kind="beschikking"),
    "referrals:letter_store": case_page(ok=405, every_case=True, kind="beschikking"),
    "referrals:letter_job": case_page(LETTER_ROLES, ok=404, job_id=NO_MESSAGE),  # no such job
    # The Toegang sends the letter about the coördinator (the world's youth has no address: the refusal).
    "referrals:letter_sent": case_page({"toegang_medewerker"}, ok=302, kind="brief-coordinator"),
    # Coordination (the world's cases are licht, with the referring Toegang worker as coördinator).
    "coordination:case": case_page(),
    "coordination:assign": case_page({"toegang_medewerker", "gedragswetenschapper"}, case_first=True),
    "coordination:level": case_page({"toegang_medewerker"}, name="opschalen", case_first=True),
    "coordination:consent": case_page(CONSENT_ROLES, case_first=True),
    "coordination:consent_withdraw": case_page(
        CONSENT_ROLES, ok=404, consent_id="0", case_first=True
    ),  # no such consent
    "coordination:share": case_page({"toegang_medewerker"}, subject="ipva_delen", case_first=True),
    "coordination:escalation": case_page(CONSENT_ROLES, case_first=True),
    "coordination:escalation_talk": case_page(
        CONSENT_ROLES, ok=404, escalation_id="0", case_first=True
    ),  # no such escalation
    "coordination:escalation_commitment": case_page(CONSENT_ROLES, ok=404, escalation_id="0", case_first=True),
    # iJw messages: the provider side sends, the backoffice of the gemeente answers.
    "messaging:case_messages": case_page({"aanmeldpunt", "regievoerder", "backoffice"}),
    "messaging:jw315_new": case_page(SENDERS),
    "messaging:jw305_new": case_page(SENDERS),
    "messaging:jw317_new": case_page(SENDERS, ok=302),  # no current toewijzing yet: back to the messages page
    "messaging:jw307_new": case_page(SENDERS),
    "messaging:manual": case_page(SENDERS, ok=302),  # the youth has a BSN: back to the messages page
    "messaging:traffic": page(**only("aanmeldpunt", "regievoerder", "backoffice")),
    "messaging:import": page(**only("aanmeldpunt", "regievoerder", "backoffice")),
    # The world has no messages: who may read messages gets 404 (not there for them), the others 403.
    "messaging:message_detail": page(403, **READERS_404, message_id=NO_MESSAGE),
    "messaging:download": page(403, **READERS_404, message_id=NO_MESSAGE),
    "messaging:pdf": page(403, **READERS_404, message_id=NO_MESSAGE),
    "messaging:send": page(405, message_id=NO_MESSAGE),  # POST only
    # Correcting a refused JW315: who may send requests gets 404 (no such message for them), the others 403.
    "messaging:correct": page(403, aanmeldpunt=404, regievoerder=404, message_id=NO_MESSAGE),
    "messaging:accept": page(403, backoffice=404, message_id=NO_MESSAGE),
    "messaging:refuse": page(403, backoffice=404, message_id=NO_MESSAGE),
    # The backoffice sees only the cases of another GI (ADR 0019), not the world's Toegang cases.
    "messaging:bepaling_jw301": case_page({"backoffice"}, bepaling_id=NO_MESSAGE),
    # A running toewijzing in segment 2–4 (ADR 0021): reported by the aanmeldpunt and the regievoerder; the
    # backoffice sees only cases with one, none in this world, where there is no toewijzing to end either.
    "messaging:lopend_new": case_page({"aanmeldpunt", "regievoerder", "backoffice"}),
    "messaging:lopend_end": case_page({"aanmeldpunt", "regievoerder", "backoffice"}, ok=404, lopend_id=NO_MESSAGE),
    "deadlines:dashboard": page(**only("manager_crossroads", "manager_gemeente")),
    "deadlines:dashboard_list": page(**only("manager_crossroads", "manager_gemeente"), kind="KIND"),
    "deadlines:notifications": page(200),
    # The aanmeldgesprek deadline: who it warns (the aanmeldpunt) and Crossroads' manager, from the lists.
    "deadlines:pause": case_page({"aanmeldpunt", "manager_crossroads"}, case_first=True, listed=True),
    "deadlines:extend": case_page({"aanmeldpunt", "manager_crossroads"}, case_first=True, listed=True),
    "privacy:access_log": page(**only("privacy_officer")),
    "privacy:access_log_csv": page(**only("privacy_officer")),
    # The privacy officer reports on any child's file (an AVG request), and nobody else can.
    "privacy:avg_report": case_page({"privacy_officer"}, every_case=True),
    # The REST API (api/views.py), here with the browser's session; a visitor without one gets 401.
    "api:schema": page(200, anonymous=200),  # the description is public, the data is not
    "api:docs": page(200, anonymous=200),
    "api:token": page(405, anonymous=405),  # POST only
    "api:cases": page(200, anonymous=401),  # filtered by the same selector as the case list
    "api:case": case_page(anonymous=401),
    "api:timeline": case_page(anonymous=401),
    "api:transitions": case_page(anonymous=401),
    "api:fire": case_page(ok=405, every_case=True, anonymous=401, name="afronding_starten"),  # POST only
    "api:coordination": case_page(anonymous=401),
    "api:deadlines": case_page(anonymous=401),
    "api:documents": case_page(anonymous=401),
    "api:document": case_page(anonymous=401),
    "api:document_content": case_page(anonymous=401),
    "api:messages": page(**only("aanmeldpunt", "regievoerder", "backoffice"), anonymous=401),
    "api:message_import": page(405, anonymous=401),  # POST only
    "api:message": page(403, **READERS_404, anonymous=401, message_id=NO_MESSAGE),
    "api:message_xml": page(403, **READERS_404, anonymous=401, message_id=NO_MESSAGE),
}


def is_admin(url) -> bool:
    return url.route.startswith("/beheer/")


URLS = {url.name: url for url in all_urls() if not is_admin(url)}


def entry_template(url) -> str:
    if any(param == "public_id" for param, _ in url.params):
        return f'    "{url.name}": case_page({{"<roles whose permission the view checks>"}}),  # {url.route}'
    return f'    "{url.name}": page(200),  # {url.route}: or page(**only("<role>", ...))'


def test_every_url_has_an_entry():
    missing = [URLS[name] for name in URLS if name not in MATRIX]
    assert not missing, (
        "These URLs have no entry in MATRIX (tests/security/test_permission_matrix.py). Add, with the answers "
        "each role must get:\n" + "\n".join(entry_template(url) for url in missing)
    )


def test_every_entry_is_a_url():
    stale = sorted(set(MATRIX) - set(URLS))
    assert not stale, f"MATRIX names URLs that no longer exist; remove: {stale}"


def test_case_urls_use_identifiers_that_cannot_be_guessed():
    for url in URLS.values():
        for param, converter in url.params:
            if param in UUID_PARAMS:
                assert converter == "UUIDConverter", f"{url.name} ({url.route}): {param} must be a uuid"
            else:
                assert param in SCOPED_PARAMS, f"{url.name} ({url.route}): what is {param}?"


# Cases, families, documents and messages are named by identifiers nobody can guess; the other parameters
# name a step, a subject or a list, or a row that the view looks up within a case the user may see.
UUID_PARAMS = ("public_id", "case_id", "gezin_id", "document_id", "message_id", "job_id", "bepaling_id", "lopend_id")
SCOPED_PARAMS = ("name", "subject", "kind", "signaal_id", "consent_id", "escalation_id", "pk")


def _url_for(name: str, entry: Entry, case, document) -> str:
    kwargs = dict(entry.kwargs)
    params = dict(URLS[name].params)
    for case_param in ("public_id", "case_id"):
        if case_param in params:
            kwargs[case_param] = case.public_id
    if "document_id" in params:
        kwargs["document_id"] = document.public_id
    if "gezin_id" in params:
        kwargs["gezin_id"] = case.jeugdige.gezin.public_id
    if "pk" in params:  # a deadline of the case
        kwargs["pk"] = case.deadlines.order_by("pk").first().pk
    if kwargs.get("kind") == "KIND":
        from deadlines.dashboard import LISTS

        kwargs["kind"] = next(iter(LISTS))
    if name.startswith("route:"):
        return URLS[name].route
    return reverse(name, kwargs=kwargs)


def _answer(client, url: str) -> int:
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # the test client closes the file once it is read
    return response.status_code


@pytest.mark.parametrize("name", sorted(set(URLS) & set(MATRIX)))
def test_every_role_gets_the_expected_answer(name, world):
    entry = MATRIX[name]
    sides = [("eigen casus", entry.own, world.own, world.own_document)]
    if entry.other is not None:
        sides.append(("casus van een andere organisatie", entry.other, world.other, world.other_document))
    wrong = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(world.users[role])
        for side, expected, case, document in sides:
            url = _url_for(name, entry, case, document)
            got = _answer(client, url)
            if got != expected[role]:
                wrong.append(f"{role:<22} {side:<34} {url}: {got}, verwacht {expected[role]}")
    assert not wrong, f"{name}:\n" + "\n".join(wrong)


ADMIN_SAMPLE = [
    "/beheer/",
    "/beheer/accounts/user/",
    "/beheer/accounts/accesslog/",
    "/beheer/deadlines/deadline/",
    "/beheer/otp_totp/totpdevice/",
]


@pytest.mark.parametrize("role", ROLES)
def test_the_beheerscherm_is_for_staff_and_never_shows_case_content_or_the_access_log(role, world):
    """Django's admin: a role without staff status is sent to its login; the functioneel beheerder
    (staff) keeps accounts and configuration but sees neither cases nor the access log."""
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    answers = {url: client.get(url).status_code for url in ADMIN_SAMPLE}
    if role == "functioneel_beheerder":
        assert answers == {
            "/beheer/": 200,
            "/beheer/accounts/user/": 200,
            "/beheer/accounts/accesslog/": 403,
            "/beheer/deadlines/deadline/": 403,
            "/beheer/otp_totp/totpdevice/": 200,
        }
    else:
        assert set(answers.values()) == {302}, answers
