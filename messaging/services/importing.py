"""Taking in a message as the national message traffic delivers it (an upload, or the API)."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from lxml import etree

from accounts.models import User
from referrals.models import BsnStatus, Case, EventKind
from referrals.selectors import visible_cases
from referrals.services import record_event

from ..codes import REDENEN_AFWIJZING, refused_summary, retourcode_text
from ..data import Retour
from ..models import Message, MessageState
from ..parsing import (
    UnsafeXml,
    header_values,
    parse_jw301,
    parse_jw315,
    parse_jw319,
    parse_retour,
    parse_tree,
    parse_xml,
    unreadable_reason,
    unreadable_values,
)
from ..schemas import BERICHT_CODES, HEEN_OF, SENT_BY_PROVIDER, message_type
from ..selectors import request_for, visible_messages
from ..validation import validate_xsd
from .base import (
    MAX_IMPORT_BYTES,
    PROVIDER_IS_AFZENDER,
    ImportRefused,
    gemeente_by_cbs,
    org_by_agb,
    own_message,
    require,
    store,
    transition,
)
from .receiving import deliver, whole_message_codes

# The events of an answer on a request: (in onderzoek, beantwoord), by the request's type.
ANSWER_EVENTS = {
    "jw315": (EventKind.JW315_IN_ONDERZOEK, EventKind.JW315_BEANTWOORD),
    "jw317": (EventKind.JW317_IN_ONDERZOEK, EventKind.JW317_BEANTWOORD),
}


@dataclass
class ImportResult:
    message: Message
    retour: Message | None = None
    answered: Message | None = None  # for a retour: the message it answers
    codes: list[tuple[str, str]] = field(default_factory=list)  # (retourcode, Dutch meaning)
    visible: bool = True  # whether the importer may open the stored message (not so without its case)

    @property
    def accepted(self) -> bool:
        return all(code == "0200" for code, _ in self.codes)


def _read(data: bytes):
    """The tree and its message type, or a Dutch refusal (never lxml's English)."""
    try:
        root = parse_xml(data)
    except etree.XMLSyntaxError as e:
        raise ImportRefused([unreadable_reason(e)]) from None
    except UnsafeXml as e:
        raise ImportRefused([f"Dit is geen leesbaar iJw-bericht: {e}"]) from None
    try:
        return root, message_type(root)
    except ValueError:
        raise ImportRefused(
            [
                "Dit is geen leesbaar iJw-bericht: het is XML, maar geen bericht uit de iJw-standaard 3.2 "
                f"(het hoofdelement is {etree.QName(root).localname}). Ondersteund: "
                + ", ".join(m.upper() for m in BERICHT_CODES)
                + "."
            ]
        ) from None


def import_message(*, actor: User, data: bytes) -> ImportResult:
    """Take in a message as the national message traffic delivers it: validated, matched, case updated.

    Refuses (ImportRefused, nothing stored) what is not XML, not an iJw message, XSD-invalid (level 1: no
    retour), not for the actor's side of the traffic, or a valid message that matches no case we know.
    A message that fails a rule (in-message, or a header check such as TR056/TR135) gets its retour even
    when it matches no case: it is then stored without one."""
    require(actor, "messaging.import_message")
    if not data:
        raise ImportRefused(["Het bestand is leeg."])
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused(["Het bestand is groter dan 25 MB; zo groot is een iJw-bericht niet."])
    root, msg_type = _read(data)
    _require_valid_xsd(root)
    gemeente_side = actor.role == "backoffice"
    receives_gemeente = msg_type in SENT_BY_PROVIDER if msg_type not in HEEN_OF else None
    with transaction.atomic():
        if msg_type in HEEN_OF:
            return _import_retour(actor, root, data)
        if receives_gemeente != gemeente_side:
            side = "de gemeente" if receives_gemeente else "de aanbieder"
            raise ImportRefused([f"Een {msg_type.upper()} is voor {side}; lees het daar in."])
        header = header_values(root)
        afzender, ontvanger = header["Afzender"], header["Ontvanger"]
        agb, cbs = (afzender, ontvanger) if msg_type in PROVIDER_IS_AFZENDER else (ontvanger, afzender)
        if gemeente_by_cbs(cbs) is None:
            raise ImportRefused(
                [f"Gemeentecode {cbs} hoort niet bij een gemeente van de regio; dit bericht is niet voor ons."]
            )
        if msg_type in ("jw301", "jw319") and org_by_agb(agb) is None:
            raise ImportRefused(
                [f"AGB-code {agb} hoort bij geen aanbieder in dit systeem; dit bericht is niet voor ons."]
            )
        case, no_case = _match_case(actor, msg_type, root)
        referentie = _referentie(msg_type, root)
        identificatie = header["BerichtIdentificatie/Identificatie"]
        duplicate = Message.objects.filter(
            sender=afzender, message_type=msg_type, identificatie=identificatie, duplicate=False
        ).exists()  # TR056: kept beside the first one, with its retour (9056)
        dagtekening = date.fromisoformat(header["BerichtIdentificatie/Dagtekening"].strip())
        answers = None
        if msg_type in ("jw301", "jw319") and not whole_message_codes(
            root, duplicate=duplicate, dagtekening=dagtekening
        ):
            # A message refused as a whole answers no request (the request stays open).
            answers = next((request_for(ontvanger, r) for r in referentie.split(" ") if r), None)
        message = store(
            root,
            actor=actor,
            case=case,
            answers=answers,
            referentie=referentie,
            imported=True,
            data=data,
            summary=_summary(msg_type, root)
            + ("; deze identificatie gebruikte de afzender al eerder (TR056)" if duplicate else ""),
            duplicate=duplicate,
        )
        retour = deliver(message, actor=actor)
        if message.case is None and message.state == MessageState.GEACCEPTEERD:
            raise ImportRefused([no_case])  # a valid message needs its case: the whole import is undone
        if answers is not None and message.case is not None and message.state == MessageState.GEACCEPTEERD:
            in_onderzoek = message.message_type == "jw319" and parse_jw319(root).verzoek_antwoord == "2"
            kinds = ANSWER_EVENTS[answers.message_type]
            record_event(
                message.case,
                kinds[0] if in_onderzoek else kinds[1],
                None,
                reason=f"{message.code} {message.identificatie} (ingelezen) op verzoek {answers.identificatie}",
                payload={"ref": str(answers.public_id), "antwoord": message.code, "bericht": str(message.public_id)},
            )
        message.refresh_from_db()
        codes = parse_retour(parse_xml(retour.data)).codes - {"0200"}
        return ImportResult(
            message=message,
            retour=retour,
            codes=[(c, retourcode_text(c)) for c in sorted(codes)],
            visible=visible_messages(actor).filter(pk=message.pk).exists(),
        )


def _require_valid_xsd(root) -> None:
    """Level 1 (IV032): an XSD-invalid message, or one with a date or time that does not exist, gets no retour."""
    xsd_errors = validate_xsd(root)
    if xsd_errors:
        raise ImportRefused(
            ["Het bericht voldoet niet aan het XSD; er wordt geen retour gemaakt (niveau 1)."]
            + [str(v) for v in xsd_errors[:10]]
        )
    unreadable = unreadable_values(root)
    if unreadable:
        first = (
            "Het bericht voldoet aan het XSD, maar een datum of tijd erin bestaat niet; het is niet te "
            "verwerken en er wordt geen retour gemaakt."
        )
        raise ImportRefused([first, *unreadable[:10]])


def _summary(msg_type: str, root) -> str:
    """As for a message made here: an antwoordbericht says its answer, which decides whether the request it
    answers is still open (selectors.open_requests_q)."""
    if msg_type == "jw319":
        answer = parse_jw319(root)
        if answer.verzoek_antwoord == "2":
            return "In onderzoek (ingelezen)"
        return f"Afgewezen: {REDENEN_AFWIJZING.get(answer.reden_afwijzing, answer.reden_afwijzing)} (ingelezen)"
    return "Ingelezen"


def _referentie(msg_type: str, root) -> str:
    """The ReferentieAanbieder(s) of a request or its answer, space-separated (one per request line)."""
    if msg_type == "jw315":
        return " ".join(p.referentie_aanbieder for p in parse_jw315(root).producten)
    if msg_type == "jw317":
        return parse_tree(root).referentie_aanbieder
    if msg_type == "jw319":
        return parse_jw319(root).referentie_aanbieder
    if msg_type == "jw301":
        return " ".join(p.referentie_aanbieder for p in parse_jw301(root).producten if p.referentie_aanbieder)
    return ""


def _match_case(actor: User, msg_type: str, root) -> tuple[Case | None, str]:
    """The case the message is about (one the actor may see), or None and the Dutch reason why not."""
    if msg_type == "jw319":
        ref = parse_jw319(root).referentie_aanbieder
        request = request_for(header_values(root)["Ontvanger"], ref)
        if request is None or request.case is None:
            return None, f"Retourcode 9355: {retourcode_text('9355')} (referentie {ref})."
        return request.case, ""
    data = parse_tree(root)
    bsn = data.bsn if msg_type == "jw317" else data.client.bsn
    cases = Case.objects.filter(jeugdige__bsn=bsn, jeugdige__bsn_status=BsnStatus.NORMAAL)
    if actor.role != "backoffice":
        cases = cases.filter(pk__in=visible_cases(actor).values("pk"))
    case = cases.order_by("-pk").first()
    if case is None:
        return None, "Er is geen casus (die u mag zien) voor de jeugdige met dit BSN."
    return case, ""


def _import_retour(actor: User, root, data: bytes) -> ImportResult:
    retour: Retour = parse_retour(root)
    heen_type = HEEN_OF[retour.message_type]
    heen = (
        Message.objects.select_for_update()
        .filter(
            message_type=heen_type, sender=retour.afzender, identificatie=retour.heen_identificatie, duplicate=False
        )
        .first()
    )
    if heen is None:
        raise ImportRefused(
            [
                f"Deze retour hoort bij geen {heen_type.upper()} met identificatie {retour.heen_identificatie} "
                f"van afzender {retour.afzender}."
            ]
        )
    own_message(actor, heen)
    if heen.state != MessageState.VERZONDEN:
        raise ImportRefused(
            [f"Op {heen.code} {heen.identificatie} is al een retour verwerkt ({heen.get_state_display().lower()})."]
        )
    accepted = retour.accepted
    codes = sorted(retour.codes - {"0200"})
    summary = "Geaccepteerd" if accepted else refused_summary(codes)  # as a retour made here: codes in the lists
    message = store(root, actor=actor, case=heen.case, answers=heen, imported=True, data=data, summary=summary)
    transition(
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
