"""Letters and reports as PDF (ADR 0013): what each document is made from, who sends it, and
what it still lacks.

A document is made only from data already recorded on the case. `refusal()` says in Dutch what is
missing ("De beschikking mist: productcode, ingangsdatum."), so an incomplete letter is never made.
Everything renders through `printing.render.render_pdf`; the templates live in
`referrals/templates/referrals/letters/`. This module reads; storing a document is a service.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone, translation

from accounts.models import Organisation, OrganisationKind, User
from accounts.roles import Role
from printing.render import render_pdf

from .dates import nl_date
from .guards import related
from .models import (
    OPEN_PHASES,
    PERSPECTIEF_ASPECTEN,
    Case,
    CaseRole,
    DocumentKind,
    FamilyLetter,
    PerspectiefDomein,
    Phase,
    Route,
)

CARE_OR_LATER = (Phase.HULPVERLENEND, Phase.CRISIS, Phase.AFRONDEND, Phase.AFGESLOTEN)
# Letters carry the full BSN: only roles that may see it make them (the managers see figures, not files).
MAKE_PERMISSION = "referrals.view_full_bsn"
TOEGANG_ROLES = (Role.TOEGANG_MEDEWERKER, Role.GEDRAGSWETENSCHAPPER)


class LetterRefused(Exception):
    """The document cannot be made now; the message says why, in Dutch."""


@dataclass(frozen=True)
class Letter:
    slug: str  # in the URL
    kind: str  # DocumentKind: the kind it is stored as
    title: str
    template: str
    relevant: Callable[[Case], bool]  # shown on the case page at all
    missing: Callable[[Case], str | None]  # a Dutch refusal, or None when everything is there
    sender: str  # "crossroads", "regie", "coordinator", "toegang" or "user"
    is_letter: bool = False  # a letter to the family (address block, salutation) rather than a report
    background: bool = False  # made by a Celery task, with progress
    family: str = ""  # FamilyLetter: the case waits for it until it is recorded as sent

    @property
    def filename_stem(self) -> str:
        return self.slug


def _lacks(what: str, pairs: list[tuple[str, object]]) -> str | None:
    missing = [label for label, value in pairs if value in (None, "") or (isinstance(value, str) and not value.strip())]
    return f"{what} mist: {', '.join(missing)}." if missing else None


def _address(case: Case) -> list[tuple[str, object]]:
    j = case.jeugdige
    huisnummer = j.huisnummer.strip() or j.land != "NL"  # abroad an address may have no house number
    complete = all((j.straat.strip(), huisnummer, j.postcode.strip(), j.woonplaats.strip()))
    return [("adres van de jeugdige", "ja" if complete else "")]


def _beschikking_missing(case: Case) -> str | None:
    b = related(case, "beschikking")
    if b is None:
        return "Er is nog geen beschikking vastgelegd. Leg eerst de beschikking vast."
    return _lacks(
        "De beschikking",
        [
            ("BSN", case.jeugdige.bsn),
            ("beschikkingsnummer", b.beschikkingsnummer),
            ("resultaat", b.resultaat),
            ("aanbieder", b.aanbieder_id),
            ("AGB-code van de aanbieder", b.aanbieder.agb_code if b.aanbieder_id else "-"),
            ("productcategorie", b.productcategorie),
            ("productcode", b.productcode),
            ("activiteiten", b.activiteiten),
            ("frequentie", b.frequentie),
            ("ingangsdatum", b.ingangsdatum),
            *_address(case),
        ],
    )


def _advies_held(case: Case):
    advies = related(case, "aanmeldtafel_advies")
    gesprek = related(case, "aanmeldgesprek")
    return advies, gesprek


def _adviesverslag_missing(case: Case) -> str | None:
    advies, gesprek = _advies_held(case)
    if advies is None:
        return "Er is nog geen advies van de aanmeldtafel vastgelegd."
    return _lacks(
        "Het adviesverslag",
        [
            ("datum van het aanmeldgesprek", gesprek.gehouden_op if gesprek else None),
            ("aanwezigen bij het aanmeldgesprek", gesprek.aanwezigen if gesprek else None),
        ],
    )


def _wat_brief_missing(case: Case) -> str | None:
    advies, _ = _advies_held(case)
    if advies is None:
        return "Er is nog geen advies van de aanmeldtafel vastgelegd."
    pairs = list(_address(case))
    if advies.segment1_nodig:
        pairs.insert(0, ("te behalen resultaten (advies aanmeldtafel)", advies.te_behalen_resultaten))
    return _lacks("De WAT-brief", pairs)


def _eindevaluatie_missing(case: Case) -> str | None:
    e = related(case, "eindevaluatie")
    if e is None:
        return "Er is nog geen eindevaluatie vastgelegd."
    return _lacks(
        "Het verslag van de eindevaluatie",
        [("verslag", e.verslag), ("vervolg na segment 1", related(case, "vervolg")), ("einddatum", case.einddatum)],
    )


def _perspectiefplan_missing(case: Case) -> str | None:
    plan = related(case, "perspectiefplan")
    if plan is None:
        return "Er is nog geen Perspectiefplan 18-/18+ gestart."
    gaps = []
    for value, label in PerspectiefDomein.choices:
        texts = plan.domeinen.get(value) or {}
        empty = [a_label.lower() for a, a_label in PERSPECTIEF_ASPECTEN.items() if not (texts.get(a) or "").strip()]
        if empty:
            gaps.append(f"{label.lower()} ({', '.join(empty)})")
    return f"Het perspectiefplan mist: {'; '.join(gaps)}." if gaps else None


def crisis_with_plan(case: Case):
    """The latest crisis whose Perspectiefplan Crisis is recorded (from the prefetched crises)."""
    return next((c for c in case.crises.all() if c.plan_vastgelegd_op is not None), None)


def _crisis_missing(case: Case) -> str | None:
    if crisis_with_plan(case) is None:
        return "Er is nog geen Perspectiefplan Crisis vastgelegd."
    return None


def _person_letter_missing(role: str) -> Callable[[Case], str | None]:
    """The family letter about the coördinator or the regievoerder: the person and a way to reach them."""

    def missing(case: Case) -> str | None:
        person = case.coordinator if role == CaseRole.COORDINATOR else case.regievoerder
        label = CaseRole(role).label.lower()
        if person is None:
            return f"Deze casus heeft nog geen {label}."
        org = person.organisation
        reachable = person.phone or person.email or (org and (org.phone or org.email))
        return _lacks(
            "De brief aan het gezin",
            [(f"telefoon of e-mail van de {label}", "ja" if reachable else ""), *_address(case)],
        )

    return missing


def _dat_brief_missing(case: Case) -> str | None:
    return _lacks(
        "De DAT-brief",
        [
            ("hulpvraag", case.hulpvraag),
            ("naam van de verwijzer", case.verwijzer_naam),
            ("aanmelddatum (de casus is nog niet aangemeld bij Crossroads)", case.aanmelddatum),
            *_address(case),
        ],
    )


LETTERS = [
    Letter(
        slug="beschikking",
        kind=DocumentKind.BESCHIKKING,
        title="Beschikking jeugdhulp",
        template="referrals/letters/beschikking.pdf.html",
        relevant=lambda c: c.phase in CARE_OR_LATER,
        missing=_beschikking_missing,
        sender="crossroads",
        is_letter=True,
    ),
    Letter(
        slug="wat-brief",
        kind=DocumentKind.WAT_BRIEF,
        title="WAT-brief",
        template="referrals/letters/wat_brief.pdf.html",
        relevant=lambda c: related(c, "aanmeldgesprek") is not None,
        missing=_wat_brief_missing,
        sender="crossroads",
        is_letter=True,
    ),
    Letter(
        slug="adviesverslag",
        kind=DocumentKind.ADVIESVERSLAG,
        title="Adviesverslag aanmeldtafel",
        template="referrals/letters/adviesverslag.pdf.html",
        relevant=lambda c: related(c, "aanmeldgesprek") is not None,
        missing=_adviesverslag_missing,
        sender="crossroads",
    ),
    Letter(
        slug="eindevaluatie",
        kind=DocumentKind.EINDEVALUATIE,
        title="Verslag eindevaluatie",
        template="referrals/letters/eindevaluatie.pdf.html",
        relevant=lambda c: c.phase in (Phase.AFRONDEND, Phase.AFGESLOTEN),
        missing=_eindevaluatie_missing,
        sender="regie",
    ),
    Letter(
        slug="perspectiefplan",
        kind=DocumentKind.PERSPECTIEFPLAN,
        title="Perspectiefplan 18-/18+",
        template="referrals/letters/perspectiefplan.pdf.html",
        relevant=lambda c: related(c, "perspectiefplan") is not None,
        missing=_perspectiefplan_missing,
        sender="regie",
    ),
    Letter(
        slug="perspectiefplan-crisis",
        kind=DocumentKind.PERSPECTIEFPLAN_CRISIS,
        title="Perspectiefplan Crisis",
        template="referrals/letters/perspectiefplan_crisis.pdf.html",
        relevant=lambda c: bool(c.crises.all()),
        missing=_crisis_missing,
        sender="regie",
    ),
    Letter(
        slug="brief-coordinator",
        kind=DocumentKind.BRIEF_COORDINATOR,
        title="Brief aan het gezin: uw coördinator",
        template="referrals/letters/contact_brief.pdf.html",
        relevant=lambda c: c.coordinator_id is not None,
        missing=_person_letter_missing(CaseRole.COORDINATOR),
        sender="coordinator",
        is_letter=True,
        family=FamilyLetter.COORDINATOR,
    ),
    Letter(
        slug="brief-regievoerder",
        kind=DocumentKind.BRIEF_REGIEVOERDER,
        title="Brief aan het gezin: uw regievoerder",
        template="referrals/letters/contact_brief.pdf.html",
        relevant=lambda c: c.regievoerder_id is not None,
        missing=_person_letter_missing(CaseRole.REGIEVOERDER),
        sender="regie",
        is_letter=True,
        family=FamilyLetter.REGIEVOERDER,
    ),
    Letter(
        slug="dat-brief",
        kind=DocumentKind.DAT_BRIEF,
        title="DAT-brief",
        template="referrals/letters/dat_brief.pdf.html",
        relevant=lambda c: c.route == Route.TOEGANG and c.phase != Phase.CONCEPT,
        missing=_dat_brief_missing,
        sender="toegang",
        is_letter=True,
        family=FamilyLetter.DAT_BRIEF,
    ),
    Letter(
        slug="dossieroverzicht",
        kind=DocumentKind.DOSSIEROVERZICHT,
        title="Dossieroverzicht voor overdracht",
        template="referrals/letters/dossieroverzicht.pdf.html",
        relevant=lambda c: c.phase != Phase.CONCEPT,
        missing=lambda c: None,
        sender="user",
        background=True,
    ),
]
BY_SLUG = {letter.slug: letter for letter in LETTERS}
BY_KIND = {letter.kind: letter for letter in LETTERS}
BY_FAMILY = {letter.family: letter for letter in LETTERS if letter.family}


def may_make(user: User) -> bool:
    return bool(user.role) and user.has_perm(MAKE_PERMISSION)


def refusal(letter: Letter, case: Case, user: User) -> str | None:
    """Why `user` cannot make `letter` for `case` now (Dutch), or None. `case` comes from
    selectors.case_detail, so the user may see it."""
    if not getattr(case, "identity_visible", False):
        return "De identiteit van deze jeugdige is voor u afgeschermd (geheim BSN): u kunt geen brieven maken."
    if (
        letter.kind in (DocumentKind.WAT_BRIEF, DocumentKind.ADVIESVERSLAG)
        and user.role in TOEGANG_ROLES
        and not case.wat_advies_delen_toegestaan
    ):
        return (
            "De WAT-brief en het adviesverslag worden met de Toegang gedeeld zodra het gezin daar toestemming voor "
            "heeft gegeven."
        )
    return letter.missing(case)


@dataclass
class LetterOption:
    letter: Letter
    refusal: str | None
    sendable: bool = False  # a letter to the family this user records as sent (instead of only keeping it)

    @property
    def ready(self) -> bool:
        return self.refusal is None


def letter_options(case: Case, user: User) -> list[LetterOption]:
    """The documents that belong to this case's stage, each with why it cannot be made yet (if so)."""
    if not may_make(user):
        return []
    return [
        LetterOption(letter, refusal(letter, case, user), sendable=may_record_sent(letter, case, user))
        for letter in LETTERS
        if letter.relevant(case)
    ]


