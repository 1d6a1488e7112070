"""The receiver takes in a message: its checks (XSD, in-message rules, cross-message rules), its retour,
the sent message's state, the timeline events on both sides, and the effects (a JW301 records toewijzingen)."""

from datetime import date

from django.utils import timezone
from lxml import etree

from accounts.models import User
from referrals.models import EventKind
from referrals.services import record_event

from ..builders import build_retour
from ..codes import retourcode_text
from ..models import Message, MessageState, Toewijzing, ToewijzingSource
from ..parsing import parse_jw301, parse_xml
from ..selectors import REQUESTS, current_toewijzingen, request_for
from ..validation import validate_rules
from ..validation.base import CUTOFF_2020
from .base import next_identificatie, store, transition
from .cross_rules import antwoord_codes, open_request_codes, start_stop_codes

RECEIVED_EVENT = {
    "jw315": EventKind.JW315_ONTVANGEN,
    "jw317": EventKind.JW317_ONTVANGEN,
    "jw301": EventKind.TOEWIJZING_ONTVANGEN,
    "jw319": EventKind.JW319_ONTVANGEN,
    "jw305": EventKind.BERICHT_ONTVANGEN,
    "jw307": EventKind.BERICHT_ONTVANGEN,
}


def _cross_checks(message: Message, root: etree._Element) -> dict:
    """Level 3 rules (need the stored traffic): {class element: [retourcodes]}."""
    ns = {"m": root.nsmap[message.message_type], "ijw": root.nsmap["ijw"]}
    # Message types with their own checks (one function each); the others below.
    errors: dict = OWN_CHECKS[message.message_type](message, root, ns) if message.message_type in OWN_CHECKS else {}
    if message.message_type == "jw315":
        pending = open_request_codes(message, root.findtext("m:Client/m:Bsn", namespaces=ns))  # TR374
        for el in root.xpath("m:Client/m:AangevraagdeProducten/m:AangevraagdProduct", namespaces=ns):
            ref = el.findtext("m:ReferentieAanbieder", namespaces=ns)
            if _referentie_used(message, ref):
                errors[el] = ["9347"]  # TR347
            if pending:
                errors[el] = [*errors.get(el, []), *pending]
    elif message.message_type == "jw301":
        for el in root.xpath("m:Client/m:ToegewezenProducten/m:ToegewezenProduct", namespaces=ns):
            codes = []
            nummer = int(el.findtext("m:ToewijzingNummer", namespaces=ns))
            if _number_taken(message, el, nummer, ns):
                codes.append("9332")  # TR332
            ref = el.findtext("m:ReferentieAanbieder", namespaces=ns)
            if ref and not request_for(message.receiver, ref):
                codes.append("9379")  # TR379
            if codes:
                errors[el] = codes
    elif message.message_type in ("jw305", "jw307"):
        errors = start_stop_codes(message, root)  # TR019, TR063, TR071, TR074, TR326, TR382, TR413-TR415
    elif message.message_type == "jw319":
        antwoord = root.find("m:Antwoord", namespaces=ns)
        request = request_for(message.receiver, antwoord.findtext("m:ReferentieAanbieder", namespaces=ns))
        if request is None:
            errors[antwoord] = ["9355"]  # TR355
        elif request.answered_by.filter(message_type="jw301").exists():
            errors[antwoord] = ["9359"]  # TR359
        elif codes := antwoord_codes(message, request, root):
            errors[antwoord] = codes  # TR360, TR365
    return errors


def whole_message_codes(root: etree._Element, *, duplicate: bool, dagtekening: date) -> list[str]:
    """The codes that refuse a received message as a whole, on its retour's header, in the standard's order
    (IV032): an in-message rule failed (0001, nothing else); else the header's cross-message rules (IJW-3.2-NOTES
    §4.9): TR056 (9056; `duplicate`: its sender used this Identificatie for this message type before) and TR135
    (8848: Dagtekening after the receiver's system date, Europe/Amsterdam)."""
    if validate_rules(root):
        return ["0001"]
    codes = []
    if duplicate:
        codes.append("9056")  # TR056
    if dagtekening > timezone.localdate():
        codes.append("8848")  # TR135
    return codes


def _number_taken(message: Message, el, nummer: int, ns: dict) -> bool:
    """TR332: the ToewijzingNummer is already used within the gemeente for another toewijzing. A number is new
    on the first toewijzing only (IV066), and every JW301 carries all current toewijzingen of the client at
    this provider again (OP087): the same number for the same provider and youth (by BSN) is that toewijzing."""
    same_number = Toewijzing.objects.filter(gemeente=message.gemeente, toewijzing_nummer=nummer)
    bsn = el.getparent().getparent().findtext("m:Bsn", namespaces=ns)
    return same_number.exclude(aanbieder=message.aanbieder, case__jeugdige__bsn=bsn).exists()


def _referentie_used(message: Message, ref: str) -> bool:
    """TR347: the provider used this ReferentieAanbieder on another request (JW315 or JW317) before."""
    earlier = Message.objects.filter(message_type__in=REQUESTS, sender=message.sender, referentie__contains=ref)
    return any(ref in m.referentie.split(" ") for m in earlier.exclude(pk=message.pk).only("referentie"))


