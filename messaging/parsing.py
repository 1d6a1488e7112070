"""Read iJw XML safely (no entities, no DTD, no network) and turn iJw trees back into plain data."""

from datetime import date, time

from lxml import etree

from .data import (
    AangevraagdProduct,
    Adres,
    Antwoordbericht,
    BerichtHeader,
    Client,
    Contact,
    Huis,
    Naam,
    NieuwProduct,
    Omvang,
    Product,
    Retour,
    StartJeugdhulp,
    StartProduct,
    StopJeugdhulp,
    StopProduct,
    Telefoon,
    TeWijzigenProduct,
    ToegewezenProduct,
    ToewijzingBericht,
    Verwijzer,
    VerzoekOmToewijzing,
    VerzoekOmWijziging,
)
from .schemas import HEEN_OF, NAMESPACES, NS_IJW, message_type


class UnsafeXml(ValueError):
    pass


def elements(el: etree._Element) -> list[etree._Element]:
    """The child elements of `el`: no comments or processing instructions (a tree may come from anywhere)."""
    return list(el.iterchildren(tag=etree.Element))


def text_of(el: etree._Element) -> str:
    """The text of a leaf element, also when a comment splits it (in a tree that kept its comments)."""
    parts = [el.text or ""] + [child.tail or "" for child in el if not isinstance(child.tag, str)]
    return "".join(parts)


def header_values(root: etree._Element) -> dict[str, str]:
    """The Header's leaf values by local name, BerichtIdentificatie and XsdVersie flattened:
    {'Afzender': ..., 'Identificatie': ..., 'Dagtekening': ..., 'BasisschemaXsdVersie': ...}; elements only."""
    header = next((el for el in elements(root) if etree.QName(el).localname == "Header"), None)
    values: dict[str, str] = {}
    for child in elements(header) if header is not None else ():
        name = etree.QName(child).localname
        parts = elements(child)
        if not parts:
            values[name] = text_of(child)
        for part in parts:  # BerichtIdentificatie, XsdVersie, XsdVersieRetour, RetourCodes
            values.setdefault(f"{name}/{etree.QName(part).localname}", text_of(part))
    return values


def unreadable_values(root: etree._Element) -> list[str]:
    """Dates and times that pass the XSD (xs:date, xs:time) but that no calendar or clock here holds, such
    as year -2025 or 12025, or 24:00:00: one Dutch reason each, with its place."""
    problems = []
    for el in root.iter(etree.Element):
        if len(el):
            continue
        name = etree.QName(el).localname.lower()
        parse = date.fromisoformat if name.endswith(("datum", "dagtekening", "dagtekeningretour")) else None
        parse = time.fromisoformat if name.endswith("tijd") else parse
        value = text_of(el).strip()
        if parse is None or not value:
            continue
        try:
            parse(value)
        except ValueError:
            path = "/".join(etree.QName(a).localname for a in reversed(list(el.iterancestors())))
            path = path.removeprefix("Bericht/") + "/" + etree.QName(el).localname
            soort = "tijd" if parse is time.fromisoformat else "datum"
            problems.append(f"{path}: '{value[:40]}' is geen {soort} die dit systeem kan lezen.")
    return problems


def unreadable_reason(error: etree.XMLSyntaxError) -> str:
    """A Dutch explanation of an XML syntax error (lxml's own text is English and technical)."""
    line, column = error.position if error.position else (error.lineno, 0)
    where = f"regel {line}, kolom {column}" if column else f"regel {line}"
    if error.code == etree.ErrorTypes.ERR_RESOURCE_LIMIT:  # a huge node, or nested too deep
        return (
            "Dit is geen leesbaar iJw-bericht: een waarde is te groot of de elementen zijn te diep genest "
            f"(bij {where}); zo ziet een iJw-bericht er niet uit."
        )
    return (
        "Dit is geen leesbaar iJw-bericht: de XML is niet goed gevormd of afgebroken "
        f"(het eerste probleem zit op {where}). Lees het bestand in zoals het uit de berichtenstroom komt."
    )


