"""Cross-message rules on a received request (JW315), start or stop (JW305/JW307) and antwoordbericht
(JW319) that need the earlier accepted traffic, and TR374 on a request (JW315 or JW317) (IJW-3.2-NOTES §4.9,
§5.4). `receiving._cross_checks` asks these: `start_stop_codes` returns {class element: [retourcodes]}, the
others the codes for their class.

"Current" follows IV008/TR326: an accepted delivery (status 1) counts until a delivery with status 3 and
the same key removes it; a rejected message counts as never sent (OP047)."""

from lxml import etree

from ..models import Message, MessageState, Toewijzing
from ..parsing import parse_jw319, parse_tree, parse_xml
from ..selectors import pending_requests

TIJDELIJK = "20"  # RedenBeeindiging 20: tijdelijk beëindigd


def _product(p) -> tuple[str, str] | None:
    return (p.categorie, p.code) if p is not None else None


def _start_key(line) -> tuple:
    """The key of a start, and of the start a stop ends (TR382: the stop copies it unchanged)."""
    return (line.toewijzing_nummer, _product(line.product), line.begindatum)


def _stop_key(line) -> tuple:
    return (*_start_key(line), line.reden_beeindiging, line.einddatum)


def _current(message: Message, bsn: str) -> tuple[set, list]:
    """The current start keys and stop keys of this client, from the earlier accepted JW305/JW307 of the
    same provider to the same gemeente, in the order they came in."""
    earlier = Message.objects.filter(
        message_type__in=("jw305", "jw307"),
        sender=message.sender,
        gemeente=message.gemeente,
        state=MessageState.GEACCEPTEERD,
    ).exclude(pk=message.pk)
    if message.case_id:
        earlier = earlier.filter(case_id=message.case_id)
    starts: set = set()
    stops: list = []
    for m in earlier.order_by("pk").only("message_type", "content"):
        data = parse_tree(parse_xml(m.data))
        if data.client.bsn != bsn:
            continue
        for line in data.producten:
            is_start = m.message_type == "jw305"
            key = _start_key(line) if is_start else _stop_key(line)
            if line.status_aanlevering == "3":
                if is_start:
                    starts.discard(key)
                elif key in stops:
                    stops.remove(key)
            elif is_start:
                starts.add(key)
            else:
                stops.append(key)
    return starts, stops


def _start_codes(line, starts: set, stops: list) -> list[str]:
    key = _start_key(line)
    stopped = {stop[:3] for stop in stops}
    if line.status_aanlevering == "3":
        if key not in starts:
            return ["9063"]  # TR063: nothing to delete
        return ["9071"] if key in stopped else []  # TR071: the care was already stopped
    if key in starts:
        return ["9074"]  # TR074: this start was received before
    running = [s for s in starts if s[0] == line.toewijzing_nummer and s not in stopped]
    return ["9326"] if running else []  # TR326: the current start has not been stopped


def _stop_codes(line, starts: set, stops: list) -> list[str]:
    key = _stop_key(line)
    if line.status_aanlevering == "3":
        return [] if key in stops else ["9063"]  # TR063
    if key in stops:
        return ["9074"]  # TR074
    if key[:3] not in starts:
        return ["9069"]  # TR382 (code 9069): no current start with the same key
    codes = []
    same = [stop for stop in stops if stop[:3] == key[:3]]
    if any(stop[3] != TIJDELIJK for stop in same):
        codes.append("9415")  # TR415: a definitive stop was already reported
    elif line.reden_beeindiging == TIJDELIJK and same:
        codes.append("9413")  # TR413: a second temporary stop
    if any(stop[4] > line.einddatum for stop in same):
        codes.append("9414")  # TR414: the end date goes back in time
    return codes


def start_stop_codes(message: Message, root: etree._Element) -> dict:
    """TR019 (both), TR063, TR071, TR074, TR326 (JW305) and TR063, TR074, TR382, TR413, TR414, TR415 (JW307),
    per StartProduct/StopProduct element."""
    ns = {"m": root.nsmap[message.message_type]}
    item = "StartProducten/m:StartProduct" if message.message_type == "jw305" else "StopProducten/m:StopProduct"
    data = parse_tree(root)
    starts, stops = _current(message, data.client.bsn)
    check = _start_codes if message.message_type == "jw305" else _stop_codes
    errors = {}
    for el, line in zip(root.xpath(f"m:Client/m:{item}", namespaces=ns), data.producten, strict=True):
        nummer = line.toewijzing_nummer
        if (
            nummer is not None
            and not Toewijzing.objects.filter(gemeente=message.gemeente, toewijzing_nummer=nummer).exists()
        ):
            errors[el] = ["9019"]  # TR019: no toewijzing with this number
        elif codes := check(line, starts, stops):
            errors[el] = codes
    return errors


def antwoord_codes(message: Message, request: Message, root: etree._Element) -> list[str]:
    """TR360 and TR365 on a JW319 that answers `request` (the JW315 holding its ReferentieAanbieder)."""
    answer = parse_jw319(root)
    earlier = [
        parse_jw319(parse_xml(m.data))
        for m in request.answered_by.filter(message_type="jw319", state=MessageState.GEACCEPTEERD)
        .exclude(pk=message.pk)
        .only("content")
    ]
    earlier = [a for a in earlier if a.referentie_aanbieder == answer.referentie_aanbieder]
    codes = []
    if any(a.verzoek_antwoord != "2" for a in earlier):
        codes.append("9365")  # TR365: an earlier answer was final (afgewezen)
    if answer.verzoek_antwoord == "2" and earlier:
        codes.append("9360")  # TR360: "in onderzoek" only as the first answer
    return codes


def open_request_codes(message: Message, bsn: str) -> list[str]:
    """TR374 on a received JW315 or JW317: no new request (VOT or VOW) while an earlier one of this provider for
    this client (by BSN) is still open (`selectors.pending_requests`)."""
    return ["9374"] if pending_requests(sender=message.sender, bsn=bsn, exclude=message) else []