def _jw317_checks(message: Message, root: etree._Element, ns: dict) -> dict:
    """The gemeente's cross-message rules on a verzoek om wijziging, each with its retourcode."""
    errors: dict = {}

    def add(el, code):
        errors.setdefault(el, []).append(code)

    client = root.find("m:Client", namespaces=ns)
    verzoek = client.find("m:Verzoek", namespaces=ns)
    bsn = client.findtext("m:Bsn", namespaces=ns)
    dag = date.fromisoformat(root.findtext("m:Header/m:BerichtIdentificatie/ijw:Dagtekening", namespaces=ns))
    current = {
        t.toewijzing_nummer: t
        for t in current_toewijzingen(gemeente=message.gemeente, aanbieder=message.aanbieder, bsn=bsn, on=dag)
    }
    named = set()
    for el in verzoek.xpath("m:OngewijzigdeProducten/m:OngewijzigdProduct", namespaces=ns):
        nummer = int(el.findtext("m:ToewijzingNummer", namespaces=ns))
        named.add(nummer)
        if nummer not in current:
            add(el, "9350")  # TR350
    for el in verzoek.xpath("m:TeWijzigenProducten/m:TeWijzigenProduct", namespaces=ns):
        nummer = int(el.findtext("m:ToewijzingNummer", namespaces=ns))
        named.add(nummer)
        t = current.get(nummer)
        if t is None:
            add(el, "9351")  # TR351
            continue
        gewenst = date.fromisoformat(el.findtext("m:GewensteIngangsdatum", namespaces=ns))
        if gewenst <= dag and gewenst != t.ingangsdatum:
            add(el, "9357")  # TR357
        budget = el.findtext("m:Budget", namespaces=ns)
        if budget is not None and int(budget) != t.budget and gewenst != t.ingangsdatum:
            add(el, "9373")  # TR373
        omvang = el.find("m:Omvang", namespaces=ns) is not None
        if t.product_code and not omvang:
            add(el, "9411")  # TR411: a toewijzing with a product code changes with an Omvang
        einddatum = el.findtext("m:Einddatum", namespaces=ns)
        if not t.product_code and omvang and (not einddatum or date.fromisoformat(einddatum) > CUTOFF_2020):
            add(el, "9412")  # TR412: without a product code (end after 2020) no Omvang
    if set(current) - named:
        add(verzoek, "9349")  # TR349
    if _referentie_used(message, verzoek.findtext("m:ReferentieAanbieder", namespaces=ns)):
        add(verzoek, "9347")  # TR347
    for code in open_request_codes(message, bsn):
        add(verzoek, code)  # TR374
    return errors


OWN_CHECKS = {"jw317": _jw317_checks}


def deliver(message: Message, *, actor: User | None) -> Message:
    """The receiver takes in `message`: checks, retour, state, timeline, effects. Returns the retour.

    The levels in order (IV032): in-message rules (any failure: 0001 on the header, nothing else); the
    header's cross-message rules (TR056, TR135: their codes on the header, the message is refused as a
    whole); then the cross-message rules per class. A message without a case still gets its retour."""
    root = parse_xml(message.data)
    header_codes = whole_message_codes(root, duplicate=message.duplicate, dagtekening=message.dagtekening)
    class_codes = {} if header_codes else _cross_checks(message, root)
    retour_root = build_retour(
        root,
        identificatie=next_identificatie(message.receiver),
        dagtekening=timezone.localdate(),
        header_codes=header_codes,
        class_codes=class_codes,
    )
    accepted = not header_codes and not class_codes
    codes = header_codes + sorted({c for cs in class_codes.values() for c in cs})
    retour = store(
        retour_root,
        actor=None,
        case=message.case,
        answers=message,
        summary="Geaccepteerd" if accepted else "Afgewezen: " + ", ".join(codes),
        reason="Retour opgemaakt door de ontvanger.",
    )
    transition(retour, MessageState.VERZONDEN, actor=None, reason="Retour verzonden.")
    transition(
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
    if accepted and message.message_type == "jw301" and message.case is not None:
        _record_toewijzingen(message, root)
    return retour


def _record_toewijzingen(message: Message, root: etree._Element) -> list[Toewijzing]:
    data = parse_jw301(root)
    recorded = []
    for line in data.producten:
        known = _known_toewijzing(message, line)
        if known is not None:  # the number was given before: the same toewijzing, maybe changed
            recorded.append(known)
            continue
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
                budget=line.budget,
                ingangsdatum=line.ingangsdatum,
                einddatum=line.einddatum,
                toewijzingsdatum=line.toewijzingsdatum,
            )
        )
    return recorded


def _known_toewijzing(message: Message, line) -> Toewijzing | None:
    """The toewijzing this JW301 line repeats (its number known for this provider and gemeente, after a
    verzoek om wijziging, OP087), with its new einddatum, omvang or budget when the line has a RedenWijziging
    (OP033x1); None for a new toewijzing."""
    known = Toewijzing.objects.filter(
        gemeente=message.gemeente, toewijzing_nummer=line.toewijzing_nummer, aanbieder=message.aanbieder
    ).first()
    if known is not None and line.reden_wijziging:
        known.volume = line.omvang.volume if line.omvang else None
        known.eenheid = line.omvang.eenheid if line.omvang else ""
        known.frequentie = line.omvang.frequentie if line.omvang else ""
        known.budget = line.budget
        known.ingangsdatum = line.ingangsdatum
        known.einddatum = line.einddatum
        known.referentie_aanbieder = line.referentie_aanbieder or known.referentie_aanbieder
        known.save()
    return known
