"""Messages as another party's system sends them, for the receiving tests: a fresh valid message of each
type (unique identificatie, referentie and toewijzingnummer), mutations that break one rule, comments and
processing instructions put anywhere, and the outcome of an import as plain values."""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone
from lxml import etree

from messaging import services
from messaging.builders import (
    build_jw301,
    build_jw305,
    build_jw307,
    build_jw315,
    build_jw317,
    build_jw319,
    build_retour,
    to_bytes,
)
from messaging.codes import REDENEN_BEEINDIGING
from messaging.data import (
    Antwoordbericht,
    BerichtHeader,
    Product,
    StartJeugdhulp,
    StartProduct,
    StopJeugdhulp,
    StopProduct,
    TeWijzigenProduct,
    ToegewezenProduct,
    ToewijzingBericht,
    VerzoekOmWijziging,
)
from messaging.from_case import client_from_jeugdige
from messaging.models import Message, MessageState, Toewijzing
from messaging.parsing import parse_xml
from messaging.schemas import NAMESPACES, NS_IJW, RETOUR_OF, message_type
from messaging.services.base import store, transition
from messaging.services.requesting import _jw315_data

from . import samples
from .traffic import Parties, request_input

HEEN = ("jw315", "jw317", "jw301", "jw305", "jw307", "jw319")
RETOUREN = tuple(RETOUR_OF[m] for m in HEEN)
AGB, CBS = "80000101", "0855"  # Sterk Huis (the case's regievoerder) and Tilburg
INVALID_BSN = "123456789"  # nine digits (XSD-valid), fails the elfproef (CS002)


