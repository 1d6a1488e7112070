"""Plain data for the iJw 3.2 messages JW315 and JW301: what the builders take and the parser returns.

Values are already in iJw form (codes as strings, dates as `date`), so that build -> bytes -> parse gives
back equal objects. `messaging.from_case` fills them from a Case; nothing here knows about Django.
"""

from dataclasses import dataclass, field
from datetime import date, time

BSN_NORMAAL = "normaal"


@dataclass(frozen=True)
class Naam:
    """CDT_VerkorteNaam (JW315) / CDT_VolledigeNaam (JW301; NaamGebruik is only written there)."""

    achternaam: str
    voorvoegsel: str = ""
    voornamen: str = ""
    voorletters: str = ""
    naam_gebruik: str = "1"


@dataclass(frozen=True)
class Huis:
    huisnummer: int
    huisletter: str = ""
    toevoeging: str = ""


@dataclass(frozen=True)
class Adres:
    huis: Huis | None
    postcode: str = ""
    straatnaam: str = ""
    plaatsnaam: str = ""
    land_code: str = ""


@dataclass(frozen=True)
class Telefoon:
    nummer: str
    landnummer: str = "0031"


@dataclass(frozen=True)
class Contact:
    soort: str  # COD757: 01 BRP-adres, 02 correspondentie, 03 verblijf, 04 tijdelijk verblijf
    adres: Adres | None = None
    telefoon: Telefoon | None = None


@dataclass(frozen=True)
class Client:
    bsn: str
    geboortedatum: date
    geslacht: str  # COD046: 0 onbekend, 1 man, 2 vrouw
    naam: Naam
    contacten: tuple[Contact, ...] = ()  # JW301 only
    # Not in the message: why there may be no usable BSN (referrals.models.BsnStatus values).
    bsn_status: str = field(default=BSN_NORMAAL, compare=True)


@dataclass(frozen=True)
class Product:
    categorie: str  # JZ020
    code: str = ""  # the agreed product code list (IV075); empty = aspecifiek


@dataclass(frozen=True)
class Omvang:
    volume: int
    eenheid: str  # WJ756
    frequentie: str  # WMO757


@dataclass(frozen=True)
class Verwijzer:
    type: str  # COD327
    naam: str = ""
    zorgverlener_code: str = ""


@dataclass(frozen=True)
class BerichtHeader:
    afzender: str  # JW315: AGB of the provider; JW301: CBS code of the gemeente
    ontvanger: str  # JW315: CBS code; JW301: AGB
    identificatie: str
    dagtekening: date


@dataclass(frozen=True)
class AangevraagdProduct:
    referentie_aanbieder: str
    toewijzing_ingangsdatum: date
    verwijzer: Verwijzer
    product: Product | None = None
    toewijzing_einddatum: date | None = None
    omvang: Omvang | None = None
    budget: int | None = None
    beschikking_nummer: int | None = None
    beschikking_ingangsdatum: date | None = None
    commentaar: str = ""


@dataclass(frozen=True)
class VerzoekOmToewijzing:
    """JW315: the provider asks the gemeente to assign care."""

    header: BerichtHeader
    client: Client
    producten: tuple[AangevraagdProduct, ...]


@dataclass(frozen=True)
class ToegewezenProduct:
    toewijzing_nummer: int
    toewijzingsdatum: date
    toewijzingstijd: time
    ingangsdatum: date
    product: Product | None = None
    referentie_aanbieder: str = ""
    einddatum: date | None = None
    reden_wijziging: str = ""
    omvang: Omvang | None = None
    budget: int | None = None
    commentaar: str = ""


@dataclass(frozen=True)
class Toewijzing:
    """JW301: the gemeente assigns care to the provider."""

    header: BerichtHeader
    client: Client
    producten: tuple[ToegewezenProduct, ...]
