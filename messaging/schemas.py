"""Our iJw 3.2 XSD files (messaging/xsd/): namespaces, codes, loading, and the XsdVersie they declare."""

import functools
from pathlib import Path

from lxml import etree

XSD_DIR = Path(__file__).resolve().parent / "xsd"
NS_IJW = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"
NS_XS = "http://www.w3.org/2001/XMLSchema"

BERICHT_CODES = {"jw315": "446", "jw301": "436"}
NAMESPACES = {msg: f"http://www.istandaarden.nl/ijw/3_2/{msg}/schema" for msg in BERICHT_CODES}
MESSAGE_BY_NAMESPACE = {ns: msg for msg, ns in NAMESPACES.items()}


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True)


def load_schema(msg: str) -> etree.XMLSchema:
    """A fresh XMLSchema for one validation: an XMLSchema keeps state (its error_log) between calls."""
    doc = etree.parse(str(XSD_DIR / f"{msg}.xsd"), _safe_parser())
    return etree.XMLSchema(doc)


def _appinfo(path: Path, name: str) -> str:
    doc = etree.parse(str(path), _safe_parser())
    values = doc.xpath(f"/xs:schema/xs:annotation/xs:appinfo/*[local-name()='{name}']/text()", namespaces={"xs": NS_XS})
    if len(values) != 1:
        raise LookupError(f"{path.name}: expected one {name} in xs:appinfo, found {len(values)}")
    return values[0].strip()


@functools.cache
def xsd_versie(msg: str) -> tuple[str, str]:
    """(BasisschemaXsdVersie, BerichtXsdVersie) as declared in the XSD files we ship (IV034)."""
    return (
        _appinfo(XSD_DIR / "basisschema.xsd", "BasisschemaXsdVersie"),
        _appinfo(XSD_DIR / f"{msg}.xsd", "BerichtXsdVersie"),
    )


def message_type(root: etree._Element) -> str:
    """'jw315' or 'jw301' from the root element's namespace; ValueError for anything else."""
    qname = etree.QName(root)
    msg = MESSAGE_BY_NAMESPACE.get(qname.namespace or "")
    if msg is None or qname.localname != "Bericht":
        raise ValueError(f"Onbekend bericht: {root.tag}. Alleen JW315 en JW301 worden ondersteund.")
    return msg
