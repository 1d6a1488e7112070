"""The provider asks for care: a JW315 previewed, stored and sent (send_message also sends a JW305/JW307)."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from lxml import etree

from accounts.models import Organisation, User
from referrals.models import Case, EventKind, Phase, Route
from referrals.services import record_event

from .. import builders, from_case, guards
from ..builders import MessageRefused, to_bytes
from ..codes import EENHEDEN, FREQUENTIES
from ..data import Omvang, Product
from ..models import Message, MessageState, SenderCounter
from .base import ProductInput, next_identificatie, own_message, require, store, transition, visible_case
from .receiving import deliver


@dataclass
class RequestInput(ProductInput):
    """What the user fills in for one requested product."""

    aanbieder: Organisation | None = None  # default: the case's regievoerende organisatie
    verwijzer_soort: str = ""  # '' = as on the case; 'raad_kinderbescherming' for Jeugdzorgplus
    commentaar: str = ""


@dataclass
class Preview:
    root: etree._Element | None = None
    data: bytes = b""
    reasons: list[str] = field(default_factory=list)
    manual_route: bool = False
    not_applicable: bool = False

    @property
    def ok(self) -> bool:
        return self.root is not None


def _referentie(case: Case) -> str:
    """A ReferentieAanbieder unique per provider (TR347): case number and a counter of its requests."""
    n = SenderCounter.next_number(f"R{case.pk % 10**7:07d}")
    return f"{case.reference}-{n:03d}"


def _jw315_data(case: Case, data: RequestInput, *, identificatie: str, referentie: str):
    omvang = None
    if data.volume is not None or data.eenheid or data.frequentie:
        omvang = Omvang(data.volume if data.volume is not None else -1, data.eenheid, data.frequentie)
    regel = from_case.AanvraagRegel(
        referentie_aanbieder=referentie,
        ingangsdatum=data.ingangsdatum,
        product=Product(data.categorie, data.product_code.strip()) if data.categorie else None,
        einddatum=data.einddatum,
        omvang=omvang,
    )
    return from_case.request_from_case(
        case,
        regels=[regel],
        identificatie=identificatie,
        dagtekening=timezone.localdate(),
        aanbieder=data.aanbieder,
        verwijzer_soort=data.verwijzer_soort or None,
    )


def check_request_input(case: Case, data: RequestInput) -> None:
    """Plain input errors, in Dutch at their field."""
    errors = {}
    aanbieder = data.aanbieder or case.regie_organisatie
    if aanbieder is None or not aanbieder.agb_code:
        errors["aanbieder"] = (
            "Er is nog geen regievoerende aanbieder met een AGB-code: een verzoek om toewijzing gaat uit van de "
            "aanbieder. Start eerst de hulpverlening."
        )
    elif data.aanbieder is not None and not guards.jw315_senders(case).filter(pk=data.aanbieder.pk).exists():
        errors["aanbieder"] = (
            f"{data.aanbieder.name} verstuurt het verzoek om toewijzing voor deze casus niet: bij de LTA-route is "
            "dat de LTA-aanbieder (de regievoerende aanbieder)."
            if case.route == Route.LTA
            else f"{data.aanbieder.name} verstuurt het verzoek om toewijzing voor deze casus niet: dat doet de "
            "regievoerende aanbieder, of bij Jeugdzorgplus Pactum of Icarus."
        )
    if data.einddatum and data.einddatum < data.ingangsdatum:
        errors["einddatum"] = "De einddatum ligt vóór de ingangsdatum."
    if data.volume is not None and data.volume < 0:
        errors["volume"] = "Het volume is 0 of meer."
    if data.verwijzer_soort == "raad_kinderbescherming" and data.product_code.strip() != "43A12":
        errors["verwijzer_soort"] = "De Raad voor de Kinderbescherming is alleen verwijzer bij Jeugdzorgplus (43A12)."
    if errors:
        raise ValidationError(errors)


def preview_jw315(*, actor: User, case: Case, data: RequestInput) -> Preview:
    """Build and check the JW315 without storing anything: the tree, or the Dutch reasons why not."""
    require(actor, "messaging.send_request")
    case = visible_case(actor, case)
    if reason := guards.jw315_refusal(case):
        return Preview(reasons=[reason], not_applicable=True)
    check_request_input(case, data)
    try:
        request = _jw315_data(case, data, identificatie="000000000000", referentie=f"{case.reference}-nnn")
        root = builders.build_jw315(request)
    except builders.ManualRouteRequired as e:
        return Preview(reasons=e.reasons, manual_route=True)
    except builders.MessageNotApplicable as e:
        return Preview(reasons=e.reasons, not_applicable=True)
    except MessageRefused as e:
        return Preview(reasons=e.reasons)
    return Preview(root=root, data=to_bytes(root))


def create_jw315(*, actor: User, case: Case, data: RequestInput) -> Message:
    """Store the JW315 (concept, validated again from its bytes): ready to send."""
    require(actor, "messaging.send_request")
    case = visible_case(actor, case)
    if reason := guards.jw315_refusal(case):
        raise builders.MessageNotApplicable([reason])
    check_request_input(case, data)
    if case.phase not in (Phase.AANMELD, Phase.HULPVERLENEND, Phase.CRISIS, Phase.AFRONDEND):
        raise ValidationError("Voor deze casus (niet open) wordt geen verzoek om toewijzing meer gestuurd.")
    with transaction.atomic():
        aanbieder = data.aanbieder or case.regie_organisatie
        referentie = _referentie(case)
        request = _jw315_data(case, data, identificatie=next_identificatie(aanbieder.agb_code), referentie=referentie)
        root = builders.build_jw315(request)
        line = request.producten[0]
        return store(
            root,
            actor=actor,
            case=case,
            referentie=referentie,
            summary=_product_summary(line.product, line.omvang),
        )


def _product_summary(product: Product | None, omvang: Omvang | None) -> str:
    text = f"{product.code or product.categorie}" if product else "generiek"
    if omvang:
        text += f", {omvang.volume} {EENHEDEN.get(omvang.eenheid, '')} {FREQUENTIES.get(omvang.frequentie, '')}"
    return text.strip()


SENT_EVENT = {
    "jw315": EventKind.JW315_VERZONDEN,
    "jw305": EventKind.JW305_VERZONDEN,
    "jw307": EventKind.JW307_VERZONDEN,
    "jw317": EventKind.JW317_VERZONDEN,
}


def send_message(*, actor: User, message: Message) -> Message:
    """Send a validated JW315/JW317/JW305/JW307: it is delivered to the gemeente, which returns its retour."""
    require(actor, "messaging.send_request")
    own_message(actor, message)
    if message.message_type not in SENT_EVENT:
        raise PermissionDenied("Dit bericht verstuurt u niet zelf.")
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        transition(message, MessageState.VERZONDEN, actor=actor, reason="Verzonden naar de gemeente (via Tilburg).")
        record_event(
            message.case,
            SENT_EVENT[message.message_type],
            actor,
            reason=f"{message.code} {message.identificatie}: {message.summary}",
            payload={"ref": str(message.public_id), "bericht": message.code},
        )
        deliver(message, actor=None)
    message.refresh_from_db()
    return message