class World:
    """One case in care with a toewijzing and an open request, the parties of both sides, and numbers never used
    twice. Each valid heenbericht comes with what the cross-message rules (IJW-3.2-NOTES §4.9, §5) need before
    it, made fresh for it, so a message that was taken in before never makes the next one wrong: a JW315 is for
    another youth without an open request (TR374), a JW305 starts a new toewijzing (TR074, TR326), a JW307
    stops the accepted start of a new toewijzing (TR382), a JW319 answers a new request (TR360, TR365).
    `subject`: the case the last message made is about."""

    def __init__(self):
        self.p = Parties()
        self.case = self.p.case()
        self._numbers = itertools.count(1)
        self.request = self.p.sent_request(self.case)  # a JW315 the gemeente took in, still open
        self.toewijzing = self.new_toewijzing()
        self.subject = self.case

    def new_toewijzing(self, case=None) -> Toewijzing:
        """A toewijzing for the case (by default the World's), taken in by the provider, nothing started under it
        yet."""
        result = services.import_message(actor=self.p.aanmeldpunt, data=self.jw301(case=case))
        assert result.accepted, result.codes
        return Toewijzing.objects.get(message=result.message)

    def started(self, begindatum: date | None = None) -> Toewijzing:
        """A new toewijzing with its start (JW305, accepted by the gemeente)."""
        toewijzing = self.new_toewijzing()
        start = self.jw305(nummer=toewijzing.toewijzing_nummer, begindatum=begindatum)
        result = services.import_message(actor=self.p.backoffice, data=start)
        assert result.accepted, result.codes
        return toewijzing

    def open_request(self) -> Message:
        """A JW315 the gemeente took in and has not answered, for a youth of its own."""
        return self.p.sent_request(self.p.case())

    def number(self) -> int:
        return next(self._numbers)

    def ident(self) -> str:
        return f"{990000000000 + self.number()}"

    def actor(self, msg_type: str):
        """Who reads the message in: the gemeente's backoffice for what the provider sends, and back."""
        provider_sends = msg_type in ("jw315", "jw317", "jw305", "jw307", "jw302", "jw320")
        return self.p.backoffice if provider_sends else self.p.aanmeldpunt

    # --- Heenberichten, valid --------------------------------------------------------------------------

    def jw315(self, ident: str = "", referentie: str = "", variant: int = 0, case=None) -> bytes:
        """A request for `case`, by default a new youth's (no request of this provider open for it: TR374)."""
        n = self.number()
        self.subject = case or self.p.case()
        data = _jw315_data(
            self.subject,
            request_input(volume=1 + variant % 50),
            identificatie=ident or self.ident(),
            referentie=referentie,
        )
        if not referentie:
            line = replace(data.producten[0], referentie_aanbieder=f"EXT-315-{n}")
            data = replace(data, producten=(line,))
        return to_bytes(build_jw315(data))

    def jw317(self, ident: str = "", variant: int = 0, nummer: int | None = None) -> bytes:
        """A verzoek om wijziging for a new youth with one current toewijzing at this provider and no request
        open (TR374): its einddatum moves (TR349: the one current toewijzing is named). `nummer`: name another
        toewijzing instead (TR351)."""
        case = self.p.case()
        toewijzing = self.new_toewijzing(case)
        self.subject = case
        data = VerzoekOmWijziging(
            header=BerichtHeader(AGB, CBS, ident or self.ident(), timezone.localdate()),
            bsn=case.jeugdige.bsn,
            referentie_aanbieder=f"EXT-317-{self.number()}",
            reden_verzoek="1" if variant % 2 else "2",
            ongewijzigd=(toewijzing.toewijzing_nummer,) if nummer else (),
            te_wijzigen=(
                TeWijzigenProduct(
                    nummer or toewijzing.toewijzing_nummer,
                    toewijzing.ingangsdatum,  # the whole period (TR357)
                    toewijzing.einddatum + timedelta(days=30 + variant % 60),
                ),
            ),
        )
        return to_bytes(build_jw317(data))

    def jw301(
        self, ident: str = "", nummer: int | None = None, referentie: str = "", variant: int = 0, case=None
    ) -> bytes:
        today = timezone.localdate()
        self.subject = case or self.case
        self.subject.jeugdige.refresh_from_db()
        data = ToewijzingBericht(
            header=BerichtHeader(CBS, AGB, ident or self.ident(), today),
            client=client_from_jeugdige(self.subject.jeugdige, met_adres=True),
            producten=(
                ToegewezenProduct(
                    toewijzing_nummer=nummer or 870000 + self.number(),
                    toewijzingsdatum=today,
                    toewijzingstijd=time(9, 30),
                    ingangsdatum=today,
                    product=Product("54"),
                    referentie_aanbieder=referentie,
                    budget=150000 + 100 * (variant % 1000),
                    einddatum=today + timedelta(days=90),
                ),
            ),
        )
        return to_bytes(build_jw301(data))

    def jw305(
        self,
        ident: str = "",
        nummer: int | None = None,
        variant: int = 0,
        begindatum: date | None = None,
        status: str = "1",
    ) -> bytes:
        """A start under toewijzing `nummer`, by default under a new toewijzing (nothing started yet)."""
        today = timezone.localdate()
        nummer = nummer or self.new_toewijzing().toewijzing_nummer
        line = StartProduct(begindatum=begindatum or today, toewijzing_nummer=nummer, status_aanlevering=status)
        self.subject = self.case
        data = StartJeugdhulp(
            header=BerichtHeader(AGB, CBS, ident or self.ident(), today),
            client=client_from_jeugdige(self.case.jeugdige),
            producten=(line,),
        )
        return to_bytes(build_jw305(data))

    def jw307(
        self,
        ident: str = "",
        nummer: int | None = None,
        variant: int = 0,
        begindatum: date | None = None,
        einddatum: date | None = None,
        reden: str = "",
    ) -> bytes:
        """A stop of the current start under toewijzing `nummer` (begun on `begindatum`, today by default), by
        default of a new toewijzing started today (TR382: the stop names the start it ends)."""
        today = timezone.localdate()
        line = StopProduct(
            begindatum=begindatum or today,
            einddatum=einddatum or today,
            reden_beeindiging=reden or sorted(REDENEN_BEEINDIGING)[variant % len(REDENEN_BEEINDIGING)],
            toewijzing_nummer=nummer or self.started().toewijzing_nummer,
        )
        self.subject = self.case
        data = StopJeugdhulp(
            header=BerichtHeader(AGB, CBS, ident or self.ident(), today),
            client=client_from_jeugdige(self.case.jeugdige),
            producten=(line,),
        )
        return to_bytes(build_jw307(data))

    def jw319(self, ident: str = "", referentie: str = "", variant: int = 0) -> bytes:
        """An answer on the request with `referentie`, by default the first answer on a new open request."""
        header = BerichtHeader(CBS, AGB, ident or self.ident(), timezone.localdate())
        antwoord, reden = ("2", "") if variant % 2 == 0 else ("1", str(1 + variant % 9))  # in onderzoek, afgewezen
        if referentie:
            self.subject = next(
                (m.case for m in Message.objects.filter(message_type="jw315", referentie=referentie)), None
            )
        else:
            request = self.open_request()
            referentie, self.subject = request.referentie, request.case
        woonplaats = "0784" if reden == "8" else ""  # reden 8 names the responsible gemeente (TR409)
        return to_bytes(build_jw319(Antwoordbericht(header, referentie, antwoord, reden, woonplaats)))

    def heen(self, msg_type: str, **kw) -> bytes:
        return getattr(self, msg_type)(**kw)

    # --- Retours on a message of ours that went out through the national traffic --------------------------

    def retour(self, msg_type: str, *, codes=()) -> bytes:
        """A retour (`msg_type` JW316, …) from another party on a heenbericht of ours, sent and not yet answered;
        `codes`: retourcodes on the header."""
        heen_type = next(h for h, r in RETOUR_OF.items() if r == msg_type)
        sample = getattr(samples, heen_type)()
        afzender, ontvanger = (AGB, CBS) if heen_type in ("jw315", "jw317", "jw305", "jw307") else (CBS, AGB)
        header = BerichtHeader(afzender, ontvanger, self.ident(), sample.header.dagtekening)
        sample = replace(sample, header=header)
        if heen_type == "jw315":
            line = replace(sample.producten[0], referentie_aanbieder=f"OWN-315-{self.number()}")
            sample = replace(sample, producten=(line,))
        builder = {
            "jw315": build_jw315,
            "jw317": build_jw317,
            "jw301": build_jw301,
            "jw305": build_jw305,
            "jw307": build_jw307,
        }
        root = builder[heen_type](sample) if heen_type != "jw319" else build_jw319(sample)
        message = store(root, actor=None, case=self.case, summary="Verzonden via de landelijke berichtenstroom")
        transition(message, MessageState.VERZONDEN, actor=None)
        retour = build_retour(
            parse_xml(message.data), identificatie=self.ident(), dagtekening=timezone.localdate(), header_codes=codes
        )
        return to_bytes(retour)


