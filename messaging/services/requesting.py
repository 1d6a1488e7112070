"""The provider asks for care: a JW315 previewed, stored and sent (send_message also sends a JW305/JW307),
and a refused JW315 corrected and sent again as a new JW315 (ADR 0024)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from lxml import etree

from accounts.models import Organisation, User
from common.refusals import Refused
from referrals.models import Case, EventKind, Phase, Route
from referrals.services import record_event

from .. import builders, from_case, guards
from ..builders import MessageRefused, to_bytes
from ..codes import EENHEDEN, FREQUENTIES, JW315_CORRECTIONS, JW315_RULE_FIELDS, retourcode_label
from ..data import Omvang, Product
from ..models import Message, MessageState, SenderCounter
from ..parsing import parse_jw315, parse_xml
from ..selectors import retour_codes, retour_of
from ..validation import validate_rules
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
    return _store_jw315(actor, case, data)


def _store_jw315(actor: User, case: Case, data: RequestInput, corrects: Message | None = None) -> Message:
    """A new JW315: a new BerichtIdentificatie and a new ReferentieAanbieder, always (TR056, TR347)."""
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
            corrects=corrects,
            reason=f"Bericht opgemaakt als correctie van {corrects.code} {corrects.identificatie}." if corrects else "",
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


# --- A refused JW315 corrected and sent again (ADR 0024) ------------------------------------------------------


class CorrectionRefused(Refused):
    """This message cannot be corrected (not a refused JW315, or corrected already); nothing was stored."""

    on_form = False


def correction_refusal(message: Message) -> str:
    """Why this message cannot be corrected and sent again, in Dutch; '' when it can."""
    if message.message_type != "jw315" or message.imported:
        return "Alleen een afgewezen verzoek om toewijzing (JW315) dat hier is opgemaakt, kan worden gecorrigeerd."
    if message.state != MessageState.AFGEWEZEN:
        return (
            f"{message.code} {message.identificatie} is niet afgewezen ({message.get_state_display().lower()}): "
            "alleen een afgewezen verzoek wordt gecorrigeerd en opnieuw verstuurd."
        )
    correction = Message.objects.filter(corrects=message).only("identificatie").first()
    if correction is not None:
        return (
            f"{message.code} {message.identificatie} is al gecorrigeerd in JW315 {correction.identificatie}; "
            "een afgewezen verzoek wordt één keer gecorrigeerd. Corrigeer zo nodig dat nieuwe verzoek."
        )
    return ""


@dataclass
class Correction:
    """What the correction form of a refused JW315 starts from: its data, and what its retourcodes mean."""

    refused: Message
    initial: dict
    field_notes: dict[str, list[str]]  # form field -> what the code at that field means and what to do
    notes: list[str]  # codes that point at no field: above the form
    automatic: list[str]  # what changes by itself (a new referentie, identificatie, dagtekening)


def _initial(case: Case, refused: Message) -> dict:
    request = parse_jw315(parse_xml(refused.data))
    line = request.producten[0]
    aanbieder = guards.jw315_senders(case).filter(agb_code=request.header.afzender).first()
    verwijzer_soort = ""
    if line.verwijzer and line.verwijzer.type == "08" and line.verwijzer.naam != case.verwijzer_naam:
        verwijzer_soort = "raad_kinderbescherming"  # chosen on the form instead of the case's verwijzer
    return {
        "aanbieder": aanbieder.pk if aanbieder else None,
        "verwijzer_soort": verwijzer_soort,
        "categorie": line.product.categorie if line.product else "",
        "product_code": (line.product.code or "") if line.product else "",
        "volume": line.omvang.volume if line.omvang else None,
        "eenheid": line.omvang.eenheid if line.omvang else "",
        "frequentie": line.omvang.frequentie if line.omvang else "",
        "ingangsdatum": line.toewijzing_ingangsdatum,
        "einddatum": line.toewijzing_einddatum,
    }


def _rule_field(path: str) -> str | None:
    """The form field of an in-message rule's path ('Client/…/AangevraagdProduct/Omvang/Frequentie')."""
    for part in reversed(path.split("/")):
        name = part.split("[", 1)[0]
        if name in JW315_RULE_FIELDS:
            return JW315_RULE_FIELDS[name]
        if name in ("AangevraagdProduct", "Client", "Header"):
            return None
    return None


