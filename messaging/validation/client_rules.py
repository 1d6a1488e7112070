"""In-message rules (IJW-3.2-NOTES §5) on the header, the client, its contacts and the keys of repeated
classes. Registered in RULES in the order of this file."""

import re
from datetime import date

from ..schemas import BERICHT_CODES
from .base import ALL, WITH_CLIENT, Msg, Violation, _years_before, elfproef, rule

# --- Header ------------------------------------------------------------------------------------------------


@rule("RS047", *ALL)
def rs047(m: Msg):
    expected = BERICHT_CODES[m.type]
    if m.text(m.root, "m:Header/m:BerichtCode") != expected:
        yield Violation("RS047", "Header/BerichtCode", f"De berichtcode moet {expected} zijn.")


@rule("CS025", *ALL)
def cs025(m: Msg):
    if m.text(m.root, "m:Header/m:BerichtVersie") != "3":
        yield Violation("CS025", "Header/BerichtVersie", "BerichtVersie moet 3 zijn (iJw release 3.2).")


@rule("CS015", *ALL)
def cs015(m: Msg):
    if m.text(m.root, "m:Header/m:BerichtSubversie") != "2":
        yield Violation("CS015", "Header/BerichtSubversie", "BerichtSubversie moet 2 zijn (iJw release 3.2).")


# --- Client --------------------------------------------------------------------------------------------------


@rule("CS002", *WITH_CLIENT)
def cs002(m: Msg):
    bsn = m.text(m.root, "m:Client/m:Bsn")
    if not elfproef(bsn):
        yield Violation("CS002", "Client/Bsn", f"Het BSN '{bsn}' voldoet niet aan de elfproef.")


def _geboortedata(m: Msg):
    """Every Geboortedatum in the message (client, and relaties in JW301)."""
    return m.all(m.root, "m:Client/m:Geboortedatum | m:Client/m:Relaties/m:Relatie/m:Geboortedatum")


@rule("CS139", *WITH_CLIENT)
def cs139(m: Msg):
    for geb in _geboortedata(m):
        d, gebruik = m.day(geb, "ijw:Datum"), m.text(geb, "ijw:DatumGebruik")
        if d is None or not gebruik:
            continue
        bad = (
            (gebruik == "1" and d.day != 1)
            or (gebruik == "2" and (d.day, d.month) != (1, 1))
            or (gebruik == "3" and d != date(1900, 1, 1))
        )
        if bad:
            yield Violation(
                "CS139",
                m.path(geb, "Datum"),
                "De datum past niet bij DatumGebruik: bij 1 is de dag 01, bij 2 is het 01-01, bij 3 is het 1900-01-01.",
            )


@rule("TR002", *WITH_CLIENT)
def tr002(m: Msg):
    dag, client = m.dagtekening, m.client
    if dag is None or client is None:
        return
    d = m.day(client, "m:Geboortedatum/ijw:Datum")
    unknown = m.text(client, "m:Geboortedatum/ijw:DatumGebruik") == "3" and d == date(1900, 1, 1)
    if d is not None and not unknown and d < _years_before(dag, 120):
        yield Violation(
            "TR002", "Client/Geboortedatum/Datum", "De geboortedatum ligt meer dan 120 jaar vóór de dagtekening."
        )


@rule("TR134", *WITH_CLIENT)
def tr134(m: Msg):
    dag = m.dagtekening
    if dag is None:
        return
    for geb in _geboortedata(m):
        d = m.day(geb, "ijw:Datum")
        if d is not None and d > dag:
            yield Violation("TR134", m.path(geb, "Datum"), "De geboortedatum ligt na de dagtekening van het bericht.")
    if m.type in ("jw305", "jw307"):
        for el, begin, end in m.lines():
            for name in (begin, end):
                d = m.day(el, f"m:{name}") if name else None
                if d is not None and d > dag:
                    yield Violation(
                        "TR134",
                        m.path(el, name),
                        f"De {name.lower()} ligt na de dagtekening: meld een start of stop pas als het zo ver is.",
                    )
    if m.type == "jw301":
        for el, _, _ in m.lines():
            d = m.day(el, "m:Toewijzingsdatum")
            if d is not None and d > dag:
                yield Violation(
                    "TR134",
                    m.path(el, "Toewijzingsdatum"),
                    "De toewijzingsdatum ligt na de dagtekening van het bericht.",
                )


@rule("CS318", "jw301")
def cs318(m: Msg):
    if m.text(m.root, "m:Client/m:Naam/ijw:NaamGebruik") == "6":
        yield Violation(
            "CS318", "Client/Naam/NaamGebruik", "NaamGebruik 6 (niet-natuurlijk persoon) mag niet voor de cliënt."
        )


@rule("CS050", "jw301")
def cs050(m: Msg):
    for naam in m.all(m.root, "m:Client/m:Naam | m:Client/m:Relaties/m:Relatie/m:Naam"):
        gebruik = m.text(naam, "ijw:NaamGebruik")
        allowed = {"1", "2", "3", "4"} if m.has(naam, "ijw:Partnernaam") else {"1", "6"}
        if gebruik and gebruik not in allowed:
            yield Violation(
                "CS050",
                m.path(naam, "NaamGebruik"),
                f"NaamGebruik {gebruik} past niet: met een partnernaam 1 tot en met 4, zonder partnernaam 1 of 6.",
            )