def _sender(letter: Letter, case: Case, user: User) -> Organisation:
    if letter.sender == "crossroads":
        org = Organisation.objects.filter(kind=OrganisationKind.CROSSROADS).order_by("pk").first()
    elif letter.sender == "regie":
        org = case.regie_organisatie
    elif letter.sender == "coordinator":
        org = case.coordinator.organisation if case.coordinator_id else None
    elif letter.sender == "toegang":
        # The Toegang team that referred; a colleague of another team writes for their own.
        referrer = case.verwijzer_user
        org = referrer.organisation if referrer and referrer.role == Role.TOEGANG_MEDEWERKER else user.organisation
    else:
        org = user.organisation
    if org is None:
        raise LetterRefused(f"{letter.title}: de afzender is niet bekend.")
    return org


def _recipient(case: Case, today: date) -> dict:
    j = case.jeugdige
    young = j.age_on(today) < 16
    return {
        "lines": [
            *(["De ouders/verzorgers van"] if young else []),
            j.naam,
            f"{j.straat} {j.huisnummer}".strip(),
            f"{j.postcode} {j.woonplaats.upper()}".strip(),
            *([j.land_naam.upper()] if j.land != "NL" else []),
        ],
        "salutation": f"Beste {j.voornaam} en ouders/verzorgers," if young else f"Beste {j.voornaam},",
    }


