"""JW305 Start jeugdhulp and JW307 Stop jeugdhulp."""

from lxml import etree

from ..data import (
    StartJeugdhulp,
    StopJeugdhulp,
)
from .base import (
    MAX_NUMMER,
    MessageRefused,
    _check_client,
    _check_header,
    _check_product_line,
    _finish,
    _opt,
    _Writer,
)

# --- JW305 / JW307 -----------------------------------------------------------------------------------------

REDENEN_BEEINDIGING = frozenset({"02", "20", "31", "32", "33", "34", "35", "36", "37", "38", "39"})
STATUS_AANLEVERING = frozenset({"1", "3"})  # CS058: 2 (gewijzigd) and 9 are not used in iJw


def _check_start_stop_line(problems, path, line):
    if line.toewijzing_nummer is not None and not 0 <= line.toewijzing_nummer <= MAX_NUMMER:
        problems.append(f"Het toewijzingnummer moet tussen 0 en {MAX_NUMMER} liggen ({path}/ToewijzingNummer).")
    _check_product_line(problems, path, line.product, None, None, "")
    if line.status_aanlevering not in STATUS_AANLEVERING:
        problems.append(
            f"Status aanlevering moet 1 (eerste aanlevering) of 3 (verwijderen) zijn ({path}/StatusAanlevering)."
        )


def _start_stop(msg: str, report, list_name: str, item_name: str) -> etree._Element:
    problems: list[str] = []
    _check_client(problems, report.client, volledig=False)
    _check_header(problems, report.header, afzender_agb=True)
    if not report.producten:
        problems.append(f"Er is geen product gemeld (Client/{list_name}/{item_name}).")
    for i, line in enumerate(report.producten, 1):
        path = f"{item_name}[{i}]"
        _check_start_stop_line(problems, path, line)
        if msg == "jw307" and line.reden_beeindiging not in REDENEN_BEEINDIGING:
            problems.append(
                f"Reden beëindiging '{line.reden_beeindiging}' staat niet in lijst JZ588 ({path}/RedenBeeindiging)."
            )
    if problems:
        raise MessageRefused(problems)
    w = _Writer(msg)
    root, client = w.start(report.header, report.client, volledig=False)
    producten = w.m(client, list_name)
    for line in report.producten:
        el = w.m(producten, item_name)
        w.m(el, "ToewijzingNummer", _opt(line.toewijzing_nummer))
        w.product(el, line.product)
        w.m(el, "ToewijzingIngangsdatum", _opt(line.toewijzing_ingangsdatum))
        w.m(el, "Begindatum", line.begindatum)
        if msg == "jw307":
            w.m(el, "RedenBeeindiging", line.reden_beeindiging)
            w.m(el, "Einddatum", line.einddatum)
        w.m(el, "StatusAanlevering", line.status_aanlevering)
    return _finish(root, msg)


def build_jw305(report: StartJeugdhulp) -> etree._Element:
    """JW305 Start jeugdhulp, from the provider (AGB) to the gemeente (CBS code)."""
    return _start_stop("jw305", report, "StartProducten", "StartProduct")


def build_jw307(report: StopJeugdhulp) -> etree._Element:
    """JW307 Stop jeugdhulp, from the provider (AGB) to the gemeente (CBS code)."""
    return _start_stop("jw307", report, "StopProducten", "StopProduct")