@rule("CD007", "jw301")
def cd007(m: Msg):
    for com in m.all(m.root, "m:Client/m:Communicatie"):
        if (m.text(com, "ijw:Vorm") == "1") != m.has(com, "ijw:Taal"):
            yield Violation(
                "CD007", m.path(com, "Taal"), "Vul de taal in als (en alleen als) de communicatievorm 1 (tolk taal) is."
            )


# --- Contacts (JW301) ----------------------------------------------------------------------------------------


def _contacts(m: Msg):
    return m.all(m.root, "m:Client/m:Contactgegevens/m:Contact | m:Client/m:Relaties/m:Relatie/m:Contact")


@rule("CD005", "jw301")
def cd005(m: Msg):
    for adres in m.all(m.root, "m:Client//m:Contact/m:Adres"):
        if m.has(adres, "ijw:Postcode") != m.has(adres, "ijw:LandCode"):
            yield Violation(
                "CD005", m.path(adres, "LandCode"), "Postcode en LandCode zijn allebei gevuld of allebei leeg."
            )


@rule("CD025", "jw301")
def cd025(m: Msg):
    for adres in m.all(m.root, "m:Client//m:Contact/m:Adres"):
        if m.text(adres, "ijw:LandCode") == "NL" and not m.has(adres, "ijw:Huis/ijw:Huisnummer"):
            yield Violation(
                "CD025", m.path(adres, "Huis/Huisnummer"), "Bij een Nederlands adres is het huisnummer verplicht."
            )


@rule("CD034", "jw301")
def cd034(m: Msg):
    for contact in _contacts(m):
        if m.text(contact, "m:Soort") in {"01", "03"} and not m.has(contact, "m:Adres/ijw:Postcode"):
            yield Violation(
                "CD034", m.path(contact, "Adres/Postcode"), "Bij een BRP- of verblijfadres is de postcode verplicht."
            )


@rule("CS089", "jw301")
def cs089(m: Msg):
    for adres in m.all(m.root, "m:Client//m:Contact/m:Adres"):
        pc = m.text(adres, "ijw:Postcode")
        if m.text(adres, "ijw:LandCode") == "NL" and pc and not re.fullmatch(r"[1-9][0-9]{3}[A-Za-z]{2}", pc):
            yield Violation(
                "CS089", m.path(adres, "Postcode"), f"De postcode '{pc}' heeft niet de vorm 1234AB (zonder spatie)."
            )


@rule("CD009", "jw301")
def cd009(m: Msg):
    for contact in _contacts(m):
        if m.has(contact, "m:Periode") and m.text(contact, "m:Soort") != "04":
            yield Violation(
                "CD009",
                m.path(contact, "Periode"),
                "Een periode hoort alleen bij een tijdelijk verblijfadres (soort 04).",
            )


@rule("TR006", "jw301")
def tr006(m: Msg):
    for contact in _contacts(m):
        if not m.has(contact, "m:Telefoon") and not (
            m.has(contact, "m:Adres/ijw:Huis") and m.has(contact, "m:Adres/ijw:Postcode")
        ):
            yield Violation(
                "TR006",
                m.path(contact),
                "Een contact heeft een telefoonnummer, of een adres met huisnummer en postcode.",
            )


@rule("TR061", "jw301")
def tr061(m: Msg):
    soorten = {m.text(c, "m:Soort") for c in m.all(m.root, "m:Client/m:Contactgegevens/m:Contact")}
    if not soorten & {"01", "02", "03"}:
        yield Violation(
            "TR061",
            "Client/Contactgegevens",
            "Er moet minstens één contact zijn met een BRP-, correspondentie- of verblijfadres (soort 01, 02 of 03).",
        )


# --- Keys ----------------------------------------------------------------------------------------------------

KEYS = {
    "jw315": [("m:Client/m:AangevraagdeProducten/m:AangevraagdProduct", "m:ReferentieAanbieder")],
    "jw305": [("m:Client/m:StartProducten/m:StartProduct", "m:ToewijzingNummer|m:Product/ijw:Code|m:Begindatum")],
    "jw307": [
        (
            "m:Client/m:StopProducten/m:StopProduct",
            "m:ToewijzingNummer|m:Product/ijw:Code|m:Begindatum|m:RedenBeeindiging|m:Einddatum",
        )
    ],
    "jw301": [
        ("m:Client/m:Contactgegevens/m:Contact", "m:Soort"),
        ("m:Client/m:Relaties/m:Relatie", "m:Nummer"),
        ("m:Client/m:ToegewezenProducten/m:ToegewezenProduct", "m:ToewijzingNummer"),
    ],
}


@rule("TR101", "jw315", "jw301", "jw305", "jw307")
def tr101(m: Msg):
    for items, key in KEYS[m.type]:
        seen = set()
        parts = key.split("|")
        for el in m.all(m.root, items):
            value = " / ".join(m.text(el, part) for part in parts)
            if value in seen:
                yield Violation(
                    "TR101", m.path(el, parts[0].removeprefix("m:")), f"De sleutel '{value}' komt meer dan eens voor."
                )
            seen.add(value)


@rule("TR383", "jw315")
def tr383(m: Msg):
    seen = set()
    for el, _, _ in m.lines():
        ref = m.text(el, "m:ReferentieAanbieder")
        if ref in seen:
            yield Violation(
                "TR383",
                m.path(el, "ReferentieAanbieder"),
                f"ReferentieAanbieder '{ref}' is al gebruikt in dit bericht; elk aangevraagd product heeft een eigen.",
            )
        seen.add(ref)
