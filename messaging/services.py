"""Use cases of the iJw message traffic. The only place that stores messages or changes their state.

Both sides of the traffic live in this system: Crossroads and its partners (the aanbieder, by AGB) and
the gemeenten, all through Tilburg's backoffice (by CBS code). A message sent by one side is delivered
to the other at once: the receiver's checks run (XSD, in-message rules, cross-message rules), its retour
is built and stored, and the sent message becomes geaccepteerd or afgewezen. Each party's fact is its
own timeline event (sent, received, retour sent), so the deadline engine can pair them by "ref": the
public id of the message they are about.

Every service runs in one transaction and checks the actor's permission; input errors raise
ValidationError (Dutch, per field); a refusal to build raises MessageRefused (Dutch reasons).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from lxml import etree

from accounts.models import Organisation, OrganisationKind, User
from referrals.models import BsnStatus, Case, EventKind, Phase
from referrals.selectors import visible_cases
from referrals.services import record_event

from . import builders, from_case
from .builders import MessageRefused, build_retour, new_identificatie, to_bytes
from .codes import REDENEN_AFWIJZING, REDENEN_BEEINDIGING, retourcode_text
from .data import (
    Antwoordbericht,
    BerichtHeader,
    Omvang,
    Product,
    Retour,
    StartJeugdhulp,
    StartProduct,
    StopJeugdhulp,
    StopProduct,
    ToegewezenProduct,
)
from .models import (
    TRANSITIONS,
    Direction,
    Message,
    MessageState,
    MessageTransition,
    SenderCounter,
    Toewijzing,
    ToewijzingSource,
)
from .parsing import UnsafeXml, parse_jw301, parse_jw315, parse_jw319, parse_retour, parse_tree, parse_xml
from .schemas import HEEN_OF, SENT_BY_PROVIDER, message_type, xsd_versie
from .selectors import last_report, open_requests_q, request_for, visible_messages
from .validation import validate, validate_rules, validate_xsd

MAX_IMPORT_BYTES = 25 * 1024 * 1024  # OP179: files of at most 25 MB
# Header Afzender is the provider's AGB in these (a retour keeps the heenbericht's Afzender and Ontvanger).
PROVIDER_IS_AFZENDER = frozenset({"jw315", "jw305", "jw307", "jw316", "jw306", "jw308"})


class StaleMessage(Exception):
    def __init__(self, message: Message):
        self.message = message
        super().__init__(f"Dit bericht is intussen {message.get_state_display().lower()}; uw actie is niet uitgevoerd.")


class ImportRefused(Exception):
    """The uploaded file is not a message we can take in; nothing was stored."""

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__(" ".join(self.reasons))


# --- Small helpers ---------------------------------------------------------------------------------------


def _require(actor: User, perm: str) -> None:
    if not actor.role or not actor.has_perm(perm):
        raise PermissionDenied("U heeft geen rechten voor deze handeling.")


def _visible_case(actor: User, case: Case) -> Case:
    """The case, if the actor may see it (need to know); the check lives in referrals' selectors."""
    found = visible_cases(actor).filter(pk=case.pk).first()
    if found is None:
        raise PermissionDenied("U heeft geen toegang tot deze casus.")
    return found


def _next_identificatie(sender: str) -> str:
    return new_identificatie(sender, SenderCounter.next_number)


def _org_by_agb(code: str) -> Organisation | None:
    return Organisation.objects.filter(agb_code=code).exclude(agb_code="").first()


def _gemeente_by_cbs(code: str) -> Organisation | None:
    return Organisation.objects.filter(kind=OrganisationKind.GEMEENTE, cbs_code=code).first()


def _transition(message: Message, to: str, *, actor: User | None, reason: str = "") -> Message:
    """Move a message to its next state: a conditional UPDATE, so of two concurrent changes one wins."""
    if to not in TRANSITIONS.get(message.state, set()):
        raise StaleMessage(message)
    changed = Message.objects.filter(pk=message.pk, state=message.state).update(state=to)
    if not changed:
        message.state = Message.objects.values_list("state", flat=True).get(pk=message.pk)
        raise StaleMessage(message)
    MessageTransition.objects.create(message=message, from_state=message.state, to_state=to, actor=actor, reason=reason)
    message.state = to
    return message


