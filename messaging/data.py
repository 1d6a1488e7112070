"""Plain data for the iJw 3.2 messages (JW315, JW317, JW301, JW305, JW307, JW319, the retours): what the builders
take and the parser returns.

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
class ToewijzingBericht:
    """JW301 Toewijzing as a message: the gemeente assigns care to the provider. (The toewijzing as it is
    stored on a case is the model `messaging.models.Toewijzing`.)"""

    header: BerichtHeader
    client: Client
    producten: tuple[ToegewezenProduct, ...]


@dataclass(frozen=True)
class StartProduct:
    """JW305 StartProduct: care under a toewijzing actually began."""

    begindatum: date
    toewijzing_nummer: int | None = None
    product: Product | None = None
    toewijzing_ingangsdatum: date | None = None
    status_aanlevering: str = "1"  # COD467: 1 eerste aanlevering, 3 verwijderen (CS058)


@dataclass(frozen=True)
class StopProduct:
    """JW307 StopProduct: care under a toewijzing ended."""

    begindatum: date
    einddatum: date
    reden_beeindiging: str  # JZ588
    toewijzing_nummer: int | None = None
    product: Product | None = None
    toewijzing_ingangsdatum: date | None = None
    status_aanlevering: str = "1"


@dataclass(frozen=True)
class StartJeugdhulp:
    """JW305: the provider reports the start of care."""

    header: BerichtHeader
    client: Client
    producten: tuple[StartProduct, ...]


@dataclass(frozen=True)
class StopJeugdhulp:
    """JW307: the provider reports the end of care."""

    header: BerichtHeader
    client: Client
    producten: tuple[StopProduct, ...]


@dataclass(frozen=True)
class Antwoordbericht:
    """JW319: the gemeente answers a request without a toewijzing (afgewezen, or in onderzoek)."""

    header: BerichtHeader
    referentie_aanbieder: str
    verzoek_antwoord: str  # WJ760: 1 afgewezen, 2 in onderzoek
    reden_afwijzing: str = ""  # WJ759
    woonplaats_gemeente: str = ""  # CBS code, only with reden 8 (woonplaatsbeginsel)


@dataclass(frozen=True)
class TeWijzigenProduct:
    """JW317 TeWijzigenProduct: a current toewijzing (by its number) with what should change from when."""

    toewijzing_nummer: int
    gewenste_ingangsdatum: date
    einddatum: date | None = None
    omvang: Omvang | None = None
    budget: int | None = None


@dataclass(frozen=True)
class NieuwProduct:
    """JW317 NieuwProduct: a product the provider would like to add."""

    gewenste_ingangsdatum: date
    product: Product | None = None
    einddatum: date | None = None
    omvang: Omvang | None = None
    budget: int | None = None


@dataclass(frozen=True)
class VerzoekOmWijziging:
    """JW317: the provider asks the gemeente to change its current toewijzingen (VOW). It names every current
    toewijzing for the client: unchanged (by number) or to change; and may ask for new products."""

    header: BerichtHeader
    bsn: str
    referentie_aanbieder: str
    reden_verzoek: str  # WJ758: 1 verandering cliëntsituatie, 2 wijziging zorgplan
    ongewijzigd: tuple[int, ...] = ()
    te_wijzigen: tuple[TeWijzigenProduct, ...] = ()
    nieuw: tuple[NieuwProduct, ...] = ()
    # Not in the message: why there may be no usable BSN (referrals.models.BsnStatus values).
    bsn_status: str = BSN_NORMAAL


@dataclass(frozen=True)
class Retour:
    """A retour (JW316/302/306/308/320) as read back: which message it answers and its codes."""

    message_type: str
    afzender: str
    ontvanger: str
    heen_identificatie: str
    heen_dagtekening: date
    identificatie: str
    dagtekening: date
    header_codes: tuple[str, ...] = ()
    # (path of the class, its codes), e.g. ("Client/AangevraagdeProducten/AangevraagdProduct", ("9347",))
    class_codes: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def codes(self) -> set[str]:
        found = set(self.header_codes)
        for _, codes in self.class_codes:
            found.update(codes)
        return found

    @property
    def accepted(self) -> bool:
        """Accepted: no RetourCode other than 0200 anywhere (IJW-3.2-NOTES §6)."""
        return self.codes <= {"0200"}
