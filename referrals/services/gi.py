"""The bepaling jeugdhulp of a gecertificeerde instelling (GI) [HvB-STAP]."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, User

from .. import guards
from ..dates import nl_date
from ..models import Case, CaseDocument, Eenheid, EventKind, Frequentie, GiBepaling, GiMaatregel, ProductCategorie
from .beschikking import PRODUCTCODE
from .timeline import _locked, _require, record_event, too_long_ago


def _check_omvang(errors: dict, *, code: str, volume, eenheid: str, frequentie: str, einddatum) -> None:
    """The omvang the JW301 on the bepaling will carry: complete, with a product code (CD041), and an end date
    when it is per week (CD076)."""
    given = {"volume": volume is not None, "eenheid": bool(eenheid), "frequentie": bool(frequentie)}
    if any(given.values()) and not all(given.values()):
        for name, ok in given.items():
            if not ok:
                errors[name] = "Vul volume, eenheid en frequentie samen in (de omvang)."
    elif code and not any(given.values()):
        errors["volume"] = "Bij een productcode hoort de omvang: volume, eenheid en frequentie (regel CD041)."
    if eenheid and eenheid not in Eenheid.values:
        errors["eenheid"] = "Kies een eenheid uit de lijst."
    if frequentie and frequentie not in Frequentie.values:
        errors["frequentie"] = "Kies een frequentie uit de lijst."
    if frequentie == Frequentie.PER_WEEK and einddatum is None and "einddatum" not in errors:
        errors["einddatum"] = "Bij een omvang per week hoort een einddatum (regel CD076)."


def _check_bepaling(
    case: Case, *, kind: str, bepaald_op: date, einddatum: date | None, categorie: str, code: str, gi, document
) -> dict:
    errors = {}
    if kind not in GiMaatregel.values:
        errors["kind"] = "Kies de maatregel waaronder de GI de jeugdhulp bepaalt."
    if bepaald_op > timezone.localdate():
        errors["bepaald_op"] = "De datum van de bepaling ligt in de toekomst."
    elif too_long_ago(bepaald_op):
        errors["bepaald_op"] = "De datum van de bepaling ligt meer dan een jaar terug. Controleer de datum."
    elif kind in GiMaatregel.values and (reason := guards.gi_bepaling_age_refusal(case, kind, bepaald_op)):
        errors["bepaald_op"] = reason
    if einddatum is not None and einddatum < bepaald_op:
        errors["einddatum"] = "De einddatum ligt vóór de datum van de bepaling."
    if categorie not in ProductCategorie.values:
        errors["categorie"] = "Kies de productcategorie van de bepaalde jeugdhulp."
    if code and not PRODUCTCODE.match(code):
        errors["product_code"] = "Een productcode is twee cijfers en drie tekens, bijvoorbeeld 45A01."
    elif code and categorie in ProductCategorie.values and not code.startswith(categorie):
        errors["product_code"] = f"Deze productcode hoort niet bij categorie {categorie}."
    if gi is not None and gi.kind != OrganisationKind.GI:
        errors["gi"] = "Kies een gecertificeerde instelling."
    if document is not None and document.case_id != case.pk:
        errors["document"] = "Dit document hoort niet bij deze casus."
    return errors


def _end_within_age(case: Case, kind: str, einddatum: date | None) -> str:
    """The care a GI decides stops on the 18th birthday (jeugdreclassering: the 23rd) [HvB-STAP]."""
    if einddatum is None:
        return ""
    last = guards.gi_bepaling_last_day(case, kind)
    if einddatum > last:
        limit = guards.gi_bepaling_age_limit(kind)
        return f"De bepaalde jeugdhulp stopt uiterlijk op de dag dat de jeugdige {limit} wordt ({nl_date(last)})."
    return ""


def record_gi_bepaling(
    *,
    actor: User,
    case: Case,
    kind: str,
    bepaald_op: date,
    categorie: str,
    einddatum: date | None = None,
    product_code: str = "",
    volume: int | None = None,
    eenheid: str = "",
    frequentie: str = "",
    gi: Organisation | None = None,
    document: CaseDocument | None = None,
) -> GiBepaling:
    """Record the bepaling jeugdhulp a GI sent: the aanmeldpunt (who receives it) or the gemeente's backoffice."""
    _require(actor, "referrals.record_gi_bepaling")
    code = product_code.strip().upper()
    with transaction.atomic():
        case = _locked(case)
        if not guards.may_record_gi_bepaling(case, actor):
            raise PermissionDenied("Een GI-bepaling hoort bij een open casus op de GI-route.")
        errors = _check_bepaling(
            case,
            kind=kind,
            bepaald_op=bepaald_op,
            einddatum=einddatum,
            categorie=categorie,
            code=code,
            gi=gi,
            document=document,
        )
        if (
            "einddatum" not in errors
            and kind in GiMaatregel.values
            and (reason := _end_within_age(case, kind, einddatum))
        ):
            errors["einddatum"] = reason
        _check_omvang(errors, code=code, volume=volume, eenheid=eenheid, frequentie=frequentie, einddatum=einddatum)
        same = case.gi_bepalingen.filter(kind=kind, bepaald_op=bepaald_op, categorie=categorie, product_code=code)
        if not errors and same.exists():  # the aanmeldpunt and the backoffice both record what the GI sent
            errors["__all__"] = "Deze bepaling is al vastgelegd bij de casus (zelfde maatregel, datum en product)."
        if errors:
            raise ValidationError(errors)
        if einddatum is None:
            # Without an end the care still stops at the age limit: the JW301 on it must not run past it.
            einddatum = guards.gi_bepaling_last_day(case, kind)
        bepaling = GiBepaling.objects.create(
            case=case,
            kind=kind,
            bepaald_op=bepaald_op,
            einddatum=einddatum,
            gi=gi,
            gi_naam=(gi.name if gi else case.verwijzer_organisatie or case.verwijzer_naam)[:200],
            categorie=categorie,
            product_code=code,
            volume=volume,
            eenheid=eenheid,
            frequentie=frequentie,
            document=document,
            recorded_by=actor,
        )
        period = f"vanaf {nl_date(bepaald_op)}" + (f" tot en met {nl_date(einddatum)}" if einddatum else "")
        record_event(
            case,
            EventKind.GI_BEPALING_VASTGELEGD,
            actor,
            reason=f"{bepaling.get_kind_display()} door {bepaling.gi_naam}: {bepaling.product_label}, {period}",
            payload={"bepaling": str(bepaling.public_id)},
        )
    return bepaling
