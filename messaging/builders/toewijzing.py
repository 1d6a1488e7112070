"""The toewijzing traffic: JW315 Verzoek om toewijzing, JW301 Toewijzing, JW319 Antwoordbericht."""

import re

from lxml import etree

from common.landen import LANDEN

from ..data import (
    Antwoordbericht,
    ToewijzingBericht,
    VerzoekOmToewijzing,
)
from .base import (
    MAX_NUMMER,
    REDENEN_WIJZIGING,
    MessageRefused,
    _check_client,
    _check_digits,
    _check_header,
    _check_jeugdzorgplus,
    _check_product_line,
    _check_text,
    _finish,
    _opt,
    _Writer,
)

# --- JW315 -------------------------------------------------------------------------------------------------


def build_jw315(request: VerzoekOmToewijzing) -> etree._Element:
    """JW315 Verzoek om toewijzing, from the provider (AGB) to the gemeente (CBS code)."""
    problems: list[str] = []
    _check_client(problems, request.client, volledig=False)
    _check_header(problems, request.header, afzender_agb=True)
    if not request.producten:
        problems.append("Er is geen aangevraagd product (Client/AangevraagdeProducten/AangevraagdProduct).")
    for i, line in enumerate(request.producten, 1):
        path = f"AangevraagdProduct[{i}]"
        _check_text(
            problems, line.referentie_aanbieder, "De referentie van de aanbieder", f"{path}/ReferentieAanbieder", 36
        )
        _check_product_line(problems, path, line.product, line.omvang, line.budget, line.commentaar)
        v = line.verwijzer
        if v.type not in {"01", "02", "03", "04", "05", "06", "08"}:
            problems.append(f"Verwijzertype '{v.type}' staat niet in lijst COD327 ({path}/Verwijzer/Type).")
        _check_text(problems, v.naam, "De naam van de verwijzer", f"{path}/Verwijzer/Naam", 64, required=False)
        if v.zorgverlener_code:
            _check_digits(problems, v.zorgverlener_code, 8, "De AGB-code van de verwijzer", f"{path}/Verwijzer")
        if line.beschikking_nummer is not None and not 0 <= line.beschikking_nummer <= MAX_NUMMER:
            problems.append(f"Het beschikkingnummer moet tussen 0 en {MAX_NUMMER} liggen ({path}/BeschikkingNummer).")
        _check_jeugdzorgplus(
            problems, path, line.product, line.omvang, request.header.afzender, v, line.beschikking_nummer
        )
    if problems:
        raise MessageRefused(problems)

    w = _Writer("jw315")
    root, client = w.start(request.header, request.client, volledig=False)
    producten = w.m(client, "AangevraagdeProducten")
    for line in request.producten:
        el = w.m(producten, "AangevraagdProduct")
        w.m(el, "ReferentieAanbieder", line.referentie_aanbieder)
        w.m(el, "BeschikkingNummer", _opt(line.beschikking_nummer))
        w.product(el, line.product)
        w.m(el, "BeschikkingIngangsdatum", _opt(line.beschikking_ingangsdatum))
        w.m(el, "ToewijzingIngangsdatum", line.toewijzing_ingangsdatum)
        w.m(el, "ToewijzingEinddatum", _opt(line.toewijzing_einddatum))
        w.omvang(el, line.omvang)
        w.m(el, "Budget", _opt(line.budget))
        verwijzer = w.m(el, "Verwijzer")
        w.b(verwijzer, "Type", line.verwijzer.type)
        w.b(verwijzer, "Naam", line.verwijzer.naam)
        w.b(verwijzer, "ZorgverlenerCode", line.verwijzer.zorgverlener_code)
        w.m(el, "Commentaar", line.commentaar)
    return _finish(root, "jw315")


# --- JW301 -------------------------------------------------------------------------------------------------