def _notes(refused: Message) -> tuple[dict[str, list[str]], list[str], list[str]]:
    field_notes: dict[str, list[str]] = defaultdict(list)
    notes: list[str] = []
    automatic: list[str] = []
    for rc in retour_codes(retour_of(refused)):
        where = f" (op {rc.label})"
        if rc.code == "0001":
            violations = validate_rules(parse_xml(refused.data))
            for v in violations:
                text = f"{retourcode_label('0001')} Regel {v.code}: {v.message}"
                if name := _rule_field(v.path):
                    field_notes[name].append(text)
                else:
                    notes.append(f"{text} ({v.path}). Dit komt uit de casus: pas het daar aan.")
            if not violations:
                notes.append(
                    f"{retourcode_label('0001')}{where} De gemeente noemt niet welke regel faalde. Controleer de "
                    "gegevens hieronder en in de casus, of vraag de gemeente welke controle het bericht afkeurde."
                )
        elif rc.code in JW315_CORRECTIONS:
            name, how = JW315_CORRECTIONS[rc.code]
            text = f"{rc.code} – {rc.text}{where if not name else ''} {how}"
            if name:
                field_notes[name].append(text)
            elif rc.code in ("9347", "9056", "8848"):
                automatic.append(text)
            else:
                notes.append(text)
        else:
            notes.append(
                f"{rc.code} – {rc.text}{where} Deze code wijst niet naar één veld van het verzoek: controleer de "
                "gegevens, of overleg met de gemeente."
            )
    return dict(field_notes), notes, automatic


def _may_correct(actor: User, message: Message) -> Case:
    """The refused message's case, if the actor may see it and sends its messages (guards.may_send)."""
    if message.case is None:
        raise PermissionDenied("Dit bericht hoort bij geen casus.")
    case = visible_case(actor, message.case)
    if not guards.may_send(actor, case):
        raise PermissionDenied("U verstuurt de berichten van deze casus niet.")
    return case


def start_correction(*, actor: User, message: Message) -> Correction:
    """The correction form's starting point for a refused JW315: its data, and its codes at their fields."""
    require(actor, "messaging.send_request")
    own_message(actor, message)
    _may_correct(actor, message)
    if reason := correction_refusal(message):
        raise CorrectionRefused(reason)
    field_notes, notes, automatic = _notes(message)
    return Correction(message, _initial(message.case, message), field_notes, notes, automatic)


def correct_jw315(*, actor: User, message: Message, data: RequestInput) -> Message:
    """Store the corrected request as a NEW JW315 that corrects the refused one, and send it.

    A refused message counts as never sent (OP047, OP286), but its BerichtIdentificatie and its
    ReferentieAanbieder are not used again: the new message gets new ones (TR056, TR347; ADR 0024).
    The refused message is locked while it is checked, so of two concurrent corrections one is stored."""
    require(actor, "messaging.send_request")
    own_message(actor, message)
    case = _may_correct(actor, message)
    with transaction.atomic():
        refused = Message.objects.select_for_update().get(pk=message.pk)
        if reason := correction_refusal(refused):
            raise CorrectionRefused(reason)
        if reason := guards.jw315_refusal(case):
            raise builders.MessageNotApplicable([reason])
        check_request_input(case, data)
        if case.phase not in (Phase.AANMELD, Phase.HULPVERLENEND, Phase.CRISIS, Phase.AFRONDEND):
            raise ValidationError("Voor deze casus (niet open) wordt geen verzoek om toewijzing meer gestuurd.")
        correction = _store_jw315(actor, case, data, corrects=refused)
        correction = send_message(actor=actor, message=correction)
        record_event(
            case,
            EventKind.JW315_GECORRIGEERD,
            actor,
            reason=(
                f"JW315 {refused.identificatie} gecorrigeerd en opnieuw verstuurd als JW315 {correction.identificatie} "
                f"({correction.get_state_display().lower()} in de retour)."
            ),
            payload={
                "ref": str(correction.public_id),
                "gecorrigeerd": str(refused.public_id),
                "bericht": correction.code,
            },
        )
    return correction
