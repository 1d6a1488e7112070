"""Registration of a family and its youths, and the Toegang's steps before the aanmelding."""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import Organisation, User
from common.landen import LANDEN, NEDERLAND

from .. import selectors
from ..bsn import normalise_bsn, validate_bsn
from ..models import (
    ROUTE_VERWIJZERS,
    BsnStatus,
    Case,
    EventKind,
    Gezin,
    Ipva,
    Jeugdige,
    Leefgebied,
    Phase,
    PhoneConsultation,
    Route,
    Segment,
)
from .timeline import _locked, _require, _require_phase, record_event, too_long_ago

# --- Registration -------------------------------------------------------------------------------


@dataclass
class JeugdigeInput:
    bsn_status: str
    bsn: str
    voornaam: str
    tussenvoegsel: str
    achternaam: str
    geboortedatum: date
    geslacht: str
    segment: str
    uren_begeleiding: object = None
    uren_behandeling: object = None
    producten: list | None = None
    straat: str = ""
    huisnummer: str = ""
    postcode: str = ""
    woonplaats: str = ""
    land: str = NEDERLAND


NL_POSTCODE = re.compile(r"[1-9][0-9]{3} ?[A-Za-z]{2}")
HUISNUMMER = re.compile(r"[0-9]{1,5}(\s*[A-Za-z])?(\s*[-/\s]?\s*[A-Za-z0-9]{1,4})?")


def validate_adres(*, postcode: str, huisnummer: str, land: str) -> dict[str, str]:
    """Field errors for the youth's address (Dutch). Every part may stay empty; what is filled in must fit
    iJw CDT_Adres: in the Netherlands a postcode like 1234 AB, abroad a free postcode of at most 8
    characters; a house number is digits with an optional letter and addition (LDT_Huisnummer)."""
    errors = {}
    land = (land or NEDERLAND).strip().upper()
    if land not in LANDEN:
        errors["land"] = "Kies een land uit de lijst."
    postcode, huisnummer = " ".join((postcode or "").split()), " ".join((huisnummer or "").split())
    if land == NEDERLAND:
        if postcode and not NL_POSTCODE.fullmatch(postcode):
            errors["postcode"] = (
                "Vul een Nederlandse postcode in als 1234 AB (vier cijfers, niet met 0 beginnend, en twee letters)."
            )
    elif len(postcode) > 8:
        errors["postcode"] = "Een buitenlandse postcode heeft hoogstens 8 tekens."
    if huisnummer and not HUISNUMMER.fullmatch(huisnummer):
        errors["huisnummer"] = (
            "Vul het huisnummer in als cijfers, eventueel met huisletter of toevoeging (bijvoorbeeld 12, 12a of 12-2)."
        )
    return errors


