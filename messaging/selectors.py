"""Read queries for the message traffic, already narrowed to what the user may see.

- Aanmeldpunt and regievoerder: the messages of the cases they may see (referrals' need-to-know filter).
- Backoffice (an organisation of kind gemeente): Tilburg is gastheergemeente, so its backoffice sees the
  messages of every regio gemeente and can narrow the list to one gemeente; the backoffice of another
  gemeente sees only the messages addressed to or sent by that gemeente (ADR 0008).
- Everyone else: nothing.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from lxml import etree

from accounts.models import Organisation, OrganisationKind, User, is_gastheergemeente
from accounts.roles import Role
from accounts.services import log_access
from referrals.models import Case, CaseEvent, EventKind
from referrals.selectors import visibility_q

from .codes import retour_class_label, retourcode_text
from .models import LopendeToewijzing, Message, MessageState, MessageTransition, Toewijzing
from .parsing import parse_jw319, parse_retour, parse_xml
from .schemas import HEEN_OF
from .workdays import ANTWOORD_OP_JW315, IN_ONDERZOEK_WEKEN, START_STOP, add_working_days


def is_gastheer(user: User) -> bool:
    return is_gastheergemeente(user.organisation)


def message_visibility_q(user: User) -> Q:
    if not user.is_authenticated or not user.role or user.organisation_id is None:
        return Q(pk__in=[])
    if user.role in (Role.AANMELDPUNT, Role.REGIEVOERDER):
        return Q(case__in=Case.objects.filter(visibility_q(user)).values("pk"))
    if user.role == Role.BACKOFFICE and user.organisation.kind == OrganisationKind.GEMEENTE:
        if is_gastheer(user):
            return Q(gemeente__kind=OrganisationKind.GEMEENTE)
        return Q(gemeente=user.organisation_id)
    return Q(pk__in=[])


def visible_messages(user: User) -> QuerySet[Message]:
    return Message.objects.filter(message_visibility_q(user))


def with_retour_summary(qs: QuerySet[Message]) -> QuerySet[Message]:
    """Each message with `retour_summary`: the summary of the latest retour on it ('Afgewezen: 9347'), so a
    list shows a refused message's retourcodes without a query per row."""
    retour = Message.objects.filter(answers=OuterRef("pk"), message_type__in=list(HEEN_OF)).order_by("-pk")
    return qs.annotate(retour_summary=Subquery(retour.values("summary")[:1]))


def _list_relations(qs: QuerySet[Message]) -> QuerySet[Message]:
    return with_retour_summary(
        qs.select_related("case__jeugdige", "gemeente", "aanbieder", "answers", "corrects", "corrected_by").defer(
            "content", "answers__content", "corrects__content", "corrected_by__content"
        )
    )


@dataclass
class TrafficFilters:
    gemeente: int | None = None
    bericht: str = ""
    status: str = ""


def traffic(user: User, filters: TrafficFilters) -> QuerySet[Message]:
    qs = visible_messages(user)
    if filters.gemeente:
        qs = qs.filter(gemeente_id=filters.gemeente)
    if filters.bericht:
        qs = qs.filter(message_type=filters.bericht)
    if filters.status:
        qs = qs.filter(state=filters.status)
    return _list_relations(qs).order_by("-created_at", "-pk")


# The requests a gemeente answers with a JW301 or JW319: a verzoek om toewijzing (VOT) or om wijziging (VOW).
REQUESTS = ("jw315", "jw317")


def open_requests_q() -> Q:
    """JW315s and JW317s that the gemeente took in and has not answered for good (JW301, or JW319
    'afgewezen')."""
    final = Message.objects.filter(answers=OuterRef("pk"), state__in=ANSWER_SENT).filter(
        Q(message_type="jw301") | Q(message_type="jw319", summary__startswith="Afgewezen")
    )
    return Q(message_type__in=REQUESTS, state=MessageState.GEACCEPTEERD) & ~Exists(final)


def request_for(provider_agb: str, referentie: str) -> Message | None:
    """The JW315 or JW317 of this provider with this ReferentieAanbieder (one line of it); never a refused
    duplicate."""
    candidates = Message.objects.filter(
        message_type__in=REQUESTS, sender=provider_agb, referentie__contains=referentie, duplicate=False
    )
    for m in candidates:
        if referentie in m.referentie.split(" "):
            return m
    return None