def _store(
    root: etree._Element,
    *,
    actor: User | None,
    case: Case | None,
    answers: Message | None = None,
    toewijzing: Toewijzing | None = None,
    referentie: str = "",
    summary: str = "",
    imported: bool = False,
    data: bytes | None = None,
    reason: str = "",
) -> Message:
    """Store a message exactly as it is (or was) sent. A built message starts as a concept and is
    validated again from its stored bytes; a received (imported) one is stored as sent by its sender."""
    msg_type = message_type(root)
    data = data if data is not None else to_bytes(root)
    header = root[0]
    values = {child.tag.rsplit("}", 1)[1]: child for child in header}
    afzender, ontvanger = values["Afzender"].text, values["Ontvanger"].text
    ident = values["BerichtIdentificatie"]
    if msg_type in HEEN_OF:  # a retour: its own identification, sent by the heenbericht's receiver
        identificatie, dagtekening = values["IdentificatieRetour"].text, values["DagtekeningRetour"].text
        sender, receiver = ontvanger, afzender
    else:
        identificatie, dagtekening = ident[0].text, ident[1].text
        sender, receiver = afzender, ontvanger
    provider_is_afzender = msg_type in PROVIDER_IS_AFZENDER
    provider_code, gemeente_code = (afzender, ontvanger) if provider_is_afzender else (ontvanger, afzender)
    direction = Direction.NAAR_GEMEENTE if sender == provider_code else Direction.NAAR_AANBIEDER
    basis, bericht = values["XsdVersie"][0].text, values["XsdVersie"][1].text
    try:
        with transaction.atomic():
            message = Message.objects.create(
                message_type=msg_type,
                direction=direction,
                sender=sender,
                receiver=receiver,
                identificatie=identificatie,
                dagtekening=date.fromisoformat(dagtekening),
                gemeente=_gemeente_by_cbs(gemeente_code),
                aanbieder=_org_by_agb(provider_code),
                case=case,
                answers=answers,
                toewijzing=toewijzing,
                content=data,
                xsd_versie=f"{basis}/{bericht}",
                referentie=referentie[:36],
                summary=summary[:300],
                state=MessageState.VERZONDEN if imported else MessageState.CONCEPT,
                imported=imported,
                created_by=actor,
            )
    except IntegrityError:
        raise ImportRefused(
            [f"Retourcode 9056: {retourcode_text('9056')} (afzender {sender}, identificatie {identificatie})."]
        ) from None
    MessageTransition.objects.create(
        message=message,
        to_state=message.state,
        actor=actor,
        reason=reason or ("Ingelezen uit de landelijke berichtenstroom." if imported else "Bericht opgemaakt."),
    )
    if not imported:
        report = validate(parse_xml(message.data))  # the stored bytes, not the tree they came from
        if not report.ok:  # a builder never returns an invalid message; this would be a bug
            raise MessageRefused([str(v) for v in report.violations])
        _transition(message, MessageState.GEVALIDEERD, actor=actor, reason="XSD en regels: geen fouten.")
    return message


# --- Receiving: checks, retour, effects ---------------------------------------------------------------------


RECEIVED_EVENT = {
    "jw315": EventKind.JW315_ONTVANGEN,
    "jw301": EventKind.TOEWIJZING_ONTVANGEN,
    "jw319": EventKind.JW319_ONTVANGEN,
    "jw305": EventKind.BERICHT_ONTVANGEN,
    "jw307": EventKind.BERICHT_ONTVANGEN,
}