# --- Mutations: one field changed, and the code the rule names ----------------------------------------------


def _ns(msg_type: str) -> dict:
    return {"m": NAMESPACES[msg_type], "ijw": NS_IJW}


def set_text(data: bytes, xpath: str, value: str) -> bytes:
    root = parse_xml(data)
    (el,) = root.xpath(xpath, namespaces=_ns(message_type(root)))
    el.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


DAGTEKENING = "m:Header/m:BerichtIdentificatie/ijw:Dagtekening"


@dataclass(frozen=True)
class Mutation:
    """`make(world)` -> the message bytes; `code`: the one retourcode expected ('' accepted, None refused
    without a retour and nothing stored)."""

    name: str
    msg_type: str
    code: str | None
    make: Callable[[World], bytes]

    def __str__(self):
        return f"{self.msg_type}-{self.name}"


def _duplicate(msg_type: str) -> Callable[[World], bytes]:
    def make(w: World) -> bytes:
        ident = w.ident()
        first = services.import_message(actor=w.actor(msg_type), data=w.heen(msg_type, ident=ident))
        assert first.accepted, first.codes
        return w.heen(msg_type, ident=ident)

    return make


def _other_type_same_ident(w: World) -> bytes:
    ident = w.ident()
    first = services.import_message(actor=w.p.backoffice, data=w.jw315(ident=ident))
    assert first.accepted, first.codes
    return w.jw305(ident=ident)  # the same sender, the same number, another message type


def _tomorrow(msg_type: str) -> Callable[[World], bytes]:
    def make(w: World) -> bytes:
        tomorrow = timezone.localdate() + timedelta(days=1)
        return set_text(w.heen(msg_type), DAGTEKENING, tomorrow.isoformat())

    return make


def _bad_bsn(msg_type: str) -> Callable[[World], bytes]:
    return lambda w: set_text(w.heen(msg_type), "m:Client/m:Bsn", INVALID_BSN)