def current_toewijzingen(*, gemeente, aanbieder, bsn: str, on: date) -> QuerySet[Toewijzing]:
    """The toewijzingen (JW301) of this gemeente (None: any) to this provider for the youth with this BSN that
    are still current on `on` (no einddatum, or not before `on`); a deleted one (einddatum = ingangsdatum)
    is not. This is what a verzoek om wijziging must name in full (TR349) and what its JW301 carries (OP087)."""
    qs = Toewijzing.objects.filter(
        source="jw301", aanbieder=aanbieder, case__jeugdige__bsn=bsn, toewijzing_nummer__isnull=False
    )
    if gemeente is not None:
        qs = qs.filter(gemeente=gemeente)
    return (
        qs.filter(Q(einddatum__isnull=True) | Q(einddatum__gte=on))
        .exclude(einddatum=models.F("ingangsdatum"))
        .order_by("ingangsdatum", "pk")
    )


# An answer counts once it went out and was not refused (a refused message counts as never sent, OP047).
ANSWER_SENT = (MessageState.VERZONDEN, MessageState.GEACCEPTEERD)


def _bsn_of(message: Message) -> str:
    root = parse_xml(message.data)
    return root.findtext(f"{{{etree.QName(root).namespace}}}Client/{{{etree.QName(root).namespace}}}Bsn") or ""


def _answered_for_good(request: Message) -> bool:
    """A JW301 (granted), or a JW319 with VerzoekAntwoord 1 (afgewezen); "in onderzoek" (2) is not final."""
    return any(
        a.message_type == "jw301" or parse_jw319(parse_xml(a.data)).verzoek_antwoord == "1"
        for a in request.answered_by.all()
    )


