"""The gemeente answers a JW315: a toewijzing (JW301) or an antwoordbericht (JW319)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from referrals.models import EventKind
from referrals.services import record_event

from .. import builders, from_case
from ..codes import REDENEN_AFWIJZING
from ..data import Antwoordbericht, BerichtHeader, Omvang, ToegewezenProduct
from ..models import Message, MessageState, SenderCounter
from ..parsing import parse_jw315, parse_xml
from ..selectors import open_requests_q
from .base import next_identificatie, own_message, require, store, transition
from .receiving import deliver


@dataclass
class AcceptInput:
    ingangsdatum: date
    einddatum: date | None
    volume: int | None = None  # None: as requested
    commentaar: str = ""


ANSWERED_HERE = {
    "jw315": "Alleen een verzoek om toewijzing (JW315) wordt beantwoord.",
    "jw317": "Alleen een verzoek om wijziging (JW317) wordt hier beantwoord.",
}


def answerable(actor: User, message: Message, message_type: str = "jw315") -> Message:
    """The request, locked, if the actor answers requests, may see it and it still waits for its answer."""
    require(actor, "messaging.answer_request")
    own_message(actor, message)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.message_type != message_type:
        raise ValidationError(ANSWERED_HERE[message_type])
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
        message = answerable(actor, message)
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
            identificatie=next_identificatie(request.header.ontvanger),
            dagtekening=now.date(),
            reply_to=request.header,
        )
        jw301 = send_answer(
            builders.build_jw301(assignment),
            actor=actor,
            request=message,
            referentie=" ".join(p.referentie_aanbieder for p in producten),
            summary="Toegewezen: " + ", ".join(str(p.toewijzing_nummer) for p in producten),
        )
        record_event(
            case,
            EventKind.JW315_BEANTWOORD,
            actor,
            reason=f"Toewijzing (JW301 {jw301.identificatie}) op verzoek {message.identificatie}",
            payload={"ref": str(message.public_id), "antwoord": "JW301", "bericht": str(jw301.public_id)},
        )
        deliver(jw301, actor=None)
    jw301.refresh_from_db()
    return jw301


@dataclass
class RefuseInput:
    verzoek_antwoord: str  # 1 afgewezen, 2 in onderzoek
    reden: str = ""
    woonplaats_gemeente: Organisation | None = None


def check_refuse_input(data: RefuseInput) -> None:
    """The plain input errors of a JW319 answer, in Dutch at their field (on a JW315 or a JW317)."""
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


def refuse_in_onderzoek_once(message: Message, data: RefuseInput) -> None:
    """'In onderzoek' is said once; after it comes the final answer (OP274)."""
    if data.verzoek_antwoord == "2" and message.answered_by.filter(message_type="jw319").exists():
        raise ValidationError(
            {"verzoek_antwoord": "Er is al een antwoord 'in onderzoek'; geef nu het definitieve antwoord."}
        )


def antwoord_summary(data: RefuseInput) -> str:
    return f"Afgewezen: {REDENEN_AFWIJZING[data.reden]}" if data.verzoek_antwoord == "1" else "In onderzoek"


def antwoordbericht(request_header: BerichtHeader, referentie: str, data: RefuseInput) -> Antwoordbericht:
    """The JW319 on one ReferentieAanbieder of a request, from the gemeente (the request's Ontvanger)."""
    return Antwoordbericht(
        header=BerichtHeader(
            request_header.ontvanger,
            request_header.afzender,
            next_identificatie(request_header.ontvanger),
            timezone.localdate(),
        ),
        referentie_aanbieder=referentie,
        verzoek_antwoord=data.verzoek_antwoord,
        reden_afwijzing=data.reden,
        woonplaats_gemeente=data.woonplaats_gemeente.cbs_code if data.woonplaats_gemeente else "",
    )


def send_answer(root, *, actor: User, request: Message, referentie: str, summary: str) -> Message:
    """Store the gemeente's answer (JW301 or JW319) on `request` and mark it sent; the caller delivers it."""
    answer = store(root, actor=actor, case=request.case, answers=request, referentie=referentie, summary=summary)
    transition(answer, MessageState.VERZONDEN, actor=actor, reason="Verzonden naar de aanbieder.")
    return answer


def refuse_jw315(*, actor: User, message: Message, data: RefuseInput) -> Message:
    """The gemeente answers without a toewijzing: a JW319 ('afgewezen' with its reason, or 'in onderzoek')."""
    check_refuse_input(data)
    with transaction.atomic():
        message = answerable(actor, message)
        refuse_in_onderzoek_once(message, data)
        request = parse_jw315(parse_xml(message.data))
        refs = [p.referentie_aanbieder for p in request.producten]
        answers = []
        for ref in refs:  # one JW319 per requested product (a JW319 answers one ReferentieAanbieder)
            root = builders.build_jw319(antwoordbericht(request.header, ref, data))
            answers.append(
                send_answer(root, actor=actor, request=message, referentie=ref, summary=antwoord_summary(data))
            )
        # "In onderzoek" answers within the 5 working days and starts the 8 weeks for the final answer [OP274].
        in_onderzoek = data.verzoek_antwoord == "2"
        record_event(
            message.case,
            EventKind.JW315_IN_ONDERZOEK if in_onderzoek else EventKind.JW315_BEANTWOORD,
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
            deliver(jw319, actor=None)
    answers[0].refresh_from_db()
    return answers[0]