def _reused_referentie(w: World) -> bytes:
    return w.jw315(referentie=w.request.referentie.split(" ")[0])


def _answered_request(w: World) -> bytes:
    jw315, _ = w.p.granted(w.p.case())  # another youth: the World's case has a request open (TR374)
    return w.jw319(referentie=jw315.referentie)


def _start_received_before(w: World) -> bytes:
    toewijzing = w.started()
    return w.jw305(nummer=toewijzing.toewijzing_nummer)  # the same key, StatusAanlevering 1 again


def _start_not_stopped(w: World) -> bytes:
    toewijzing = w.started(begindatum=today() - timedelta(days=7))
    return w.jw305(nummer=toewijzing.toewijzing_nummer)  # a new start while the first one runs


def _delete_unsent_start(w: World) -> bytes:
    return w.jw305(nummer=w.new_toewijzing().toewijzing_nummer, status="3")


def _stop_without_start(w: World) -> bytes:
    return w.jw307(nummer=w.new_toewijzing().toewijzing_nummer)


def _delete_stopped_start(w: World) -> bytes:
    nummer = w.started().toewijzing_nummer
    stop = services.import_message(actor=w.p.backoffice, data=w.jw307(nummer=nummer, reden="02"))
    assert stop.accepted, stop.codes
    return w.jw305(nummer=nummer, status="3")


def _second_stop(first: tuple[str, int], then: tuple[str, int]) -> Callable[[World], bytes]:
    """A stop after an accepted stop of the same start (begun a week ago): (reden, days before today) each."""

    def make(w: World) -> bytes:
        begun = today() - timedelta(days=7)
        nummer = w.started(begindatum=begun).toewijzing_nummer
        (reden, days), (then_reden, then_days) = first, then
        earlier = w.jw307(nummer=nummer, begindatum=begun, einddatum=today() - timedelta(days=days), reden=reden)
        stop = services.import_message(actor=w.p.backoffice, data=earlier)
        assert stop.accepted, stop.codes
        return w.jw307(nummer=nummer, begindatum=begun, einddatum=today() - timedelta(days=then_days), reden=then_reden)

    return make


def _second_answer(first: str, then: int) -> Callable[[World], bytes]:
    """A JW319 on a request already answered with `first` (2 in onderzoek, 1 afgewezen); `then` its variant."""

    def make(w: World) -> bytes:
        request = w.open_request()
        variant = 0 if first == "2" else 1
        answer = services.import_message(
            actor=w.p.aanmeldpunt, data=w.jw319(referentie=request.referentie, variant=variant)
        )
        assert answer.accepted, answer.codes
        return w.jw319(referentie=request.referentie, variant=then)

    return make


