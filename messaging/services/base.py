"""What every use case of the message traffic shares: refusals, permission checks, and storing a message
and moving it through its states."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from lxml import etree

from accounts.models import Organisation, OrganisationKind, User
from common.refusals import Refused
from referrals.models import Case
from referrals.selectors import openable_cases

from ..builders import MessageRefused, new_identificatie, to_bytes
from ..codes import retourcode_text
from ..models import TRANSITIONS, Direction, Message, MessageState, MessageTransition, SenderCounter, Toewijzing
from ..parsing import header_values, parse_xml
from ..schemas import HEEN_OF, message_type
from ..selectors import visible_messages
from ..validation import validate

MAX_IMPORT_BYTES = 25 * 1024 * 1024  # OP179: files of at most 25 MB
# Header Afzender is the provider's AGB in these (a retour keeps the heenbericht's Afzender and Ontvanger).
PROVIDER_IS_AFZENDER = frozenset({"jw315", "jw305", "jw307", "jw317", "jw316", "jw306", "jw308", "jw318"})


class StaleMessage(Exception):
    def __init__(self, message: Message):
        self.message = message
        super().__init__(f"Dit bericht is intussen {message.get_state_display().lower()}; uw actie is niet uitgevoerd.")


class ImportRefused(Refused):
    """The uploaded file is not a message we can take in; nothing was stored."""

    def __init__(self, reasons):
        super().__init__(list(reasons))


# --- Small helpers ---------------------------------------------------------------------------------------


@dataclass
class ProductInput:
    """One product with its omvang and period, as the user fills it in (a request or a manual toewijzing)."""

    categorie: str
    product_code: str
    volume: int | None
    eenheid: str
    frequentie: str
    ingangsdatum: date
    einddatum: date | None


def require(actor: User, perm: str) -> None:
    if not actor.role or not actor.has_perm(perm):
        raise PermissionDenied("U heeft geen rechten voor deze handeling.")


def visible_case(actor: User, case: Case) -> Case:
    """The case, if the actor may see it (need to know); the check lives in referrals' selectors."""
    found = openable_cases(actor).filter(pk=case.pk).first()
    if found is None:
        raise PermissionDenied("U heeft geen toegang tot deze casus.")
    return found


def own_message(actor: User, message: Message) -> Message:
    """The message, if the actor may see it."""
    if not visible_messages(actor).filter(pk=message.pk).exists():
        raise PermissionDenied("U heeft geen toegang tot dit bericht.")
    return message


def next_identificatie(sender: str) -> str:
    return new_identificatie(sender, SenderCounter.next_number)


def org_by_agb(code: str) -> Organisation | None:
    return Organisation.objects.filter(agb_code=code).exclude(agb_code="").first()


def gemeente_by_cbs(code: str) -> Organisation | None:
    return Organisation.objects.filter(kind=OrganisationKind.GEMEENTE, cbs_code=code).first()


def transition(message: Message, to: str, *, actor: User | None, reason: str = "") -> Message:
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


def store(
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
    duplicate: bool = False,
    corrects: Message | None = None,
) -> Message:
    """Store a message exactly as it is (or was) sent. A built message starts as a concept and is
    validated again from its stored bytes; a received (imported) one is stored as sent by its sender.

    `duplicate`: a received message whose Identificatie its sender already used for this message type
    (TR056); it is kept beside the first one, for its retour with 9056 (ADR 0023)."""
    msg_type = message_type(root)
    data = data if data is not None else to_bytes(root)
    values = header_values(root)  # elements only: comments or processing instructions are no fields
    afzender, ontvanger = values["Afzender"], values["Ontvanger"]
    if msg_type in HEEN_OF:  # a retour: its own identification, sent by the heenbericht's receiver
        identificatie, dagtekening = values["IdentificatieRetour"], values["DagtekeningRetour"]
        sender, receiver = ontvanger, afzender
    else:
        identificatie = values["BerichtIdentificatie/Identificatie"]
        dagtekening = values["BerichtIdentificatie/Dagtekening"]
        sender, receiver = afzender, ontvanger
    provider_is_afzender = msg_type in PROVIDER_IS_AFZENDER
    provider_code, gemeente_code = (afzender, ontvanger) if provider_is_afzender else (ontvanger, afzender)
    direction = Direction.NAAR_GEMEENTE if sender == provider_code else Direction.NAAR_AANBIEDER
    basis, bericht = values["XsdVersie/BasisschemaXsdVersie"], values["XsdVersie/BerichtXsdVersie"]
    try:
        with transaction.atomic():
            message = Message.objects.create(
                message_type=msg_type,
                direction=direction,
                sender=sender,
                receiver=receiver,
                identificatie=identificatie,
                dagtekening=date.fromisoformat(dagtekening.strip()),
                gemeente=gemeente_by_cbs(gemeente_code),
                aanbieder=org_by_agb(provider_code),
                case=case,
                answers=answers,
                toewijzing=toewijzing,
                corrects=corrects,
                content=data,
                xsd_versie=f"{basis}/{bericht}",
                referentie=referentie[:36],
                summary=summary[:300],
                state=MessageState.VERZONDEN if imported else MessageState.CONCEPT,
                imported=imported,
                duplicate=duplicate,
                created_by=actor,
            )
    except IntegrityError:
        raise ImportRefused(
            [
                f"Retourcode 9056: {retourcode_text('9056')} (afzender {sender}, {msg_type.upper()}, "
                f"identificatie {identificatie})."
            ]
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
        transition(message, MessageState.GEVALIDEERD, actor=actor, reason="XSD en regels: geen fouten.")
    return message
