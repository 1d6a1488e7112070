"""The manual route: no messages (geen BSN, ongeboren, geheim BSN); the toewijzing is agreed by hand."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from referrals.models import Case, EventKind
from referrals.services import record_event

from ..guards import manual_route
from ..models import Toewijzing, ToewijzingSource
from .base import ProductInput, require, visible_case


@dataclass
class ManualInput(ProductInput):
    """A toewijzing agreed by hand: the product and period, and with whom at the gemeente."""

    contactpersoon_gemeente: str
    toelichting: str = ""


def record_manual_toewijzing(*, actor: User, case: Case, data: ManualInput) -> Toewijzing:
    """Geen BSN, ongeboren, geheim BSN: no messages; the toewijzing agreed by hand with the gemeente."""
    require(actor, "messaging.record_manual_toewijzing")
    case = visible_case(actor, case)
    errors = {}
    if not manual_route(case):
        errors["__all__"] = "Deze jeugdige heeft een BSN: de toewijzing loopt via het berichtenverkeer (JW315/JW301)."
    if not data.contactpersoon_gemeente.strip():
        errors["contactpersoon_gemeente"] = "Met wie bij de gemeente is de toewijzing afgesproken?"
    if data.einddatum and data.einddatum < data.ingangsdatum:
        errors["einddatum"] = "De einddatum ligt vóór de ingangsdatum."
    if data.volume is not None and (not data.eenheid or not data.frequentie):
        errors["eenheid"] = "Bij een volume horen een eenheid en een frequentie."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        toewijzing = Toewijzing.objects.create(
            case=case,
            source=ToewijzingSource.HANDMATIG,
            gemeente=case.gemeente,
            aanbieder=case.regie_organisatie,
            categorie=data.categorie,
            product_code=data.product_code.strip(),
            volume=data.volume,
            eenheid=data.eenheid if data.volume is not None else "",
            frequentie=data.frequentie if data.volume is not None else "",
            ingangsdatum=data.ingangsdatum,
            einddatum=data.einddatum,
            toewijzingsdatum=timezone.localdate(),
            contactpersoon_gemeente=data.contactpersoon_gemeente.strip(),
            toelichting=data.toelichting.strip(),
            recorded_by=actor,
        )
        record_event(
            case,
            EventKind.HANDMATIGE_TOEWIJZING,
            actor,
            reason=f"{toewijzing.product_label}, afgesproken met {toewijzing.contactpersoon_gemeente}",
            payload={"toewijzing": str(toewijzing.public_id)},
        )
    return toewijzing
