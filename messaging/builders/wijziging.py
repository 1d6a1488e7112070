"""JW317 Verzoek om wijziging (VOW): the provider asks to change its current toewijzingen."""

from lxml import etree

from ..data import BSN_NORMAAL, VerzoekOmWijziging
from .base import (
    MANUAL_ROUTE,
    MANUAL_ROUTE_TEXT,
    MAX_NUMMER,
    ManualRouteRequired,
    MessageRefused,
    _check_digits,
    _check_header,
    _check_product_line,
    _check_text,
    _finish,
    _opt,
    _Writer,
)

REDENEN_VERZOEK = frozenset({"1", "2"})  # WJ758


def _check_nummer(problems, nummer, path):
    if not isinstance(nummer, int) or not 0 <= nummer <= MAX_NUMMER:
        problems.append(f"Het toewijzingnummer moet tussen 0 en {MAX_NUMMER} liggen ({path}/ToewijzingNummer).")


def build_jw317(request: VerzoekOmWijziging) -> etree._Element:
    """JW317 Verzoek om wijziging, from the provider (AGB) to the gemeente (CBS code)."""
    if request.bsn_status != BSN_NORMAAL:
        why = MANUAL_ROUTE.get(request.bsn_status, f"BSN-status '{request.bsn_status}'")
        raise ManualRouteRequired([MANUAL_ROUTE_TEXT.format(why=why)])
    problems: list[str] = []
    _check_digits(problems, request.bsn, 9, "Het BSN van de jeugdige", "Client/Bsn")
    _check_header(problems, request.header, afzender_agb=True)
    _check_text(
        problems, request.referentie_aanbieder, "De referentie van de aanbieder", "Verzoek/ReferentieAanbieder", 36
    )
    if request.reden_verzoek not in REDENEN_VERZOEK:
        problems.append(
            "De reden van het verzoek is 1 (verandering cliëntsituatie) of 2 (wijziging zorgplan) "
            "(Verzoek/RedenVerzoek)."
        )
    if not request.te_wijzigen and not request.nieuw:
        problems.append(
            "Het verzoek vraagt niets te wijzigen en geen nieuw product: kies minstens één toewijzing om te "
            "wijzigen of vraag een nieuw product aan (Verzoek/TeWijzigenProducten)."
        )
    for i, nummer in enumerate(request.ongewijzigd, 1):
        _check_nummer(problems, nummer, f"OngewijzigdProduct[{i}]")
    for i, line in enumerate(request.te_wijzigen, 1):
        path = f"TeWijzigenProduct[{i}]"
        _check_nummer(problems, line.toewijzing_nummer, path)
        _check_product_line(problems, path, None, line.omvang, line.budget, "")
    for i, line in enumerate(request.nieuw, 1):
        _check_product_line(problems, f"NieuwProduct[{i}]", line.product, line.omvang, line.budget, "")
    if problems:
        raise MessageRefused(problems)

    w = _Writer("jw317")
    root = w.root()
    w.header(root, request.header)
    client = w.m(root, "Client")
    w.m(client, "Bsn", request.bsn)
    verzoek = w.m(client, "Verzoek")
    w.m(verzoek, "ReferentieAanbieder", request.referentie_aanbieder)
    w.m(verzoek, "RedenVerzoek", request.reden_verzoek)
    if request.ongewijzigd:
        parent = w.m(verzoek, "OngewijzigdeProducten")
        for nummer in request.ongewijzigd:
            w.m(w.m(parent, "OngewijzigdProduct"), "ToewijzingNummer", nummer)
    if request.te_wijzigen:
        parent = w.m(verzoek, "TeWijzigenProducten")
        for line in request.te_wijzigen:
            el = w.m(parent, "TeWijzigenProduct")
            w.m(el, "ToewijzingNummer", line.toewijzing_nummer)
            w.m(el, "GewensteIngangsdatum", line.gewenste_ingangsdatum)
            w.m(el, "Einddatum", _opt(line.einddatum))
            w.omvang(el, line.omvang)
            w.m(el, "Budget", _opt(line.budget))
    if request.nieuw:
        parent = w.m(verzoek, "NieuweProducten")
        for line in request.nieuw:
            el = w.m(parent, "NieuwProduct")
            w.product(el, line.product)
            w.m(el, "GewensteIngangsdatum", line.gewenste_ingangsdatum)
            w.m(el, "Einddatum", _opt(line.einddatum))
            w.omvang(el, line.omvang)
            w.m(el, "Budget", _opt(line.budget))
    return _finish(root, "jw317")