def context(letter: Letter, case: Case, user: User) -> dict:
    """Everything the template shows. Raises LetterRefused when something is missing."""
    reason = refusal(letter, case, user)
    if reason:
        raise LetterRefused(reason)
    today = timezone.localdate()
    ctx = {
        "letter": letter,
        "case": case,
        "jeugdige": case.jeugdige,
        "sender": _sender(letter, case, user),
        "author": user,
        "today": nl_date(today),
        "kenmerk": case.reference,
        # "Gemeente Tilburg" reads as "de gemeente Tilburg" in running text.
        "gemeente": "de gemeente " + case.gemeente.name.removeprefix("Gemeente ").strip(),
        "beschikking": related(case, "beschikking"),
        "advies": related(case, "aanmeldtafel_advies"),
        "gesprek": related(case, "aanmeldgesprek"),
        "eindevaluatie": related(case, "eindevaluatie"),
        "vervolg": related(case, "vervolg"),
        "perspectiefplan": related(case, "perspectiefplan"),
        "crisis": crisis_with_plan(case),
        "behandelplan": next(iter(case.behandelplannen.all()), None),
    }
    if letter.is_letter:
        ctx["recipient"] = _recipient(case, today)
    if letter.family in (FamilyLetter.COORDINATOR, FamilyLetter.REGIEVOERDER):
        ctx["contact"] = _contact(case, letter.family, today)
    if letter.slug == "beschikking":
        ctx["kenmerk"] = ctx["beschikking"].beschikkingsnummer
    return ctx


