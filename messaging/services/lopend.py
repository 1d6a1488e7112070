"""A toewijzing in segment 2 to 4 that still runs when the youth comes to segment 1: recorded on the case and
ended by the gemeente's backoffice [HvB-S1] (ADR 0021)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from common.refusals import Refused
from referrals.dates import nl_date
from referrals.models import Case, EventKind
from referrals.services import record_event

from .. import guards
from ..models import BeeindigingWijze, LopendeToewijzing
from .base import visible_case

# An end agreed ahead, e.g. at the end of the month Crossroads starts, is fine; further ahead is a typing error
# or a toewijzing that is not really being ended, and two toewijzingen would run side by side for months.
MAX_DAYS_AHEAD = 31

AGB = re.compile(r"[0-9]{8}")
PRODUCT_CODE = re.compile(r"[0-9A-Z]{5}")
NUMMER = re.compile(r"[0-9]{1,20}")


class LopendeToewijzingRefused(Refused):
    """The running toewijzing changed meanwhile (it was ended already): back to the page with the reason."""

    on_form = False


@dataclass
class LopendeToewijzingInput:
    aanbieder_naam: str
    sinds: date
    aanbieder_agb: str = ""
    product_code: str = ""
    toewijzing_nummer: str = ""


@dataclass
class BeeindigingInput:
    beeindigd_per: date
    wijze: str
    toelichting: str = ""


def _check_recorded(data: LopendeToewijzingInput, case: Case) -> dict[str, str]:
    errors = {}
    if not data.aanbieder_naam.strip():
        errors["aanbieder_naam"] = "Vul de naam van de aanbieder in bij wie de toewijzing loopt."
    if data.aanbieder_agb.strip() and not AGB.fullmatch(data.aanbieder_agb.strip()):
        errors["aanbieder_agb"] = "Een AGB-code bestaat uit 8 cijfers."
    if data.product_code.strip() and not PRODUCT_CODE.fullmatch(data.product_code.strip().upper()):
        errors["product_code"] = "Een productcode bestaat uit 5 cijfers of hoofdletters, bijvoorbeeld 45A53."
    if data.toewijzing_nummer.strip() and not NUMMER.fullmatch(data.toewijzing_nummer.strip()):
        errors["toewijzing_nummer"] = "Een toewijzingnummer bestaat alleen uit cijfers (hoogstens 20)."
    if data.sinds > timezone.localdate():
        errors["sinds"] = "Een lopende toewijzing loopt al: de datum ligt niet in de toekomst."
    elif data.sinds < case.jeugdige.geboortedatum:
        errors["sinds"] = "Deze datum ligt vóór de geboortedatum van de jeugdige. Controleer de datum."
    return errors


def record_lopende_toewijzing(*, actor: User, case: Case, data: LopendeToewijzingInput) -> LopendeToewijzing:
    """The youth still has a toewijzing in segment 2 to 4 elsewhere; it is to be ended now the case comes to
    Crossroads [HvB-S1]."""
    case = visible_case(actor, case)
    if not guards.may_record_lopende_toewijzing(actor, case):
        raise PermissionDenied("U kunt bij deze casus geen lopende toewijzing melden.")
    if errors := _check_recorded(data, case):
        raise ValidationError(errors)
    with transaction.atomic():
        lopend = LopendeToewijzing.objects.create(
            case=case,
            aanbieder_naam=" ".join(data.aanbieder_naam.split()),
            aanbieder_agb=data.aanbieder_agb.strip(),
            product_code=data.product_code.strip().upper(),
            toewijzing_nummer=data.toewijzing_nummer.strip(),
            sinds=data.sinds,
            recorded_by=actor,
        )
        record_event(
            case,
            EventKind.LOPENDE_TOEWIJZING_GEMELD,
            actor,
            reason=f"Bij {lopend.aanbieder_naam}, sinds {nl_date(lopend.sinds)}; te beëindigen door de backoffice",
            payload={"lopende_toewijzing": str(lopend.public_id)},
        )
    return lopend


def _check_ending(lopend: LopendeToewijzing, data: BeeindigingInput) -> dict[str, str]:
    errors = {}
    latest = timezone.localdate() + timedelta(days=MAX_DAYS_AHEAD)
    if data.beeindigd_per < lopend.sinds:
        errors["beeindigd_per"] = f"De toewijzing loopt sinds {nl_date(lopend.sinds)}: zij eindigt niet daarvóór."
    elif data.beeindigd_per > latest:
        errors["beeindigd_per"] = (
            f"Kies een einddatum tot en met {nl_date(latest)}: verder vooruit loopt de toewijzing nog naast "
            "die van Crossroads."
        )
    if data.wijze not in BeeindigingWijze.values:
        errors["wijze"] = "Kies hoe de toewijzing is beëindigd."
    elif data.wijze == BeeindigingWijze.AFGESPROKEN and not data.toelichting.strip():
        errors["toelichting"] = "Zonder bericht: schrijf met wie en wat er met de aanbieder is afgesproken."
    return errors


def end_lopende_toewijzing(*, actor: User, lopend: LopendeToewijzing, data: BeeindigingInput) -> LopendeToewijzing:
    """The backoffice of the case's gemeente (or the gastheergemeente) ended the running toewijzing: a JW301
    with an end date sent to the provider, or agreed with it without a message [HvB-S1]."""
    case = visible_case(actor, lopend.case)
    if not guards.may_end_lopende_toewijzing(actor, case):
        raise PermissionDenied("Alleen de backoffice van de gemeente beëindigt een lopende toewijzing.")
    with transaction.atomic():
        lopend = LopendeToewijzing.objects.select_for_update().get(pk=lopend.pk)
        if lopend.ended:
            raise LopendeToewijzingRefused(
                f"Deze toewijzing is al beëindigd per {nl_date(lopend.beeindigd_per)}; uw actie is niet uitgevoerd."
            )
        if errors := _check_ending(lopend, data):
            raise ValidationError(errors)
        lopend.beeindigd_per = data.beeindigd_per
        lopend.beeindigd_wijze = data.wijze
        lopend.beeindigd_toelichting = data.toelichting.strip()
        lopend.beeindigd_by = actor
        lopend.beeindigd_at = timezone.now()
        lopend.save(
            update_fields=["beeindigd_per", "beeindigd_wijze", "beeindigd_toelichting", "beeindigd_by", "beeindigd_at"]
        )
        record_event(
            case,
            EventKind.LOPENDE_TOEWIJZING_BEEINDIGD,
            actor,
            reason=(
                f"Bij {lopend.aanbieder_naam}, per {nl_date(lopend.beeindigd_per)}: "
                f"{lopend.get_beeindigd_wijze_display().lower()}"
            ),
            payload={"lopende_toewijzing": str(lopend.public_id)},
        )
    return lopend