def pending_requests(*, sender: str, bsn: str, exclude: Message | None = None) -> list[Message]:
    """TR374 (OP350), one rule for the VOT (JW315) and the VOW (JW317): the requests of this provider (AGB) for
    this client (BSN, as the messages carry it) that the gemeente took in (accepted: a refused request counts as
    never sent) and has not answered for good yet (JW301, or JW319 afgewezen; "in onderzoek" keeps it open).
    `exclude`: the request being checked itself."""
    answers = Message.objects.filter(message_type__in=("jw301", "jw319"), state__in=ANSWER_SENT).only(
        "pk", "answers", "message_type", "content"
    )
    qs = (
        Message.objects.filter(message_type__in=REQUESTS, state=MessageState.GEACCEPTEERD, sender=sender)
        # A request is linked to the case of the youth its BSN names (OP079), or to none when no case matched.
        .filter(Q(case__jeugdige__bsn=bsn) | Q(case__isnull=True))
        .prefetch_related(Prefetch("answered_by", queryset=answers))
        .order_by("pk")
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return [m for m in qs if _bsn_of(m) == bsn and not _answered_for_good(m)]


def last_report(toewijzing: Toewijzing, message_type: str) -> Message | None:
    """The latest start (JW305) or stop (JW307) reported under a toewijzing that was not refused."""
    return (
        Message.objects.filter(message_type=message_type, toewijzing=toewijzing)
        .exclude(state=MessageState.AFGEWEZEN)
        .order_by("-pk")
        .first()
    )


def inbox(user: User, gemeente: int | None = None) -> list[Message]:
    """The backoffice's open requests (JW315 taken in, no final answer yet), oldest first, with their
    answer deadline: 5 working days after receipt (OP274)."""
    qs = visible_messages(user).filter(open_requests_q())
    if gemeente:
        qs = qs.filter(gemeente_id=gemeente)
    onderzoek = Message.objects.filter(answers=OuterRef("pk"), message_type="jw319").order_by("pk")
    rows = list(
        _list_relations(qs.annotate(onderzoek_sinds=Subquery(onderzoek.values("dagtekening")[:1]))).order_by(
            "created_at", "pk"
        )
    )
    for m in rows:
        m.in_onderzoek = m.onderzoek_sinds is not None
        if m.in_onderzoek:  # OP274: after "in onderzoek" the final answer follows within 8 weeks
            m.antwoord_uiterlijk = m.onderzoek_sinds + timedelta(weeks=IN_ONDERZOEK_WEKEN)
        else:
            m.antwoord_uiterlijk = add_working_days(m.dagtekening, ANTWOORD_OP_JW315)
    return rows


def gemeenten_for(user: User) -> QuerySet[Organisation]:
    """The gemeenten the user may filter on (Tilburg's backoffice: all regio gemeenten)."""
    qs = Organisation.objects.filter(kind=OrganisationKind.GEMEENTE)
    if user.role == Role.BACKOFFICE and not is_gastheer(user):
        qs = qs.filter(pk=user.organisation_id)
    return qs.order_by("name")


def log_refused_message(user: User, public_id, why: str) -> None:
    """An attempt on a message that exists but is not the user's to act on: logged as refused."""
    found = Message.objects.filter(public_id=public_id).values_list("message_type", "identificatie", "case_id").first()
    if found is not None:
        kind, identificatie, case_id = found
        case = f" ({Case.reference_of(case_id)})" if case_id else ""
        log_access(
            user=user,
            action="geweigerd",
            object_type="bericht",
            object_id=public_id,
            description=f"{kind.upper()} {identificatie}{case}: {why}",
        )


def message_detail(
    user: User, public_id, *, action: str = "inzien", description: str = "", log_refused: str = ""
) -> Message:
    """One message the user may see, its read written to the access log (`action`: "inzien", "downloaden",
    ...; `description`: what of it was shown, default its code, number and case). With `log_refused` (what
    was tried), a message that exists but is not the user's is logged as a refused attempt, then 404."""
    qs = (
        visible_messages(user)
        .select_related(
            "case__jeugdige", "gemeente", "aanbieder", "answers", "toewijzing", "created_by", "corrects", "corrected_by"
        )
        .prefetch_related(
            Prefetch("transitions", queryset=MessageTransition.objects.select_related("actor")),
            Prefetch("answered_by", queryset=Message.objects.defer("content").order_by("created_at", "pk")),
        )
    )
    try:
        message = qs.get(public_id=public_id)
    except Message.DoesNotExist:
        if log_refused:
            log_refused_message(user, public_id, f"geen toegang ({log_refused})")
        raise Http404("Dit bericht bestaat niet of u heeft er geen toegang toe.") from None
    case = f" ({message.case.reference})" if message.case else ""
    log_access(
        user=user,
        action=action,
        object_type="bericht",
        object_id=message.public_id,
        description=description or f"{message.code} {message.identificatie}{case}",
    )
    return message


def case_shown(user: User, message: Message) -> bool:
    """Whether the message's case is one the user may see (then its reference may be shown with the message)."""
    return message.case_id is not None and Case.objects.filter(visibility_q(user), pk=message.case_id).exists()


@dataclass
class CaseTraffic:
    messages: list[Message]
    toewijzingen: list[Toewijzing]
    open_request: Message | None
    start_due: date | None
    stop_due: date | None = None


def case_traffic(case: Case) -> CaseTraffic:
    """The messages and toewijzingen of a case the caller has already found visible (referrals' selector)."""
    messages = list(
        with_retour_summary(Message.objects.filter(case=case))
        .select_related("answers", "toewijzing", "corrects", "corrected_by")
        .defer("content", "answers__content", "corrects__content", "corrected_by__content")
        .order_by("-created_at", "-pk")
    )
    toewijzingen = list(
        Toewijzing.objects.filter(case=case)
        .select_related("gemeente", "aanbieder", "recorded_by")
        .prefetch_related(Prefetch("messages", queryset=Message.objects.defer("content").order_by("pk")))
        .order_by("-ingangsdatum", "-pk")
    )
    for t in toewijzingen:
        sent = [m for m in t.messages.all() if m.state != MessageState.AFGEWEZEN]
        starts = [m for m in sent if m.message_type == "jw305"]
        stops = [m for m in sent if m.message_type == "jw307"]
        t.started = bool(starts) and (not stops or stops[-1].pk < starts[-1].pk)
        t.stopped = bool(stops) and stops[-1].pk > starts[-1].pk if starts else False
    open_request = next(
        (
            m
            for m in messages
            if m.message_type in REQUESTS and m.state in (MessageState.GEVALIDEERD, MessageState.GEACCEPTEERD)
        ),
        None,
    )
    if open_request is not None:
        answered = any(a.answers_id == open_request.pk and a.message_type in ("jw301", "jw319") for a in messages)
        if open_request.state == MessageState.GEACCEPTEERD:
            open_request.antwoord_uiterlijk = add_working_days(open_request.dagtekening, ANTWOORD_OP_JW315)
        if answered:
            open_request = None
    start_due = None
    if case.zorg_gestart_op and not any(m.message_type == "jw305" for m in messages):
        start_due = add_working_days(case.zorg_gestart_op, START_STOP)
    stop_due = None
    if case.afgesloten_op and any(t.started for t in toewijzingen):  # care ended, the stop not yet reported
        stop_due = add_working_days(case.afgesloten_op, START_STOP)
    return CaseTraffic(messages, toewijzingen, open_request, start_due, stop_due)


@dataclass(frozen=True)
class RetourCode:
    """One retourcode of a retour, on the class it was found in (IJW-3.2-NOTES §6)."""

    code: str
    text: str
    path: str  # '' for the Header
    label: str  # the class, as the pages name it


def retour_of(message: Message) -> Message | None:
    """The latest retour on a message (with its content), or the message itself when it is a retour."""
    if message.is_retour:
        return message
    return Message.objects.filter(answers=message, message_type__in=list(HEEN_OF)).order_by("-pk").first()


def retour_codes(retour: Message | None) -> list[RetourCode]:
    """The retourcodes of a retour other than 0200 (fine), per class: Header, Client, AangevraagdProduct, ..."""
    if retour is None:
        return []
    data = parse_retour(parse_xml(retour.data))
    found = [RetourCode(c, retourcode_text(c), "", retour_class_label("")) for c in data.header_codes if c != "0200"]
    for path, codes in data.class_codes:
        found += [RetourCode(c, retourcode_text(c), path, retour_class_label(path)) for c in codes if c != "0200"]
    return found


def log_message_list(*, user: User, where: str, messages) -> None:
    """A list of messages names the youths' cases: log which ones it showed."""
    shown = [m.case.reference for m in messages if m.case_id]
    if shown:
        log_access(
            user=user,
            action="lijst",
            object_type="berichten",
            object_id="-",
            description=(f"{where}: " + ", ".join(dict.fromkeys(shown)))[:300],
        )


def log_import(*, user: User, message: Message) -> None:
    """A message taken in (page or API) is a read of the personal data it carries."""
    log_access(
        user=user,
        action="inlezen",
        object_type="bericht",
        object_id=message.public_id,
        description=f"{message.code} {message.identificatie}",
    )


def lopende_toewijzingen(case: Case) -> list[LopendeToewijzing]:
    """The running toewijzingen in segment 2 to 4 recorded on a case the caller has already found visible
    (its read is logged there), oldest first [HvB-S1]."""
    return list(case.lopende_toewijzingen.select_related("recorded_by", "beeindigd_by").order_by("recorded_at", "pk"))


def lopende_toewijzingen_to_end(user: User, limit: int = 50) -> list[LopendeToewijzing]:
    """The backoffice's task: the running toewijzingen in segment 2 to 4 still to end, of its gemeente's cases
    (the gastheergemeente: all), oldest first, at most `limit` [HvB-S1]. The caller logs the cases it shows."""
    if user.role != Role.BACKOFFICE or user.organisation is None or user.organisation.kind != OrganisationKind.GEMEENTE:
        return []
    qs = LopendeToewijzing.objects.filter(
        beeindigd_per__isnull=True, case__in=Case.objects.filter(visibility_q(user)).values("pk")
    )
    return list(qs.select_related("case__gemeente").order_by("recorded_at", "pk")[:limit])


# How long a notice that the youth's data changed after a message was sent stays on the backoffice's list.
CHANGED_AFTER_SENT_DAYS = 30


def changed_after_sent(user: User, limit: int = 50) -> list[CaseEvent]:
    """The backoffice's notices: the youth's name, birth date, BSN or address changed after a JW315 or JW301
    went to the other party, so that the toewijzing is checked and, where needed, sent again. Of the cases
    whose messages the backoffice sees (its gemeente's; the gastheergemeente: all), the last 30 days, newest
    first, at most `limit`. Which fields changed, not their values. The caller logs the cases it shows."""
    if user.role != Role.BACKOFFICE or user.organisation is None or user.organisation.kind != OrganisationKind.GEMEENTE:
        return []
    since = timezone.now() - timedelta(days=CHANGED_AFTER_SENT_DAYS)
    qs = CaseEvent.objects.filter(kind=EventKind.GEGEVENS_NA_BERICHT, at__gte=since)
    if not is_gastheer(user):
        qs = qs.filter(case__gemeente=user.organisation_id)
    return list(qs.select_related("case__gemeente", "actor").order_by("-at", "-pk")[:limit])
