"""Small pure helpers that turn case data into message parts (used by from_case and the builders)."""

import re
import unicodedata
from collections.abc import Callable

from common.landen import LANDEN, NEDERLAND

from ..data import (
    Adres,
    Huis,
    Naam,
    Verwijzer,
)
from .base import (
    _VOORLETTER,
    GI_NAMES,
    MEDISCH,
    ROUTE_SOORTEN,
    VERWIJZER_GEMEENTE,
    VERWIJZER_GI,
    VERWIJZER_JEUGDARTS,
    VERWIJZER_JUSTITIE,
    MessageNotApplicable,
    MessageRefused,
    _clean,
)

# --- Small pure helpers used by from_case and the builders ----------------------------------------


def new_identificatie(afzender: str, next_number: Callable[[str], int]) -> str:
    """BerichtIdentificatie/Identificatie: a number from `next_number(afzender)`, at most 12 characters.

    `next_number` is the sender's counter; the database will supply it (a sequence per sender) so that an
    Identificatie is never used twice by one sender for one message type (TR056)."""
    n = next_number(afzender)
    if not isinstance(n, int) or n < 1 or n >= 10**12:
        raise ValueError(f"Berichtnummer {n!r} past niet in 12 cijfers.")
    return f"{n:012d}"


def voorletters_from(voornamen: str) -> str:
    """'Anne-Marie Élodie' -> 'AMÉ': the first letter of each part, only letters iJw accepts, at most 6."""
    letters = []
    for part in re.split(r"[\s\-]+", _clean(voornamen)):
        first = next((c for c in unicodedata.normalize("NFC", part) if c.isalpha()), "")
        if first and _VOORLETTER.fullmatch(first.upper()):
            letters.append(first.upper())
    return "".join(letters)[:6]


def naam_from_parts(voornaam: str, tussenvoegsel: str, achternaam: str) -> Naam:
    voornaam = _clean(unicodedata.normalize("NFC", voornaam or ""))
    return Naam(
        achternaam=_clean(unicodedata.normalize("NFC", achternaam or "")),
        voorvoegsel=_clean(tussenvoegsel),
        voornamen=voornaam,
        voorletters=voorletters_from(voornaam),
    )


_HUISNUMMER = re.compile(r"(?P<nr>[0-9]{1,5})\s*(?P<letter>[A-Za-z](?![A-Za-z0-9]))?\s*[-/\s]?\s*(?P<toev>\S{1,4})?")


_ADRES = "Client/Contactgegevens/Contact/Adres"


def adres_from_parts(straat: str, huisnummer: str, postcode: str, woonplaats: str, land: str = "NL") -> Adres:
    """The youth's address for JW301 Contact/Adres (CDT_Adres); refuses in Dutch, naming the field.

    In the Netherlands (LandCode NL) the postcode is 1234AB (CS089) and the house number is required
    (CD025). Abroad the postcode is free text and the house number may be missing; the address is then
    sent without Huis (whether the JW301 can do without it is TR006's question, asked by the builder)."""
    problems = []
    land = _clean(land).upper() or NEDERLAND
    if land not in LANDEN:
        problems.append(f"Het land '{land}' staat niet in lijst COD032 ({_ADRES}/LandCode).")
    nl = land == NEDERLAND
    pc = re.sub(r"\s", "", postcode or "").upper() if nl else _clean(postcode)
    if not pc:
        # CD034: a BRP or verblijf address (soort 01/03) has a postcode, also abroad.
        problems.append(f"CD034 – {_ADRES}/Postcode: de postcode van de jeugdige ontbreekt.")
    elif nl and not re.fullmatch(r"[1-9][0-9]{3}[A-Z]{2}", pc):
        problems.append(f"CS089 – {_ADRES}/Postcode: de postcode '{postcode}' is geen Nederlandse postcode als 1234AB.")
    elif len(pc) > 8:
        problems.append(f"De postcode '{pc}' is te lang: hoogstens 8 tekens ({_ADRES}/Postcode).")
    m = _HUISNUMMER.fullmatch(_clean(huisnummer))
    if not _clean(huisnummer):
        if nl:
            problems.append(
                f"CD025 – {_ADRES}/Huis/Huisnummer: het huisnummer van de jeugdige ontbreekt; "
                "bij een adres in Nederland is het verplicht."
            )
    elif not m:
        problems.append(
            f"Het huisnummer '{huisnummer}' is niet te lezen als nummer, huisletter en toevoeging ({_ADRES}/Huis)."
        )
    if problems:
        raise MessageRefused(problems)
    straat = _clean(straat)
    return Adres(
        huis=Huis(int(m["nr"]), (m["letter"] or "").upper(), m["toev"] or "") if m else None,
        postcode=pc,
        # LDT_Straatnaam allows 24 characters; postcode + huisnummer identify a Dutch address, so a longer
        # street name is left out rather than cut (ADR 0006).
        straatnaam=straat if len(straat) <= 24 else "",
        plaatsnaam=_clean(woonplaats)[:80],
        land_code=land,
    )


def verwijzer_for(route: str, soort: str, naam: str = "", organisatie: str = "", code: str = "") -> Verwijzer:
    """The JW315 Verwijzer for a referral route (DOMAIN.md section 8).

    soort is a referrals.models.VerwijzerType value, or 'raad_kinderbescherming' (Jeugdzorgplus only)."""
    naam, organisatie, code = _clean(naam), _clean(organisatie), _clean(code)
    if soort not in ROUTE_SOORTEN.get(route, set()):
        raise MessageRefused(
            [f"Verwijzer '{soort}' hoort niet bij de verwijsroute '{route}'. Controleer de verwijzer."]
        )
    if soort == "gemeente":
        # Type 01 carries no AGB (CD068); the name of the gemeente/Toegang is informative.
        return Verwijzer(VERWIJZER_GEMEENTE, naam=(organisatie or naam)[:64])
    if soort in MEDISCH:
        if code:
            if not re.fullmatch(r"[0-9]{8}", code):
                raise MessageRefused([f"De AGB-code van de verwijzer '{code}' moet 8 cijfers hebben."])
            return Verwijzer(MEDISCH[soort], zorgverlener_code=code)  # CD066: code and no name
        if not naam:
            raise MessageRefused(["Naam of AGB-code van de verwijzende arts ontbreekt (Verwijzer/Naam)."])
        return Verwijzer(MEDISCH[soort], naam=naam[:64])  # CD067: name when there is no code
    if soort == "ggd_jeugdarts_coa":
        # COA youth: the name must mention GGD and COA, so we always send the name and no AGB (CD066).
        text = naam or "jeugdarts"
        if "GGD" not in text.upper():
            text = f"GGD {text}"
        if "COA" not in text.upper():
            text = f"{text} (COA)"
        return Verwijzer(VERWIJZER_JEUGDARTS, naam=text[:64])
    if soort in GI_NAMES:
        return Verwijzer(VERWIJZER_GI, naam=GI_NAMES[soort])
    if soort == "raad_kinderbescherming":
        return Verwijzer(VERWIJZER_JUSTITIE, naam="Raad voor de Kinderbescherming")
    # gi_anders
    raise MessageNotApplicable(
        [
            "Bij een andere GI dan JBB, Leger des Heils of William Schrikker Groep stuurt de GI de bepaling "
            "naar aanbieder en gemeente, en stuurt de gemeente direct een toewijzing (JW301). "
            "De aanbieder stuurt geen verzoek om toewijzing (JW315)."
        ]
    )