def _check_contacts(problems, contacten) -> None:
    if not contacten:
        problems.append(
            "Het adres of telefoonnummer van de jeugdige ontbreekt; een toewijzing heeft minstens één contact "
            "met een BRP-, correspondentie- of verblijfadres (Client/Contactgegevens/Contact)."
        )
    for i, contact in enumerate(contacten, 1):
        path = f"Contactgegevens/Contact[{i}]"
        a = contact.adres
        if a is not None:
            _check_text(problems, a.straatnaam, "De straatnaam", f"{path}/Adres/Straatnaam", 24, required=False)
            _check_text(problems, a.plaatsnaam, "De plaatsnaam", f"{path}/Adres/Plaatsnaam", 80, required=False)
            _check_text(problems, a.postcode, "De postcode", f"{path}/Adres/Postcode", 8, required=False)
            if a.huis is not None:
                if not 0 <= a.huis.huisnummer <= 99999:
                    problems.append(f"Het huisnummer moet tussen 0 en 99999 liggen ({path}/Adres/Huis/Huisnummer).")
                _check_text(
                    problems, a.huis.huisletter, "De huisletter", f"{path}/Adres/Huis/Huisletter", 1, required=False
                )
                _check_text(
                    problems,
                    a.huis.toevoeging,
                    "De toevoeging",
                    f"{path}/Adres/Huis/HuisnummerToevoeging",
                    4,
                    required=False,
                )
        if contact.telefoon is None and (a is None or a.huis is None or not a.postcode):
            problems.append(
                f"TR006 – Client/{path}/Adres/Huis/Huisnummer: zonder telefoonnummer heeft het adres een huisnummer "
                "en een postcode nodig, ook in het buitenland."
            )
        if a is not None and a.land_code and a.land_code not in LANDEN:
            problems.append(f"Het land '{a.land_code}' staat niet in lijst COD032 (Client/{path}/Adres/LandCode).")
        if contact.telefoon is not None and not re.fullmatch(r"[0-9]{1,15}", contact.telefoon.nummer):
            problems.append(f"Het telefoonnummer mag alleen cijfers bevatten, hoogstens 15 ({path}/Telefoon).")


def _write_contacts(w: _Writer, client, contacten) -> None:
    parent = w.m(client, "Contactgegevens")
    for contact in contacten:
        el = w.m(parent, "Contact")
        w.m(el, "Soort", contact.soort)
        a = contact.adres
        if a is not None:
            adres = w.m(el, "Adres")
            if a.huis is not None:
                huis = w.b(adres, "Huis")
                w.b(huis, "Huisnummer", a.huis.huisnummer)
                w.b(huis, "Huisletter", a.huis.huisletter)
                w.b(huis, "HuisnummerToevoeging", a.huis.toevoeging)
            w.b(adres, "Postcode", a.postcode)
            w.b(adres, "Straatnaam", a.straatnaam)
            w.b(adres, "Plaatsnaam", a.plaatsnaam)
            w.b(adres, "LandCode", a.land_code)
        if contact.telefoon is not None:
            tel = w.m(el, "Telefoon")
            t1 = w.b(tel, "Telefoon01")
            w.b(t1, "Telefoonnummer", contact.telefoon.nummer)
            w.b(t1, "Landnummer", contact.telefoon.landnummer)


