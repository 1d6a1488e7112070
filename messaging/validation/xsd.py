"""Level 1: the message against our XSD (messaging/xsd/, from the public iJw 3.2 structure)."""

import re

from lxml import etree

from ..schemas import message_type, thread_schema
from .base import Violation


def _xsd_path(error) -> str:
    path = re.sub(r"\{[^}]*\}|\w+:", "", error.path or "")
    return path.removeprefix("/Bericht/") or "Bericht"


# lxml's XSD errors are English; the user reads what kind of error it is in Dutch, with its place.
_DUTCH = {
    "SCHEMAV_CVC_ENUMERATION_VALID": "deze waarde is geen van de toegestane codes",
    "SCHEMAV_CVC_PATTERN_VALID": "deze waarde heeft niet de voorgeschreven vorm",
    "SCHEMAV_CVC_DATATYPE_VALID_1_2_1": "deze waarde is van het verkeerde soort (bijvoorbeeld geen bestaande datum)",
    "SCHEMAV_CVC_MAXLENGTH_VALID": "deze waarde is te lang",
    "SCHEMAV_CVC_MINLENGTH_VALID": "deze waarde is te kort of leeg",
    "SCHEMAV_CVC_LENGTH_VALID": "deze waarde heeft niet de voorgeschreven lengte",
    "SCHEMAV_CVC_MAXINCLUSIVE_VALID": "deze waarde is te groot",
    "SCHEMAV_CVC_MININCLUSIVE_VALID": "deze waarde is te klein",
    "SCHEMAV_CVC_TOTALDIGITS_VALID": "deze waarde heeft te veel cijfers",
    "SCHEMAV_CVC_ELT_1": "dit is niet het hoofdelement van een iJw-bericht",
    "SCHEMAV_CVC_COMPLEX_TYPE_3_2_2": "dit attribuut is hier niet toegestaan",
    "SCHEMAV_CVC_COMPLEX_TYPE_2_3": "dit element mag geen tekst bevatten",
}
_VALUE = re.compile(r"[Vv]alue '([^']{0,80})'|^Element '[^']*': '([^']{0,80})' is not")


def _dutch(error) -> str:
    if error.type_name == "SCHEMAV_ELEMENT_CONTENT":
        if "Missing child" in error.message:
            return "hier ontbreekt een verplicht element"
        return "dit element is hier niet toegestaan (of staat op de verkeerde plaats)"
    text = _DUTCH.get(error.type_name, "dit deel voldoet niet aan het XSD")
    value = _VALUE.search(error.message or "")
    if value and error.type_name in _DUTCH:
        text += f" (waarde '{value.group(1) if value.group(1) is not None else value.group(2)}')"
    return text


def validate_xsd(root: etree._Element) -> list[Violation]:
    schema = thread_schema(message_type(root))  # one per thread; its error_log is read right here
    if schema.validate(root):
        return []
    errors = list(schema.error_log)
    return [
        Violation("XSD", _xsd_path(e), f"Het bericht voldoet niet aan het XSD (regel {e.line}): {_dutch(e)}.")
        for e in errors
    ]