def _cross_checks(message: Message, root: etree._Element) -> dict:
    """Level 3 rules (need the stored traffic): {class element: [retourcodes]}."""
    ns = {"m": root.nsmap[message.message_type], "ijw": root.nsmap["ijw"]}
    errors: dict = {}
    if message.message_type == "jw315":
        for el in root.xpath("m:Client/m:AangevraagdeProducten/m:AangevraagdProduct", namespaces=ns):
            ref = el.findtext("m:ReferentieAanbieder", namespaces=ns)
            earlier = Message.objects.filter(message_type="jw315", sender=message.sender, referentie__contains=ref)
            if any(ref in m.referentie.split(" ") for m in earlier.exclude(pk=message.pk).only("referentie")):
                errors[el] = ["9347"]  # TR347
    elif message.message_type == "jw301":
        for el in root.xpath("m:Client/m:ToegewezenProducten/m:ToegewezenProduct", namespaces=ns):
            codes = []
            nummer = int(el.findtext("m:ToewijzingNummer", namespaces=ns))
            if Toewijzing.objects.filter(gemeente=message.gemeente, toewijzing_nummer=nummer).exists():
                codes.append("9332")  # TR332
            ref = el.findtext("m:ReferentieAanbieder", namespaces=ns)
            if ref and not request_for(message.receiver, ref):
                codes.append("9379")  # TR379
            if codes:
                errors[el] = codes
    elif message.message_type in ("jw305", "jw307"):
        item = "StartProducten/m:StartProduct" if message.message_type == "jw305" else "StopProducten/m:StopProduct"
        for el in root.xpath(f"m:Client/m:{item}", namespaces=ns):
            nummer = el.findtext("m:ToewijzingNummer", namespaces=ns)
            if (
                nummer
                and not Toewijzing.objects.filter(gemeente=message.gemeente, toewijzing_nummer=int(nummer)).exists()
            ):
                errors[el] = ["9019"]  # TR019
    elif message.message_type == "jw319":
        antwoord = root.find("m:Antwoord", namespaces=ns)
        request = request_for(message.receiver, antwoord.findtext("m:ReferentieAanbieder", namespaces=ns))
        if request is None:
            errors[antwoord] = ["9355"]  # TR355
        elif request.answered_by.filter(message_type="jw301").exists():
            errors[antwoord] = ["9359"]  # TR359
    return errors


def _deliver(message: Message, *, actor: User | None) -> Message:
    """The receiver takes in `message`: checks, retour, state, timeline, effects. Returns the retour."""
    root = parse_xml(message.data)
    rule_errors = validate_rules(root)
    class_codes = {} if rule_errors else _cross_checks(message, root)
    header_codes = ["0001"] if rule_errors else []
    retour_root = build_retour(
        root,
        identificatie=_next_identificatie(message.receiver),
        dagtekening=timezone.localdate(),
        header_codes=header_codes,
        class_codes=class_codes,
    )
    accepted = not header_codes and not class_codes
    codes = header_codes + sorted({c for cs in class_codes.values() for c in cs})
    retour = _store(
        retour_root,
        actor=None,
        case=message.case,
        answers=message,
        summary="Geaccepteerd" if accepted else "Afgewezen: " + ", ".join(codes),
        reason="Retour opgemaakt door de ontvanger.",
    )
    _transition(retour, MessageState.VERZONDEN, actor=None, reason="Retour verzonden.")
    _transition(
        message,
        MessageState.GEACCEPTEERD if accepted else MessageState.AFGEWEZEN,
        actor=None,
        reason=f"{retour.code} {'zonder fouten' if accepted else 'met retourcodes ' + ', '.join(codes)}.",
    )
    ref = str(message.public_id)
    if message.case is not None:
        record_event(
            message.case,
            RECEIVED_EVENT[message.message_type],
            None,
            reason=f"{message.code} {message.identificatie} van {message.sender}",
            payload={"ref": ref, "bericht": message.code},
        )
        record_event(
            message.case,
            EventKind.RETOUR_VERZONDEN,
            None,
            reason=f"{retour.code} op {message.code} {message.identificatie}",
            payload={"ref": ref, "retour": str(retour.public_id), "codes": codes},
        )
        if not accepted:
            record_event(
                message.case,
                EventKind.BERICHT_AFGEWEZEN,
                None,
                reason="; ".join(f"{c}: {retourcode_text(c)}" for c in codes),
                payload={"ref": ref, "codes": codes},
            )
    if accepted and message.message_type == "jw301":
        _record_jw301(message, root)
    return retour


def _record_jw301(message: Message, root: etree._Element) -> list[Toewijzing]:
    data = parse_jw301(root)
    recorded = []
    for line in data.producten:
        recorded.append(
            Toewijzing.objects.create(
                case=message.case,
                source=ToewijzingSource.JW301,
                message=message,
                gemeente=message.gemeente,
                aanbieder=message.aanbieder,
                toewijzing_nummer=line.toewijzing_nummer,
                referentie_aanbieder=line.referentie_aanbieder,
                categorie=line.product.categorie if line.product else "",
                product_code=line.product.code if line.product else "",
                volume=line.omvang.volume if line.omvang else None,
                eenheid=line.omvang.eenheid if line.omvang else "",
                frequentie=line.omvang.frequentie if line.omvang else "",
                ingangsdatum=line.ingangsdatum,
                einddatum=line.einddatum,
                toewijzingsdatum=line.toewijzingsdatum,
            )
        )
    return recorded