def parse_xml(data: bytes) -> etree._Element:
    """Parse received bytes. Entities are never expanded, no DTD is loaded, nothing is fetched.

    Comments and processing instructions are legal XML anywhere; they carry nothing for iJw and are left
    out of the tree (the stored bytes keep them), so every reader sees elements and text only."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    root = etree.fromstring(data, parser)
    if root.getroottree().docinfo.doctype:
        raise UnsafeXml("Een iJw-bericht heeft geen DOCTYPE; dit bericht wordt niet gelezen.")
    return root


class _Reader:
    def __init__(self, root, expected: str = ""):
        self.msg = message_type(root)
        if expected and self.msg != expected:
            raise ValueError(f"Dit is geen {expected.upper()}.")
        self.ns = {"m": NAMESPACES[self.msg], "ijw": NS_IJW}

    def one(self, el, xpath):
        found = el.xpath(xpath, namespaces=self.ns)
        return found[0] if found else None

    def all(self, el, xpath):
        return el.xpath(xpath, namespaces=self.ns)

    def text(self, el, xpath) -> str:
        found = self.one(el, xpath)
        return text_of(found) if found is not None else ""

    def date(self, el, xpath) -> date | None:
        value = self.text(el, xpath)
        return date.fromisoformat(value.strip()) if value.strip() else None  # the XSD collapses whitespace

    def int(self, el, xpath) -> int | None:
        value = self.text(el, xpath)
        return int(value) if value else None

    def header(self, root) -> BerichtHeader:
        h = self.one(root, "m:Header")
        return BerichtHeader(
            afzender=self.text(h, "m:Afzender"),
            ontvanger=self.text(h, "m:Ontvanger"),
            identificatie=self.text(h, "m:BerichtIdentificatie/ijw:Identificatie"),
            dagtekening=self.date(h, "m:BerichtIdentificatie/ijw:Dagtekening"),
        )

    def naam(self, el) -> Naam:
        return Naam(
            achternaam=self.text(el, "ijw:Geslachtsnaam/ijw:Achternaam"),
            voorvoegsel=self.text(el, "ijw:Geslachtsnaam/ijw:Voorvoegsel"),
            voornamen=self.text(el, "ijw:Voornamen"),
            voorletters=self.text(el, "ijw:Voorletters"),
            naam_gebruik=self.text(el, "ijw:NaamGebruik") or "1",
        )

    def product(self, el) -> Product | None:
        p = self.one(el, "m:Product")
        return None if p is None else Product(self.text(p, "ijw:Categorie"), self.text(p, "ijw:Code"))

    def omvang(self, el) -> Omvang | None:
        o = self.one(el, "m:Omvang")
        if o is None:
            return None
        return Omvang(self.int(o, "ijw:Volume"), self.text(o, "ijw:Eenheid"), self.text(o, "ijw:Frequentie"))

    def contact(self, el) -> Contact:
        a = self.one(el, "m:Adres")
        adres = None
        if a is not None:
            h = self.one(a, "ijw:Huis")
            huis = None
            if h is not None:
                huis = Huis(
                    self.int(h, "ijw:Huisnummer"),
                    self.text(h, "ijw:Huisletter"),
                    self.text(h, "ijw:HuisnummerToevoeging"),
                )
            adres = Adres(
                huis=huis,
                postcode=self.text(a, "ijw:Postcode"),
                straatnaam=self.text(a, "ijw:Straatnaam"),
                plaatsnaam=self.text(a, "ijw:Plaatsnaam"),
                land_code=self.text(a, "ijw:LandCode"),
            )
        t = self.one(el, "m:Telefoon/ijw:Telefoon01")
        telefoon = None if t is None else Telefoon(self.text(t, "ijw:Telefoonnummer"), self.text(t, "ijw:Landnummer"))
        return Contact(soort=self.text(el, "m:Soort"), adres=adres, telefoon=telefoon)

    def client(self, c) -> Client:
        return Client(
            bsn=self.text(c, "m:Bsn"),
            geboortedatum=self.date(c, "m:Geboortedatum/ijw:Datum"),
            geslacht=self.text(c, "m:Geslacht"),
            naam=self.naam(self.one(c, "m:Naam")),
            contacten=tuple(self.contact(el) for el in self.all(c, "m:Contactgegevens/m:Contact")),
        )


def parse_jw315(root: etree._Element) -> VerzoekOmToewijzing:
    r = _Reader(root, "jw315")
    c = r.one(root, "m:Client")
    producten = []
    for el in r.all(c, "m:AangevraagdeProducten/m:AangevraagdProduct"):
        v = r.one(el, "m:Verwijzer")
        producten.append(
            AangevraagdProduct(
                referentie_aanbieder=r.text(el, "m:ReferentieAanbieder"),
                toewijzing_ingangsdatum=r.date(el, "m:ToewijzingIngangsdatum"),
                verwijzer=Verwijzer(r.text(v, "ijw:Type"), r.text(v, "ijw:Naam"), r.text(v, "ijw:ZorgverlenerCode")),
                product=r.product(el),
                toewijzing_einddatum=r.date(el, "m:ToewijzingEinddatum"),
                omvang=r.omvang(el),
                budget=r.int(el, "m:Budget"),
                beschikking_nummer=r.int(el, "m:BeschikkingNummer"),
                beschikking_ingangsdatum=r.date(el, "m:BeschikkingIngangsdatum"),
                commentaar=r.text(el, "m:Commentaar"),
            )
        )
    return VerzoekOmToewijzing(header=r.header(root), client=r.client(c), producten=tuple(producten))


def parse_jw317(root: etree._Element) -> VerzoekOmWijziging:
    r = _Reader(root, "jw317")
    c = r.one(root, "m:Client")
    v = r.one(c, "m:Verzoek")
    te_wijzigen = tuple(
        TeWijzigenProduct(
            toewijzing_nummer=r.int(el, "m:ToewijzingNummer"),
            gewenste_ingangsdatum=r.date(el, "m:GewensteIngangsdatum"),
            einddatum=r.date(el, "m:Einddatum"),
            omvang=r.omvang(el),
            budget=r.int(el, "m:Budget"),
        )
        for el in r.all(v, "m:TeWijzigenProducten/m:TeWijzigenProduct")
    )
    nieuw = tuple(
        NieuwProduct(
            gewenste_ingangsdatum=r.date(el, "m:GewensteIngangsdatum"),
            product=r.product(el),
            einddatum=r.date(el, "m:Einddatum"),
            omvang=r.omvang(el),
            budget=r.int(el, "m:Budget"),
        )
        for el in r.all(v, "m:NieuweProducten/m:NieuwProduct")
    )
    return VerzoekOmWijziging(
        header=r.header(root),
        bsn=r.text(c, "m:Bsn"),
        referentie_aanbieder=r.text(v, "m:ReferentieAanbieder"),
        reden_verzoek=r.text(v, "m:RedenVerzoek"),
        ongewijzigd=tuple(
            r.int(el, "m:ToewijzingNummer") for el in r.all(v, "m:OngewijzigdeProducten/m:OngewijzigdProduct")
        ),
        te_wijzigen=te_wijzigen,
        nieuw=nieuw,
    )


def parse_jw301(root: etree._Element) -> ToewijzingBericht:
    r = _Reader(root, "jw301")
    c = r.one(root, "m:Client")
    producten = []
    for el in r.all(c, "m:ToegewezenProducten/m:ToegewezenProduct"):
        producten.append(
            ToegewezenProduct(
                toewijzing_nummer=r.int(el, "m:ToewijzingNummer"),
                toewijzingsdatum=r.date(el, "m:Toewijzingsdatum"),
                toewijzingstijd=time.fromisoformat(r.text(el, "m:Toewijzingstijd").strip()),
                ingangsdatum=r.date(el, "m:Ingangsdatum"),
                product=r.product(el),
                referentie_aanbieder=r.text(el, "m:ReferentieAanbieder"),
                einddatum=r.date(el, "m:Einddatum"),
                reden_wijziging=r.text(el, "m:RedenWijziging"),
                omvang=r.omvang(el),
                budget=r.int(el, "m:Budget"),
                commentaar=r.text(el, "m:Commentaar"),
            )
        )
    return ToewijzingBericht(header=r.header(root), client=r.client(c), producten=tuple(producten))


def _start_stop(root, msg, list_name, item_name):
    r = _Reader(root, msg)
    c = r.one(root, "m:Client")
    lines = []
    for el in r.all(c, f"m:{list_name}/m:{item_name}"):
        values = {
            "begindatum": r.date(el, "m:Begindatum"),
            "toewijzing_nummer": r.int(el, "m:ToewijzingNummer"),
            "product": r.product(el),
            "toewijzing_ingangsdatum": r.date(el, "m:ToewijzingIngangsdatum"),
            "status_aanlevering": r.text(el, "m:StatusAanlevering"),
        }
        if msg == "jw307":
            lines.append(
                StopProduct(
                    einddatum=r.date(el, "m:Einddatum"), reden_beeindiging=r.text(el, "m:RedenBeeindiging"), **values
                )
            )
        else:
            lines.append(StartProduct(**values))
    cls = StopJeugdhulp if msg == "jw307" else StartJeugdhulp
    return cls(header=r.header(root), client=r.client(c), producten=tuple(lines))


def parse_jw305(root: etree._Element) -> StartJeugdhulp:
    return _start_stop(root, "jw305", "StartProducten", "StartProduct")


def parse_jw307(root: etree._Element) -> StopJeugdhulp:
    return _start_stop(root, "jw307", "StopProducten", "StopProduct")


def parse_jw319(root: etree._Element) -> Antwoordbericht:
    r = _Reader(root, "jw319")
    a = r.one(root, "m:Antwoord")
    return Antwoordbericht(
        header=r.header(root),
        referentie_aanbieder=r.text(a, "m:ReferentieAanbieder"),
        verzoek_antwoord=r.text(a, "m:VerzoekAntwoord"),
        reden_afwijzing=r.text(a, "m:RedenAfwijzingVerzoek"),
        woonplaats_gemeente=r.text(a, "m:Woonplaatsbeginsel/m:Gemeente"),
    )


def parse_retour(root: etree._Element) -> Retour:
    r = _Reader(root)
    if r.msg not in HEEN_OF:
        raise ValueError("Dit is geen retourbericht.")
    h = r.one(root, "m:Header")
    class_codes = []
    for rc in r.all(root, "m:Client//m:RetourCodes | m:Client/m:RetourCodes | m:Antwoord//m:RetourCodes"):
        owner = rc.getparent()
        path = []
        el = owner
        while el is not None and el is not root:
            path.append(etree.QName(el).localname)
            el = el.getparent()
        codes = tuple(c.text or "" for c in r.all(rc, "m:RetourCode"))
        class_codes.append(("/".join(reversed(path)), codes))
    heen = r.header(root)
    return Retour(
        message_type=r.msg,
        afzender=heen.afzender,
        ontvanger=heen.ontvanger,
        heen_identificatie=heen.identificatie,
        heen_dagtekening=heen.dagtekening,
        identificatie=r.text(h, "m:IdentificatieRetour"),
        dagtekening=r.date(h, "m:DagtekeningRetour"),
        header_codes=tuple(c.text or "" for c in r.all(h, "m:RetourCodes/m:RetourCode")),
        class_codes=tuple(class_codes),
    )


PARSERS = {
    "jw315": parse_jw315,
    "jw317": parse_jw317,
    "jw301": parse_jw301,
    "jw305": parse_jw305,
    "jw307": parse_jw307,
    "jw319": parse_jw319,
    **dict.fromkeys(HEEN_OF, parse_retour),
}


def parse_tree(root: etree._Element):
    return PARSERS[message_type(root)](root)


def parse_message(data: bytes):
    """Bytes -> the plain data of any supported message (a Retour for the retour messages)."""
    return parse_tree(parse_xml(data))
