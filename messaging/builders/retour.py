"""The retours (JW316, JW318, JW302, JW306, JW308, JW320) on a received message."""

from lxml import etree

from ..schemas import BERICHT_CODES, NAMESPACES, RETOUR_OF, message_type, xsd_versie
from .base import (
    _finish,
    _Writer,
)

# --- Retours (JW316, JW302, JW306, JW308, JW320) ------------------------------------------------------------

# The classes of a message that get their own RetourCodes in a retour (IJW-3.2-NOTES §2.3-2.7).
RETOUR_CLASSES = frozenset(
    {
        "Client",
        "AangevraagdProduct",
        "Verzoek",
        "OngewijzigdProduct",
        "TeWijzigenProduct",
        "NieuwProduct",
        "Contact",
        "Relatie",
        "ToegewezenProduct",
        "StartProduct",
        "StopProduct",
        "Antwoord",
        "Woonplaatsbeginsel",
    }
)
XSLT_VERSIE = "1.0.0"  # our in-message rule checks (messaging.validation); the XsltVersie of a 0001 retour (IV033)
OK = "0200"


def build_retour(
    heen: etree._Element,
    *,
    identificatie: str,
    dagtekening,
    header_codes=(),
    class_codes: dict | None = None,
) -> etree._Element:
    """The retour on a received message (IJW-3.2-NOTES §6 "Building a retour").

    - accepted: the heenbericht's header (unchanged Afzender/Ontvanger/BerichtIdentificatie/XsdVersie) with
      the retour code, IdentificatieRetour, DagtekeningRetour and XsdVersieRetour; nothing else;
    - `header_codes` (e.g. 0001 after an in-message rule failed, or 9056): those codes on the header, with
      XsltVersie when 0001 is among them;
    - `class_codes` {class element of `heen`: [codes]} for errors below the header: the whole Client (or
      Antwoord) is copied and every class gets its RetourCodes, 0200 where it has no error.
    """
    heen_type = message_type(heen)
    msg = RETOUR_OF[heen_type]
    src_ns, dst_ns = NAMESPACES[heen_type], NAMESPACES[msg]
    w = _Writer(msg)
    root = w.root()
    header = w.m(root, "Header")
    old_header = heen.find(f"{{{src_ns}}}Header")
    for child in _elements(old_header):
        header.append(_renamed(child, src_ns, dst_ns))
    header.find(f"{{{dst_ns}}}BerichtCode").text = BERICHT_CODES[msg]
    w.m(header, "IdentificatieRetour", identificatie)
    w.m(header, "DagtekeningRetour", dagtekening)
    if "0001" in header_codes:
        w.m(header, "XsltVersie", XSLT_VERSIE)
    basis, bericht = xsd_versie(msg)
    versie = w.m(header, "XsdVersieRetour")
    w.b(versie, "BasisschemaXsdVersie", basis)
    w.b(versie, "BerichtXsdVersie", bericht)
    codes = list(header_codes) or ([OK] if class_codes else [])
    if codes:
        rc = w.m(header, "RetourCodes")
        for code in codes:
            w.m(rc, "RetourCode", code)
    if class_codes:
        errors = {el: list(c) for el, c in class_codes.items()}
        body = next(el for el in _elements(heen) if etree.QName(el).localname in {"Client", "Antwoord"})
        root.append(_with_codes(body, src_ns, dst_ns, errors))
    return _finish(root, msg)


def _elements(el) -> list:
    """Child elements only: a heenbericht's tree may hold comments or processing instructions."""
    return list(el.iterchildren(tag=etree.Element))


def _text(el) -> str | None:
    """The element's own text, also when a comment splits it; None when it has none."""
    parts = [el.text or ""] + [c.tail or "" for c in el if not isinstance(c.tag, str)]
    return "".join(parts) or None


def _renamed(el, src_ns, dst_ns):
    """A deep copy of `el` with the message namespace moved from the heenbericht's to the retour's."""
    qn = etree.QName(el)
    tag = f"{{{dst_ns}}}{qn.localname}" if qn.namespace == src_ns else el.tag
    copy = etree.Element(tag, nsmap=None)
    copy.text = _text(el)
    for child in _elements(el):
        copy.append(_renamed(child, src_ns, dst_ns))
    return copy


def _with_codes(el, src_ns, dst_ns, errors):
    qn = etree.QName(el)
    tag = f"{{{dst_ns}}}{qn.localname}" if qn.namespace == src_ns else el.tag
    copy = etree.Element(tag)
    copy.text = _text(el)
    for child in _elements(el):
        copy.append(_with_codes(child, src_ns, dst_ns, errors))
    if qn.namespace == src_ns and qn.localname in RETOUR_CLASSES:
        rc = etree.SubElement(copy, f"{{{dst_ns}}}RetourCodes")
        for code in errors.get(el, [OK]):
            etree.SubElement(rc, f"{{{dst_ns}}}RetourCode").text = code
    return copy