# --- JW315: create, preview, send ---------------------------------------------------------------------------


@dataclass
class RequestInput:
    """What the user fills in for one requested product."""

    categorie: str
    product_code: str
    volume: int | None
    eenheid: str
    frequentie: str
    ingangsdatum: date
    einddatum: date | None
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
    _require(actor, "messaging.send_request")
    case = _visible_case(actor, case)
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
    _require(actor, "messaging.send_request")
    case = _visible_case(actor, case)
    check_request_input(case, data)
    if case.phase not in (Phase.AANMELD, Phase.HULPVERLENEND, Phase.CRISIS, Phase.AFRONDEND):
        raise ValidationError("Voor deze casus (niet open) wordt geen verzoek om toewijzing meer gestuurd.")
    with transaction.atomic():
        aanbieder = data.aanbieder or case.regie_organisatie
        referentie = _referentie(case)
        request = _jw315_data(case, data, identificatie=_next_identificatie(aanbieder.agb_code), referentie=referentie)
        root = builders.build_jw315(request)
        line = request.producten[0]
        return _store(
            root,
            actor=actor,
            case=case,
            referentie=referentie,
            summary=_product_summary(line.product, line.omvang),
        )


def _product_summary(product: Product | None, omvang: Omvang | None) -> str:
    from .codes import EENHEDEN, FREQUENTIES

    text = f"{product.code or product.categorie}" if product else "generiek"
    if omvang:
        text += f", {omvang.volume} {EENHEDEN.get(omvang.eenheid, '')} {FREQUENTIES.get(omvang.frequentie, '')}"
    return text.strip()


def _own_message(actor: User, message: Message) -> Message:
    if not visible_messages(actor).filter(pk=message.pk).exists():
        raise PermissionDenied("U heeft geen toegang tot dit bericht.")
    return message


SENT_EVENT = {
    "jw315": EventKind.JW315_VERZONDEN,
    "jw305": EventKind.JW305_VERZONDEN,
    "jw307": EventKind.JW307_VERZONDEN,
}


def send_message(*, actor: User, message: Message) -> Message:
    """Send a validated JW315/JW305/JW307: it is delivered to the gemeente, which returns its retour."""
    _require(actor, "messaging.send_request")
    _own_message(actor, message)
    if message.message_type not in SENT_EVENT:
        raise PermissionDenied("Dit bericht verstuurt u niet zelf.")
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        _transition(message, MessageState.VERZONDEN, actor=actor, reason="Verzonden naar de gemeente (via Tilburg).")
        record_event(
            message.case,
            SENT_EVENT[message.message_type],
            actor,
            reason=f"{message.code} {message.identificatie}: {message.summary}",
            payload={"ref": str(message.public_id), "bericht": message.code},
        )
        _deliver(message, actor=None)
    message.refresh_from_db()
    return message


# --- Backoffice: answer a JW315 ------------------------------------------------------------------------------


@dataclass
class AcceptInput:
    ingangsdatum: date
    einddatum: date | None
    volume: int | None = None  # None: as requested
    commentaar: str = ""


def _answerable(actor: User, message: Message) -> Message:
    _require(actor, "messaging.answer_request")
    _own_message(actor, message)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.message_type != "jw315":
        raise ValidationError("Alleen een verzoek om toewijzing (JW315) wordt beantwoord.")
    if not Message.objects.filter(open_requests_q(), pk=message.pk).exists():
        raise ValidationError("Dit verzoek is al beantwoord of niet (technisch) geaccepteerd.")
    return message


