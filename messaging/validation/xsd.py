"""Level 1: the message against our XSD (messaging/xsd/, from the public iJw 3.2 structure)."""

import re

from lxml import etree

from ..schemas import message_type, thread_schema
from .base import Violation


def _xsd_path(error) -> str:
    path = re.sub(r"\{[^}]*\}|\w+:", "", error.path or "")
    return path.removeprefix("/Bericht/") or "Bericht"


def validate_xsd(root: etree._Element) -> list[Violation]:
    schema = thread_schema(message_type(root))  # one per thread; its error_log is read right here
    if schema.validate(root):
        return []
    errors = list(schema.error_log)
    return [
        Violation("XSD", _xsd_path(e), f"Het bericht voldoet niet aan het XSD (regel {e.line}): {e.message}")
        for e in errors
    ]