def validate_jeugdige(data: JeugdigeInput, *, today: date) -> dict[str, str]:
    """Field errors for one youth (Dutch); empty when valid."""
    errors = {}
    if data.bsn_status == BsnStatus.NORMAAL:
        try:
            validate_bsn(normalise_bsn(data.bsn))
        except ValidationError as e:
            errors["bsn"] = e.messages[0]
    elif data.bsn:
        errors["bsn"] = "Laat het BSN leeg bij deze BSN-status."
    if data.geboortedatum:
        if data.geboortedatum > today and data.bsn_status != BsnStatus.ONGEBOREN:
            errors["geboortedatum"] = (
                "De geboortedatum ligt in de toekomst. Kies BSN-status 'ongeboren' voor een ongeboren kind."
            )
        elif data.bsn_status == BsnStatus.ONGEBOREN and data.geboortedatum <= today:
            errors["geboortedatum"] = "Vul bij een ongeboren kind de verwachte geboortedatum in (na vandaag)."
        elif data.segment == Segment.SEGMENT_1 and _age(data.geboortedatum, today) >= 18:
            errors["geboortedatum"] = (
                "De jeugdige is 18 jaar of ouder: segment 1 jeugdhulp is voor jongeren onder de 18."
            )
    errors.update(validate_adres(postcode=data.postcode, huisnummer=data.huisnummer, land=data.land))
    return errors


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def register_case(
    *,
    actor: User,
    gezin_naam: str,
    jeugdigen: list[JeugdigeInput],
    gemeente: Organisation,
    route: str,
    verwijzer_type: str,
    verwijzer_naam: str,
    verwijzer_organisatie: str = "",
    verwijzer_code: str = "",
    urgent: bool = False,
    urgentie_motivatie: str = "",
    hulpvraag: str = "",
    gezin: Gezin | None = None,
) -> list[Case]:
    """Register a family with one or more youths; each youth whose question is segment 1 gets a case
    in phase concept. The registering person may see the identity of each (also with a geheim BSN).

    `gezin`: an existing family that grows (a sibling also needs help), instead of a new one: only for who
    sees at least one case of it, and a youth in segment 2 to 4 alone is then enough (the family page shows
    it, without a case)."""
    _require(actor, "referrals.register_case")
    if gezin is not None and not selectors.openable_cases(actor).filter(jeugdige__gezin=gezin).exists():
        raise PermissionDenied("U heeft geen toegang tot dit gezin.")
    today = timezone.localdate()
    errors: dict = {}
    if gemeente is None:
        errors["gemeente"] = "Kies de gemeente die volgens het woonplaatsbeginsel verantwoordelijk is."
    if urgent and not urgentie_motivatie.strip():
        errors["urgentie_motivatie"] = "Een urgente aanmelding heeft een schriftelijke motivatie nodig."
    if route not in Route.values:
        errors["route"] = "Kies een verwijsroute."
    elif verwijzer_type not in ROUTE_VERWIJZERS[route]:
        errors["verwijzer_type"] = "Deze soort verwijzer past niet bij de gekozen verwijsroute."
    if not jeugdigen:
        errors["__all__"] = "Voeg ten minste één jeugdige toe."
    elif gezin is None and not any(j.segment == Segment.SEGMENT_1 for j in jeugdigen):
        errors["__all__"] = (
            "Geen van de jeugdigen heeft een hulpvraag in segment 1: er is niets aan te melden bij Crossroads."
        )
    for j in jeugdigen:
        if validate_jeugdige(j, today=today):
            errors.setdefault("__all__", "Controleer de gegevens van de jeugdigen.")
    if errors:
        raise ValidationError(errors)

    added = gezin is not None
    with transaction.atomic():
        if gezin is None:
            gezin = Gezin.objects.create(naam=gezin_naam.strip())
        cases = []
        for j in jeugdigen:
            jeugdige = Jeugdige.objects.create(
                gezin=gezin,
                bsn_status=j.bsn_status,
                bsn=normalise_bsn(j.bsn) if j.bsn_status == BsnStatus.NORMAAL else "",
                voornaam=j.voornaam.strip(),
                tussenvoegsel=j.tussenvoegsel.strip(),
                achternaam=j.achternaam.strip(),
                geboortedatum=j.geboortedatum,
                geslacht=j.geslacht,
                segment=j.segment,
                uren_begeleiding=j.uren_begeleiding,
                uren_behandeling=j.uren_behandeling,
                producten=j.producten or [],
                straat=j.straat,
                huisnummer=j.huisnummer,
                postcode=" ".join(j.postcode.split()).upper(),
                woonplaats=j.woonplaats,
                land=(j.land or NEDERLAND).strip().upper(),
            )
            if j.segment != Segment.SEGMENT_1:
                continue
            case = Case.objects.create(
                jeugdige=jeugdige,
                gemeente=gemeente,
                route=route,
                verwijzer_type=verwijzer_type,
                verwijzer_naam=verwijzer_naam.strip(),
                verwijzer_organisatie=verwijzer_organisatie.strip(),
                verwijzer_code=verwijzer_code.strip(),
                verwijzer_user=actor if route == Route.TOEGANG else None,
                urgent=urgent,
                urgentie_motivatie=urgentie_motivatie.strip() if urgent else "",
                hulpvraag=hulpvraag.strip(),
                created_by=actor,
                created_by_organisation=actor.organisation,
            )
            assign_perm("referrals.view_identity", actor, case)
            payload = {"route": route, **({"gezin_uitgebreid": True} if added else {})}
            record_event(case, EventKind.AANGEMAAKT, actor, to_phase=Phase.CONCEPT, payload=payload)
            cases.append(case)
    return cases


# --- Before the aanmelding (Toegang) -----------------------------------------------------------


def save_ipva(*, actor: User, case: Case, texts: dict[str, str]) -> Ipva:
    _require(actor, "referrals.edit_ipva")
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.CONCEPT, Phase.AANMELD, Phase.HULPVERLENEND, Phase.CRISIS, Phase.AFRONDEND)
        values = {field: (texts.get(field) or "").strip() for field in Leefgebied.values}
        ipva, _ = Ipva.objects.update_or_create(case=case, defaults={**values, "updated_by": actor})
        record_event(case, EventKind.IPVA_BIJGEWERKT, actor)
    return ipva


def record_phone_consultation(
    *, actor: User, case: Case, datum: date, contactpersoon: str, samenvatting: str
) -> PhoneConsultation:
    _require(actor, "referrals.record_phone_consultation")
    if datum > timezone.localdate():
        raise ValidationError({"datum": "Het overleg kan niet in de toekomst liggen."})
    if too_long_ago(datum):
        raise ValidationError({"datum": "Deze datum ligt meer dan een jaar terug. Controleer de datum."})
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.CONCEPT, Phase.AANMELD)
        consultation = PhoneConsultation.objects.create(
            case=case,
            datum=datum,
            contactpersoon=contactpersoon.strip(),
            samenvatting=samenvatting.strip(),
            recorded_by=actor,
        )
        record_event(case, EventKind.TELEFONISCH_OVERLEG, actor, payload={"datum": datum.isoformat()})
    return consultation