def accept_jw315(*, actor: User, message: Message, data: AcceptInput) -> Message:
    """The gemeente grants the request: a JW301 with a new toewijzingnummer per requested product."""
    errors = {}
    if data.einddatum and data.einddatum < data.ingangsdatum:
        errors["einddatum"] = "De einddatum ligt vóór de ingangsdatum."
    if data.volume is not None and data.volume < 0:
        errors["volume"] = "Het volume is 0 of meer."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        message = _answerable(actor, message)
        request = parse_jw315(parse_xml(message.data))
        case = message.case
        now = timezone.localtime()
        producten = []
        for line in request.producten:
            omvang = line.omvang
            if omvang is not None and data.volume is not None:
                omvang = Omvang(data.volume, omvang.eenheid, omvang.frequentie)
            producten.append(
                ToegewezenProduct(
                    toewijzing_nummer=SenderCounter.next_number(f"TW{request.header.ontvanger}"),
                    toewijzingsdatum=now.date(),
                    toewijzingstijd=now.time().replace(microsecond=0, tzinfo=None),
                    ingangsdatum=data.ingangsdatum,
                    product=line.product,
                    referentie_aanbieder=line.referentie_aanbieder,
                    einddatum=data.einddatum,
                    omvang=omvang,
                    budget=line.budget,
                    commentaar=" ".join(data.commentaar.split()),
                )
            )
        assignment = from_case.assignment_from_case(
            case,
            producten=producten,
            identificatie=_next_identificatie(request.header.ontvanger),
            dagtekening=now.date(),
            reply_to=request.header,
        )
        root = builders.build_jw301(assignment)
        jw301 = _store(
            root,
            actor=actor,
            case=case,
            answers=message,
            referentie=" ".join(p.referentie_aanbieder for p in producten),
            summary="Toegewezen: " + ", ".join(str(p.toewijzing_nummer) for p in producten),
        )
        _transition(jw301, MessageState.VERZONDEN, actor=actor, reason="Verzonden naar de aanbieder.")
        record_event(
            case,
            EventKind.JW315_BEANTWOORD,
            actor,
            reason=f"Toewijzing (JW301 {jw301.identificatie}) op verzoek {message.identificatie}",
            payload={"ref": str(message.public_id), "antwoord": "JW301", "bericht": str(jw301.public_id)},
        )
        _deliver(jw301, actor=None)
    jw301.refresh_from_db()
    return jw301


@dataclass
class RefuseInput:
    verzoek_antwoord: str  # 1 afgewezen, 2 in onderzoek
    reden: str = ""
    woonplaats_gemeente: Organisation | None = None


def refuse_jw315(*, actor: User, message: Message, data: RefuseInput) -> Message:
    """The gemeente answers without a toewijzing: a JW319 ('afgewezen' with its reason, or 'in onderzoek')."""
    errors = {}
    if data.verzoek_antwoord not in ("1", "2"):
        errors["verzoek_antwoord"] = "Kies: afwijzen of in onderzoek."
    elif data.verzoek_antwoord == "1" and data.reden not in REDENEN_AFWIJZING:
        errors["reden"] = "Kies de reden van de afwijzing."
    elif data.verzoek_antwoord == "2" and data.reden:
        errors["reden"] = "Bij 'in onderzoek' hoort geen reden van afwijzing."
    if data.reden == "8" and data.woonplaats_gemeente is None:
        errors["woonplaats_gemeente"] = "Noem de gemeente die volgens het woonplaatsbeginsel verantwoordelijk is."
    if data.reden != "8" and data.woonplaats_gemeente is not None:
        errors["woonplaats_gemeente"] = "De verantwoordelijke gemeente hoort alleen bij reden 8 (woonplaatsbeginsel)."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        message = _answerable(actor, message)
        if data.verzoek_antwoord == "2" and message.answered_by.filter(message_type="jw319").exists():
            raise ValidationError(
                {"verzoek_antwoord": "Er is al een antwoord 'in onderzoek'; geef nu het definitieve antwoord."}
            )
        request = parse_jw315(parse_xml(message.data))
        refs = [p.referentie_aanbieder for p in request.producten]
        answers = []
        for ref in refs:  # one JW319 per requested product (a JW319 answers one ReferentieAanbieder)
            answer = Antwoordbericht(
                header=BerichtHeader(
                    request.header.ontvanger,
                    request.header.afzender,
                    _next_identificatie(request.header.ontvanger),
                    timezone.localdate(),
                ),
                referentie_aanbieder=ref,
                verzoek_antwoord=data.verzoek_antwoord,
                reden_afwijzing=data.reden,
                woonplaats_gemeente=data.woonplaats_gemeente.cbs_code if data.woonplaats_gemeente else "",
            )
            summary = f"Afgewezen: {REDENEN_AFWIJZING[data.reden]}" if data.verzoek_antwoord == "1" else "In onderzoek"
            jw319 = _store(
                builders.build_jw319(answer),
                actor=actor,
                case=message.case,
                answers=message,
                referentie=ref,
                summary=summary,
            )
            _transition(jw319, MessageState.VERZONDEN, actor=actor, reason="Verzonden naar de aanbieder.")
            answers.append(jw319)
        record_event(
            message.case,
            EventKind.JW315_BEANTWOORD,
            actor,
            reason=f"Antwoordbericht (JW319): {answers[0].summary}",
            payload={
                "ref": str(message.public_id),
                "antwoord": "JW319",
                "verzoek_antwoord": data.verzoek_antwoord,
                "bericht": str(answers[0].public_id),
            },
        )
        for jw319 in answers:
            _deliver(jw319, actor=None)
    answers[0].refresh_from_db()
    return answers[0]