def make_pdf(letter: Letter, case: Case, user: User, progress: Callable[[str], None] | None = None) -> bytes:
    """The PDF of `letter` for `case` as `user` makes it (A4, page numbers, tagged). Raises LetterRefused."""
    data = context(letter, case, user)
    with translation.override("nl"):
        return render_pdf(letter.template, data, tagged=True, progress=progress)


def filename(letter: Letter, case: Case) -> str:
    return f"{letter.filename_stem}-{case.reference}.pdf"


# --- Letters to the family the case waits for [HvB-QA 6, HvB-STAP] -----------------------------------------


def _contact(case: Case, role: str, today: date) -> dict:
    """Who the family's contact is (the coördinator or the regievoerder), how to reach them, and who
    stands in for them now or later."""
    person = case.coordinator if role == CaseRole.COORDINATOR else case.regievoerder
    org = person.organisation
    substitutes = [s for s in case.substitutions.all() if s.role == role and s.end >= today]
    return {
        "role": CaseRole(role).label.lower(),
        "person": person,
        "name": person.get_full_name() or person.username,
        "organisation": org,
        "phone": person.phone or (org.phone if org else ""),
        "email": person.email or (org.email if org else ""),
        "office_hours": org.office_hours if org else "",
        "substitutes": sorted(substitutes, key=lambda s: s.start),
        "previous": next((h.user for h in case.role_history.all() if h.role == role and h.ended_at is not None), None),
    }


