"""Our iJw 3.2 XSD files (messaging/xsd/): namespaces, codes, loading, and the XsdVersie they declare."""

import functools
import threading
from pathlib import Path

from lxml import etree

XSD_DIR = Path(__file__).resolve().parent / "xsd"
NS_IJW = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"
NS_XS = "http://www.w3.org/2001/XMLSchema"

BERICHT_CODES = {
    "jw315": "446",
    "jw316": "447",
    "jw301": "436",
    "jw302": "437",
    "jw305": "438",
    "jw306": "439",
    "jw307": "440",
    "jw308": "441",
    "jw317": "486",
    "jw318": "487",
    "jw319": "488",
    "jw320": "489",
}
# Heenbericht -> its retour (IJW-3.2-NOTES §1.1).
RETOUR_OF = {"jw315": "jw316", "jw301": "jw302", "jw305": "jw306", "jw307": "jw308", "jw317": "jw318", "jw319": "jw320"}
HEEN_OF = {retour: heen for heen, retour in RETOUR_OF.items()}
TITLES = {
    "jw315": "Verzoek om toewijzing",
    "jw316": "Retour op verzoek om toewijzing",
    "jw301": "Toewijzing",
    "jw302": "Retour op toewijzing",
    "jw305": "Start jeugdhulp",
    "jw306": "Retour op start jeugdhulp",
    "jw307": "Stop jeugdhulp",
    "jw308": "Retour op stop jeugdhulp",
    "jw317": "Verzoek om wijziging",
    "jw318": "Retour op verzoek om wijziging",
    "jw319": "Antwoordbericht",
    "jw320": "Retour op antwoordbericht",
}
# Who sends: the provider (AGB) or the gemeente (CBS code). A retour keeps the heenbericht's Afzender/Ontvanger.
SENT_BY_PROVIDER = frozenset({"jw315", "jw305", "jw307", "jw317", "jw302", "jw320"})
NAMESPACES = {msg: f"http://www.istandaarden.nl/ijw/3_2/{msg}/schema" for msg in BERICHT_CODES}
MESSAGE_BY_NAMESPACE = {ns: msg for msg, ns in NAMESPACES.items()}


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True)


def load_schema(msg: str) -> etree.XMLSchema:
    """A fresh XMLSchema (compiled from our files)."""
    doc = etree.parse(str(XSD_DIR / f"{msg}.xsd"), _safe_parser())
    return etree.XMLSchema(doc)


_local = threading.local()


def thread_schema(msg: str) -> etree.XMLSchema:
    """The compiled XMLSchema for `msg`, one per thread (compiling costs more than validating).

    An XMLSchema keeps state: its error_log is the log of its last validate() call. Kept per thread, and
    read right after validate() by the only caller (validation.validate_xsd), no validation ever sees
    another one's errors (ADR 0008)."""
    cache = getattr(_local, "schemas", None)
    if cache is None:
        cache = _local.schemas = {}
    if msg not in cache:
        cache[msg] = load_schema(msg)
    return cache[msg]


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
    """'jw315', 'jw301', ... from the root element's namespace; ValueError for anything else."""
    qname = etree.QName(root)
    msg = MESSAGE_BY_NAMESPACE.get(qname.namespace or "")
    if msg is None or qname.localname != "Bericht":
        raise ValueError(
            f"Onbekend bericht: {root.tag}. Ondersteund: " + ", ".join(m.upper() for m in BERICHT_CODES) + "."
        )
    return msg