# --- Provider: start and stop of care ---------------------------------------------------------------------


def _toewijzing_of(actor: User, case: Case, toewijzing: Toewijzing) -> tuple[Case, Toewijzing]:
    _require(actor, "messaging.send_request")
    case = _visible_case(actor, case)
    if toewijzing.case_id != case.pk or toewijzing.source != ToewijzingSource.JW301:
        raise ValidationError({"toewijzing": "Kies een toewijzing (JW301) van deze casus."})
    if actor.role == "regievoerder" and case.regie_organisatie_id != actor.organisation_id:
        raise PermissionDenied("Alleen de regievoerende organisatie meldt de start en stop van de jeugdhulp.")
    return case, toewijzing


def _client_header(case: Case, toewijzing: Toewijzing):
    client = from_case.client_from_jeugdige(case.jeugdige)
    agb = toewijzing.aanbieder.agb_code
    header = BerichtHeader(agb, toewijzing.gemeente.cbs_code, _next_identificatie(agb), timezone.localdate())
    return client, header


def _product_of(t: Toewijzing) -> Product | None:
    return Product(t.categorie, t.product_code) if t.categorie else None


def send_jw305(*, actor: User, case: Case, toewijzing: Toewijzing, begindatum: date) -> Message:
    """Report the start of care under a toewijzing (JW305), within 5 working days of the real start."""
    case, toewijzing = _toewijzing_of(actor, case, toewijzing)
    errors = {}
    if begindatum > timezone.localdate():
        errors["begindatum"] = "Meld de start pas als de jeugdhulp echt begonnen is (de datum ligt in de toekomst)."
    elif begindatum < toewijzing.ingangsdatum:
        errors["begindatum"] = "De jeugdhulp kan niet starten vóór de ingangsdatum van de toewijzing."
    elif toewijzing.einddatum and begindatum > toewijzing.einddatum:
        errors["begindatum"] = "De begindatum ligt na de einddatum van de toewijzing."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Toewijzing.objects.select_for_update().get(pk=toewijzing.pk)
        if last_report(toewijzing, "jw305") and not last_report(toewijzing, "jw307"):
            raise ValidationError({"toewijzing": "Voor deze toewijzing is de start al gemeld (TR326)."})
        client, header = _client_header(case, toewijzing)
        report = StartJeugdhulp(
            header=header,
            client=client,
            producten=(
                StartProduct(
                    begindatum=begindatum,
                    toewijzing_nummer=toewijzing.toewijzing_nummer,
                    product=_product_of(toewijzing),
                    toewijzing_ingangsdatum=toewijzing.ingangsdatum,
                ),
            ),
        )
        message = _store(
            builders.build_jw305(report),
            actor=actor,
            case=case,
            toewijzing=toewijzing,
            summary=f"Start {toewijzing.toewijzing_nummer} op {begindatum.isoformat()}",
        )
    return send_message(actor=actor, message=message)