@dataclass(frozen=True)
class LetterDue:
    letter: Letter
    reason: str  # Dutch: why the family still has to get it


def _last_sent(case: Case, family: str):
    return max((s.recorded_at for s in case.family_letters_sent.all() if s.letter == family), default=None)


def _person_letter_due(case: Case, role: str, today: date) -> str:
    person = case.coordinator if role == CaseRole.COORDINATOR else case.regievoerder
    if person is None:
        return ""
    label = CaseRole(role).label.lower()
    last = _last_sent(case, role)
    holder = next((h for h in case.role_history.all() if h.role == role and h.ended_at is None), None)
    if last is None or (holder is not None and holder.started_at > last):
        return f"Het gezin heeft nog geen brief gekregen dat {person.get_full_name()} de {label} is."
    new_substitute = next(
        (s for s in case.substitutions.all() if s.role == role and s.end >= today and s.recorded_at > last), None
    )
    if new_substitute is not None:
        return (
            f"Het gezin heeft nog geen brief gekregen dat {new_substitute.substitute.get_full_name()} de {label} "
            f"vervangt van {nl_date(new_substitute.start)} tot en met {nl_date(new_substitute.end)}."
        )
    return ""


def letters_due(case: Case) -> list[LetterDue]:
    """The letters to the family that this open case still waits for: a new coördinator or regievoerder (or
    a new substitute) since the last letter about them, and the DAT-brief of a Toegang referral. `case`
    comes from selectors.case_detail (role history, substitutions and sent letters prefetched)."""
    if case.phase not in OPEN_PHASES:
        return []
    today = timezone.localdate()
    due = []
    for role in (CaseRole.COORDINATOR, CaseRole.REGIEVOERDER):
        reason = _person_letter_due(case, role, today)
        if reason:
            due.append(LetterDue(BY_FAMILY[role], reason))
    if case.route == Route.TOEGANG and _last_sent(case, FamilyLetter.DAT_BRIEF) is None:
        due.append(LetterDue(BY_FAMILY[FamilyLetter.DAT_BRIEF], "De DAT-brief is nog niet aan het gezin verstuurd."))
    return due


# Who sends which letter to the family: the Toegang the letter about the coördinator and the DAT-brief; the
# regievoerende organisation or the aanmeldpunt the letter about the regievoerder.
SENT_BY = {
    FamilyLetter.COORDINATOR: (Role.TOEGANG_MEDEWERKER,),
    FamilyLetter.DAT_BRIEF: (Role.TOEGANG_MEDEWERKER,),
    FamilyLetter.REGIEVOERDER: (Role.REGIEVOERDER, Role.AANMELDPUNT),
}


def may_send(letter: Letter, user: User) -> bool:
    """Whether `user`'s role sends `letter` to families at all (before any case is looked at)."""
    return (
        bool(letter.family)
        and user.role in SENT_BY[letter.family]
        and may_make(user)
        and user.has_perm("referrals.upload_document")
    )


def may_record_sent(letter: Letter, case: Case, user: User) -> bool:
    """Whether `user` records `letter` as sent on this open case (a regievoerder: of the regie organisation)."""
    if not may_send(letter, user) or case.phase not in OPEN_PHASES:
        return False
    return user.role != Role.REGIEVOERDER or user.organisation_id == case.regie_organisatie_id