def build_jw301(assignment: ToewijzingBericht) -> etree._Element:
    """JW301 Toewijzing, from the gemeente (CBS code) to the provider (AGB)."""
    problems: list[str] = []
    _check_client(problems, assignment.client, volledig=True)
    _check_header(problems, assignment.header, afzender_agb=False)
    _check_contacts(problems, assignment.client.contacten)
    if not assignment.producten:
        problems.append("Er is geen toegewezen product (Client/ToegewezenProducten/ToegewezenProduct).")
    for i, line in enumerate(assignment.producten, 1):
        path = f"ToegewezenProduct[{i}]"
        if not 0 <= line.toewijzing_nummer <= MAX_NUMMER:
            problems.append(f"Het toewijzingnummer moet tussen 0 en {MAX_NUMMER} liggen ({path}/ToewijzingNummer).")
        _check_text(
            problems,
            line.referentie_aanbieder,
            "De referentie van de aanbieder",
            f"{path}/ReferentieAanbieder",
            36,
            required=False,
        )
        if line.reden_wijziging and line.reden_wijziging not in REDENEN_WIJZIGING:
            problems.append(
                f"Reden wijziging '{line.reden_wijziging}' staat niet in lijst JZ002 ({path}/RedenWijziging)."
            )
        if line.toewijzingstijd.tzinfo is not None:
            problems.append(f"De toewijzingstijd mag geen tijdzone hebben ({path}/Toewijzingstijd).")
        _check_product_line(problems, path, line.product, line.omvang, line.budget, line.commentaar)
        _check_jeugdzorgplus(problems, path, line.product, line.omvang, assignment.header.ontvanger)
    if problems:
        raise MessageRefused(problems)

    w = _Writer("jw301")
    root, client = w.start(assignment.header, assignment.client, volledig=True)
    _write_contacts(w, client, assignment.client.contacten)
    producten = w.m(client, "ToegewezenProducten")
    for line in assignment.producten:
        el = w.m(producten, "ToegewezenProduct")
        w.m(el, "ToewijzingNummer", line.toewijzing_nummer)
        w.m(el, "ReferentieAanbieder", line.referentie_aanbieder)
        w.product(el, line.product)
        w.m(el, "Toewijzingsdatum", line.toewijzingsdatum)
        w.m(el, "Toewijzingstijd", line.toewijzingstijd.replace(microsecond=0))
        w.m(el, "Ingangsdatum", line.ingangsdatum)
        w.m(el, "Einddatum", _opt(line.einddatum))
        w.m(el, "RedenWijziging", line.reden_wijziging)
        w.omvang(el, line.omvang)
        w.m(el, "Budget", _opt(line.budget))
        w.m(el, "Commentaar", line.commentaar)
    return _finish(root, "jw301")


# --- JW319 -------------------------------------------------------------------------------------------------


def build_jw319(answer: Antwoordbericht) -> etree._Element:
    """JW319 Antwoordbericht, from the gemeente (CBS code) to the provider (AGB): afgewezen or in onderzoek."""
    problems: list[str] = []
    _check_header(problems, answer.header, afzender_agb=False)
    _check_text(
        problems, answer.referentie_aanbieder, "De referentie van de aanbieder", "Antwoord/ReferentieAanbieder", 36
    )
    if answer.verzoek_antwoord not in {"1", "2"}:
        problems.append("Het antwoord is 1 (afgewezen) of 2 (in onderzoek) (Antwoord/VerzoekAntwoord).")
    if answer.reden_afwijzing and answer.reden_afwijzing not in {str(i) for i in range(1, 10)}:
        problems.append(
            f"Reden afwijzing '{answer.reden_afwijzing}' staat niet in lijst WJ759 (Antwoord/RedenAfwijzingVerzoek)."
        )
    if answer.woonplaats_gemeente:
        _check_digits(
            problems, answer.woonplaats_gemeente, 4, "De verantwoordelijke gemeente", "Antwoord/Woonplaatsbeginsel"
        )
    if problems:
        raise MessageRefused(problems)
    w = _Writer("jw319")
    root = w.root()
    w.header(root, answer.header)
    el = w.m(root, "Antwoord")
    w.m(el, "ReferentieAanbieder", answer.referentie_aanbieder)
    w.m(el, "VerzoekAntwoord", answer.verzoek_antwoord)
    w.m(el, "RedenAfwijzingVerzoek", answer.reden_afwijzing)
    if answer.woonplaats_gemeente:
        wpb = w.m(el, "Woonplaatsbeginsel")
        w.m(wpb, "Gemeente", answer.woonplaats_gemeente)
    return _finish(root, "jw319")