def send_jw307(*, actor: User, case: Case, toewijzing: Toewijzing, einddatum: date, reden: str) -> Message:
    """Report the end of care under a toewijzing (JW307), with its reden beëindiging."""
    case, toewijzing = _toewijzing_of(actor, case, toewijzing)
    start = last_report(toewijzing, "jw305")
    errors = {}
    if reden not in REDENEN_BEEINDIGING:
        errors["reden"] = "Kies de reden van beëindiging."
    if start is None:
        errors["toewijzing"] = "Meld eerst de start van de jeugdhulp (JW305) voor deze toewijzing."
    elif last_report(toewijzing, "jw307") and last_report(toewijzing, "jw307").pk > start.pk:
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
    with transaction.atomic():
        Toewijzing.objects.select_for_update().get(pk=toewijzing.pk)
        client, header = _client_header(case, toewijzing)
        report = StopJeugdhulp(
            header=header,
            client=client,
            producten=(
                StopProduct(
                    begindatum=begindatum,
                    einddatum=einddatum,
                    reden_beeindiging=reden,
                    toewijzing_nummer=toewijzing.toewijzing_nummer,
                    product=_product_of(toewijzing),
                    toewijzing_ingangsdatum=toewijzing.ingangsdatum,
                ),
            ),
        )
        message = _store(
            builders.build_jw307(report),
            actor=actor,
            case=case,
            toewijzing=toewijzing,
            summary=f"Stop {toewijzing.toewijzing_nummer} op {einddatum.isoformat()}: {REDENEN_BEEINDIGING[reden]}",
        )
    return send_message(actor=actor, message=message)


# --- Manual route --------------------------------------------------------------------------------------------


@dataclass
class ManualInput:
    categorie: str
    product_code: str
    volume: int | None
    eenheid: str
    frequentie: str
    ingangsdatum: date
    einddatum: date | None
    contactpersoon_gemeente: str
    toelichting: str = ""


def record_manual_toewijzing(*, actor: User, case: Case, data: ManualInput) -> Toewijzing:
    """Geen BSN, ongeboren, geheim BSN: no messages; the toewijzing agreed by hand with the gemeente."""
    _require(actor, "messaging.record_manual_toewijzing")
    case = _visible_case(actor, case)
    errors = {}
    if case.jeugdige.bsn_status == BsnStatus.NORMAAL:
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


# --- Import ------------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    message: Message
    retour: Message | None = None
    answered: Message | None = None  # for a retour: the message it answers
    codes: list[tuple[str, str]] = field(default_factory=list)  # (retourcode, Dutch meaning)

    @property
    def accepted(self) -> bool:
        return all(code == "0200" for code, _ in self.codes)


def import_message(*, actor: User, data: bytes) -> ImportResult:
    """Take in a message as the national message traffic delivers it: validated, matched, case updated.

    Refuses (ImportRefused, nothing stored) what is not XML, not an iJw message, XSD-invalid (level 1: no
    retour), not for the actor's side of the traffic, or matches nothing we know."""
    _require(actor, "messaging.import_message")
    if not data:
        raise ImportRefused(["Het bestand is leeg."])
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused(["Het bestand is groter dan 25 MB; zo groot is een iJw-bericht niet."])
    try:
        root = parse_xml(data)
        msg_type = message_type(root)
    except (etree.XMLSyntaxError, UnsafeXml, ValueError) as e:
        raise ImportRefused([f"Dit is geen leesbaar iJw-bericht: {e}"]) from None
    xsd_errors = validate_xsd(root)
    if xsd_errors:
        raise ImportRefused(
            ["Het bericht voldoet niet aan het XSD; er wordt geen retour gemaakt (niveau 1)."]
            + [str(v) for v in xsd_errors[:10]]
        )
    gemeente_side = actor.role == "backoffice"
    receives_gemeente = msg_type in SENT_BY_PROVIDER if msg_type not in HEEN_OF else None
    with transaction.atomic():
        if msg_type in HEEN_OF:
            return _import_retour(actor, root, data)
        if receives_gemeente != gemeente_side:
            side = "de gemeente" if receives_gemeente else "de aanbieder"
            raise ImportRefused([f"Een {msg_type.upper()} is voor {side}; lees het daar in."])
        afzender, ontvanger = _header(root, "Afzender"), _header(root, "Ontvanger")
        agb, cbs = (afzender, ontvanger) if msg_type in PROVIDER_IS_AFZENDER else (ontvanger, afzender)
        if _gemeente_by_cbs(cbs) is None:
            raise ImportRefused(
                [f"Gemeentecode {cbs} hoort niet bij een gemeente van de regio; dit bericht is niet voor ons."]
            )
        if msg_type in ("jw301", "jw319") and _org_by_agb(agb) is None:
            raise ImportRefused(
                [f"AGB-code {agb} hoort bij geen aanbieder in dit systeem; dit bericht is niet voor ons."]
            )
        case = _match_case(actor, msg_type, root)
        referentie = ""
        if msg_type == "jw315":
            referentie = " ".join(p.referentie_aanbieder for p in parse_jw315(root).producten)
        elif msg_type == "jw319":
            referentie = parse_jw319(root).referentie_aanbieder
        elif msg_type == "jw301":
            referentie = " ".join(p.referentie_aanbieder for p in parse_jw301(root).producten if p.referentie_aanbieder)
        answers = None
        if msg_type in ("jw301", "jw319"):
            answers = next((request_for(_header(root, "Ontvanger"), r) for r in referentie.split(" ") if r), None)
        message = _store(
            root,
            actor=actor,
            case=case,
            answers=answers,
            referentie=referentie,
            imported=True,
            data=data,
            summary="Ingelezen",
        )
        retour = _deliver(message, actor=actor)
        if answers is not None and message.case is not None and message.state == MessageState.GEACCEPTEERD:
            record_event(
                message.case,
                EventKind.JW315_BEANTWOORD,
                None,
                reason=f"{message.code} {message.identificatie} (ingelezen) op verzoek {answers.identificatie}",
                payload={"ref": str(answers.public_id), "antwoord": message.code, "bericht": str(message.public_id)},
            )
        message.refresh_from_db()
        codes = parse_retour(parse_xml(retour.data)).codes - {"0200"}
        return ImportResult(message=message, retour=retour, codes=[(c, retourcode_text(c)) for c in sorted(codes)])


