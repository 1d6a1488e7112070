"""The provider reports the start (JW305) and the end (JW307) of care under a toewijzing."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from lxml import etree

from accounts.models import User
from referrals.models import Case

from .. import builders, from_case
from ..codes import REDENEN_BEEINDIGING
from ..data import BerichtHeader, Product, StartJeugdhulp, StartProduct, StopJeugdhulp, StopProduct
from ..guards import is_regie_party
from ..models import Message, Toewijzing, ToewijzingSource
from ..parsing import parse_tree, parse_xml
from ..selectors import last_report
from .base import next_identificatie, require, store, visible_case
from .requesting import send_message


def _toewijzing_of(actor: User, case: Case, toewijzing: Toewijzing) -> tuple[Case, Toewijzing]:
    require(actor, "messaging.send_request")
    case = visible_case(actor, case)
    if toewijzing.case_id != case.pk or toewijzing.source != ToewijzingSource.JW301:
        raise ValidationError({"toewijzing": "Kies een toewijzing (JW301) van deze casus."})
    if not is_regie_party(actor, case):
        raise PermissionDenied("Alleen de regievoerende organisatie meldt de start en stop van de jeugdhulp.")
    return case, toewijzing


def _client_header(case: Case, toewijzing: Toewijzing):
    client = from_case.client_from_jeugdige(case.jeugdige)
    agb = toewijzing.aanbieder.agb_code
    header = BerichtHeader(agb, toewijzing.gemeente.cbs_code, next_identificatie(agb), timezone.localdate())
    return client, header


def _product_of(t: Toewijzing) -> Product | None:
    return Product(t.categorie, t.product_code) if t.categorie else None


def _start_line(toewijzing: Toewijzing, begindatum: date, reden: str) -> StartProduct:
    """The JW305 line, or the Dutch reasons why the start cannot be reported yet."""
    errors = {}
    if begindatum > timezone.localdate():
        errors["begindatum"] = "Meld de start pas als de jeugdhulp echt begonnen is (de datum ligt in de toekomst)."
    elif begindatum < toewijzing.ingangsdatum:
        errors["begindatum"] = "De jeugdhulp kan niet starten vóór de ingangsdatum van de toewijzing."
    elif toewijzing.einddatum and begindatum > toewijzing.einddatum:
        errors["begindatum"] = "De begindatum ligt na de einddatum van de toewijzing."
    if errors:
        raise ValidationError(errors)
    if last_report(toewijzing, "jw305") and not last_report(toewijzing, "jw307"):
        raise ValidationError({"toewijzing": "Voor deze toewijzing is de start al gemeld (TR326)."})
    return StartProduct(
        begindatum=begindatum,
        toewijzing_nummer=toewijzing.toewijzing_nummer,
        product=_product_of(toewijzing),
        toewijzing_ingangsdatum=toewijzing.ingangsdatum,
    )


def _stop_line(toewijzing: Toewijzing, einddatum: date, reden: str) -> StopProduct:
    """The JW307 line (its begindatum from the JW305), or the Dutch reasons why the stop cannot be reported."""
    start = last_report(toewijzing, "jw305")
    stop = last_report(toewijzing, "jw307")
    errors = {}
    if reden not in REDENEN_BEEINDIGING:
        errors["reden"] = "Kies de reden van beëindiging."
    if start is None:
        errors["toewijzing"] = "Meld eerst de start van de jeugdhulp (JW305) voor deze toewijzing."
    elif stop and stop.pk > start.pk:
        errors["toewijzing"] = "De stop van deze toewijzing is al gemeld."
    if einddatum > timezone.localdate():
        errors["einddatum"] = "Meld de stop pas als de jeugdhulp echt gestopt is (de datum ligt in de toekomst)."
    if errors:
        raise ValidationError(errors)
    begindatum = parse_tree(parse_xml(start.data)).producten[0].begindatum
    if einddatum < begindatum:
        raise ValidationError(
            {"einddatum": f"De einddatum ligt vóór de start van de jeugdhulp ({begindatum:%d-%m-%Y})."}
        )
    return StopProduct(
        begindatum=begindatum,
        einddatum=einddatum,
        reden_beeindiging=reden,
        toewijzing_nummer=toewijzing.toewijzing_nummer,
        product=_product_of(toewijzing),
        toewijzing_ingangsdatum=toewijzing.ingangsdatum,
    )


@dataclass(frozen=True)
class CareReport:
    """What differs between reporting the start (JW305) and the end (JW307) of care."""

    word: str  # in the message's summary
    line: Callable[[Toewijzing, date, str], StartProduct | StopProduct]  # checks the input, makes the line
    report: type[StartJeugdhulp] | type[StopJeugdhulp]
    build: Callable[[StartJeugdhulp | StopJeugdhulp], etree._Element]


START_STOP = {
    "jw305": CareReport("Start", _start_line, StartJeugdhulp, builders.build_jw305),
    "jw307": CareReport("Stop", _stop_line, StopJeugdhulp, builders.build_jw307),
}


def send_start_stop(
    *, actor: User, case: Case, toewijzing: Toewijzing, message_type: str, datum: date, reden: str = ""
) -> Message:
    """Report the start (JW305, `datum` the begindatum) or the end (JW307, `datum` the einddatum, with its
    reden beëindiging) of care under a toewijzing, within 5 working days of the real start or end."""
    kind = START_STOP[message_type]
    case, toewijzing = _toewijzing_of(actor, case, toewijzing)
    with transaction.atomic():
        Toewijzing.objects.select_for_update().get(pk=toewijzing.pk)
        line = kind.line(toewijzing, datum, reden)
        client, header = _client_header(case, toewijzing)
        summary = f"{kind.word} {toewijzing.toewijzing_nummer} op {datum.isoformat()}"
        if reden:
            summary += f": {REDENEN_BEEINDIGING[reden]}"
        message = store(
            kind.build(kind.report(header=header, client=client, producten=(line,))),
            actor=actor,
            case=case,
            toewijzing=toewijzing,
            summary=summary,
        )
    return send_message(actor=actor, message=message)


def send_jw305(*, actor: User, case: Case, toewijzing: Toewijzing, begindatum: date) -> Message:
    """Report the start of care under a toewijzing (JW305)."""
    return send_start_stop(actor=actor, case=case, toewijzing=toewijzing, message_type="jw305", datum=begindatum)


def send_jw307(*, actor: User, case: Case, toewijzing: Toewijzing, einddatum: date, reden: str) -> Message:
    """Report the end of care under a toewijzing (JW307), with its reden beëindiging."""
    return send_start_stop(
        actor=actor, case=case, toewijzing=toewijzing, message_type="jw307", datum=einddatum, reden=reden
    )