MUTATIONS = [
    *(Mutation("valid", m, "", lambda w, m=m: w.heen(m)) for m in HEEN),
    *(Mutation("bad_bsn", m, "0001", _bad_bsn(m)) for m in ("jw315", "jw317", "jw301", "jw305", "jw307")),
    *(Mutation("future_dagtekening", m, "8848", _tomorrow(m)) for m in HEEN),
    *(Mutation("duplicate_identificatie", m, "9056", _duplicate(m)) for m in HEEN),
    Mutation("same_identificatie_other_type", "jw305", "", _other_type_same_ident),
    Mutation("unknown_referentie", "jw319", "9355", lambda w: w.jw319(referentie="ONBEKEND-1")),
    Mutation("answered_request", "jw319", "9359", _answered_request),
    Mutation("duplicate_referentie", "jw315", "9347", _reused_referentie),
    Mutation("request_still_open", "jw315", "9374", lambda w: w.jw315(case=w.case)),
    Mutation("start_received_before", "jw305", "9074", _start_received_before),
    Mutation("start_not_stopped", "jw305", "9326", _start_not_stopped),
    Mutation("delete_unsent_start", "jw305", "9063", _delete_unsent_start),
    Mutation("stop_without_current_start", "jw307", "9069", _stop_without_start),
    Mutation("delete_stopped_start", "jw305", "9071", _delete_stopped_start),
    Mutation("second_temporary_stop", "jw307", "9413", _second_stop(("20", 1), then=("20", 0))),
    Mutation("stop_going_back_in_time", "jw307", "9414", _second_stop(("20", 0), then=("02", 1))),
    Mutation("stop_after_definitive_stop", "jw307", "9415", _second_stop(("02", 0), then=("31", 0))),
    Mutation("in_onderzoek_again", "jw319", "9360", _second_answer("2", then=0)),
    Mutation("answer_after_refusal", "jw319", "9365", _second_answer("1", then=1)),
    Mutation("unknown_toewijzingnummer", "jw317", "9351", lambda w: w.jw317(nummer=123456)),
    Mutation("unknown_toewijzingnummer", "jw305", "9019", lambda w: w.jw305(nummer=123456)),
    Mutation("unknown_toewijzingnummer", "jw307", "9019", lambda w: w.jw307(nummer=123456)),
    Mutation(
        "reused_toewijzingnummer",
        "jw301",
        "9332",
        lambda w: w.jw301(nummer=w.toewijzing.toewijzing_nummer, case=w.p.case()),  # another youth's number
    ),
    Mutation("unknown_referentie", "jw301", "9379", lambda w: w.jw301(referentie="ONBEKEND-2")),
    Mutation("xsd_invalid_geslacht", "jw315", None, lambda w: set_text(w.jw315(), "m:Client/m:Geslacht", "7")),
    Mutation("xsd_invalid_bsn", "jw301", None, lambda w: set_text(w.jw301(), "m:Client/m:Bsn", "12345")),
    Mutation("xsd_invalid_date", "jw305", None, lambda w: set_text(w.jw305(), DAGTEKENING, "2025-02-30")),
]


# --- Comments and processing instructions anywhere ----------------------------------------------------------


def _slots(root: etree._Element) -> list[tuple]:
    """Where a comment or processing instruction can go: before or after the root, between any two children
    of an element (also before the Header), and inside a leaf's text."""
    slots: list[tuple] = [("before",), ("after",)]
    for el in root.iter(etree.Element):
        children = list(el)
        if children:
            slots += [("child", el, i) for i in range(len(children) + 1)]
        elif el.text and len(el.text) > 1:
            slots += [("text", el, k) for k in range(1, len(el.text))]
    return slots


def with_noise(data: bytes, insertions) -> bytes:
    """`data` with comments and processing instructions put in: `insertions` [(slot number, is_pi, text)]."""
    root = parse_xml(data)
    for number, is_pi, text in insertions:
        node = etree.PI("ijw-test", text) if is_pi else etree.Comment(text)
        slots = _slots(root)
        slot = slots[number % len(slots)]
        if slot[0] == "before":
            root.addprevious(node)
        elif slot[0] == "after":
            root.addnext(node)
        elif slot[0] == "child":
            _, el, i = slot
            el.insert(i, node)
        else:
            _, el, k = slot
            before, after = el.text[:k], el.text[k:]
            el.text = before
            node.tail = after
            el.insert(0, node)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


# --- The outcome of an import, as plain values --------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    refused: tuple[str, ...] | None  # the Dutch reasons, or None when it was taken in
    message_type: str = ""
    state: str = ""
    codes: tuple[str, ...] = ()
    retour_type: str = ""
    case: int | None = None
    answered_state: str = ""


def outcome(actor, data: bytes) -> Outcome:
    before = Message.objects.count()
    try:
        result = services.import_message(actor=actor, data=data)
    except services.ImportRefused as refused:
        assert Message.objects.count() == before, "a refused import stored something"
        return Outcome(refused=tuple(refused.reasons))
    assert result.message.data == data  # stored exactly as received
    return Outcome(
        refused=None,
        message_type=result.message.message_type,
        state=result.message.state,
        codes=tuple(code for code, _ in result.codes),
        retour_type=result.retour.message_type if result.retour else "",
        case=result.message.case_id,
        answered_state=result.answered.state if result.answered else "",
    )


class _Undo(Exception):
    pass


def outcome_undone(actor, data: bytes) -> Outcome:
    """The outcome of an import, after which the database is as it was (to compare two imports)."""
    found: list[Outcome] = []
    try:
        with transaction.atomic():
            found.append(outcome(actor, data))
            raise _Undo
    except _Undo:
        pass
    return found[0]


def today() -> date:
    return timezone.localdate()