def _header(root, name: str) -> str:
    for child in root[0]:
        if child.tag.endswith("}" + name):
            return child.text or ""
    return ""


def _match_case(actor: User, msg_type: str, root) -> Case:
    if msg_type == "jw319":
        ref = parse_jw319(root).referentie_aanbieder
        request = request_for(_header(root, "Ontvanger"), ref)
        if request is None or request.case is None:
            raise ImportRefused([f"Retourcode 9355: {retourcode_text('9355')} (referentie {ref})."])
        return request.case
    data = parse_tree(root)
    bsn = data.client.bsn
    cases = Case.objects.filter(jeugdige__bsn=bsn, jeugdige__bsn_status=BsnStatus.NORMAAL)
    if actor.role != "backoffice":
        cases = cases.filter(pk__in=visible_cases(actor).values("pk"))
    case = cases.order_by("-pk").first()
    if case is None:
        raise ImportRefused(["Er is geen casus (die u mag zien) voor de jeugdige met dit BSN."])
    return case


def _import_retour(actor: User, root, data: bytes) -> ImportResult:
    retour: Retour = parse_retour(root)
    heen_type = HEEN_OF[retour.message_type]
    heen = (
        Message.objects.select_for_update()
        .filter(message_type=heen_type, sender=retour.afzender, identificatie=retour.heen_identificatie)
        .first()
    )
    if heen is None:
        raise ImportRefused(
            [
                f"Deze retour hoort bij geen {heen_type.upper()} met identificatie {retour.heen_identificatie} "
                f"van afzender {retour.afzender}."
            ]
        )
    _own_message(actor, heen)
    if heen.state != MessageState.VERZONDEN:
        raise ImportRefused(
            [f"Op {heen.code} {heen.identificatie} is al een retour verwerkt ({heen.get_state_display().lower()})."]
        )
    message = _store(root, actor=actor, case=heen.case, answers=heen, imported=True, data=data, summary="Ingelezen")
    accepted = retour.accepted
    codes = sorted(retour.codes - {"0200"})
    _transition(
        heen,
        MessageState.GEACCEPTEERD if accepted else MessageState.AFGEWEZEN,
        actor=actor,
        reason=f"{message.code} ingelezen: " + ("zonder fouten." if accepted else "retourcodes " + ", ".join(codes)),
    )
    if not accepted and heen.case is not None:
        record_event(
            heen.case,
            EventKind.BERICHT_AFGEWEZEN,
            actor,
            reason="; ".join(f"{c}: {retourcode_text(c)}" for c in codes),
            payload={"ref": str(heen.public_id), "codes": codes},
        )
    return ImportResult(message=message, answered=heen, codes=[(c, retourcode_text(c)) for c in codes])


def xsd_versions() -> dict[str, tuple[str, str]]:
    return {m: xsd_versie(m) for m in ("jw315", "jw301", "jw305", "jw307", "jw319")}


def now() -> datetime:
    return timezone.now()
