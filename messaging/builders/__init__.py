"""Pure builders: plain data (messaging.data) -> lxml trees for iJw 3.2 JW315, JW317, JW301, JW305, JW307,
JW319 and the retours (JW316, JW318, JW302, JW306, JW308, JW320).

A builder either returns a tree that passes our XSD and the standard's CD/CS/TR rules, or raises
`MessageRefused` (or a subclass) with Dutch reasons that name what is missing or wrong.

One module per message family, the shared checks and tree writer in `base`, the helpers that turn case
data into message parts in `parts`; import the names from here (`from messaging.builders import ...`).
"""

from .base import (
    CATEGORIEEN,
    EENHEDEN,
    FREQUENTIES,
    JEUGDZORGPLUS_AGB,
    JEUGDZORGPLUS_PRODUCT,
    MANUAL_ROUTE,
    MANUAL_ROUTE_TEXT,
    MAX_BUDGET,
    MAX_NUMMER,
    MAX_VOLUME,
    InvalidMessage,
    ManualRouteRequired,
    MessageNotApplicable,
    MessageRefused,
    to_bytes,
)
from .parts import adres_from_parts, naam_from_parts, new_identificatie, verwijzer_for, voorletters_from
from .retour import OK, RETOUR_CLASSES, XSLT_VERSIE, build_retour
from .start_stop import REDENEN_BEEINDIGING, STATUS_AANLEVERING, build_jw305, build_jw307
from .toewijzing import build_jw301, build_jw315, build_jw319
from .wijziging import REDENEN_VERZOEK, build_jw317

__all__ = [
    "CATEGORIEEN",
    "EENHEDEN",
    "FREQUENTIES",
    "JEUGDZORGPLUS_AGB",
    "JEUGDZORGPLUS_PRODUCT",
    "MANUAL_ROUTE",
    "MANUAL_ROUTE_TEXT",
    "MAX_BUDGET",
    "MAX_NUMMER",
    "MAX_VOLUME",
    "OK",
    "REDENEN_BEEINDIGING",
    "REDENEN_VERZOEK",
    "RETOUR_CLASSES",
    "STATUS_AANLEVERING",
    "XSLT_VERSIE",
    "InvalidMessage",
    "ManualRouteRequired",
    "MessageNotApplicable",
    "MessageRefused",
    "adres_from_parts",
    "build_jw301",
    "build_jw305",
    "build_jw307",
    "build_jw315",
    "build_jw317",
    "build_jw319",
    "build_retour",
    "naam_from_parts",
    "new_identificatie",
    "to_bytes",
    "verwijzer_for",
    "voorletters_from",
]
