"""A message in readable Dutch: sections of (label, value) rows for the preview and message pages."""

from dataclasses import dataclass, field
from datetime import date

from referrals.dates import nl_date

from . import codes
from .data import (
    Antwoordbericht,
    Omvang,
    Product,
    Retour,
    StartJeugdhulp,
    StopJeugdhulp,
    ToewijzingBericht,
    VerzoekOmWijziging,
)
from .data import VerzoekOmToewijzing as Verzoek
from .parsing import parse_message
from .schemas import HEEN_OF, TITLES


@dataclass
class Section:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)


def _d(day: date | None) -> str:
    return nl_date(day) if day else "geen (open einde)"


def _product(p: Product | None) -> str:
    if p is None:
        return "generiek (geen product)"
    categorie = codes.CATEGORIEEN.get(p.categorie, p.categorie)
    return f"{p.code} – categorie {p.categorie} {categorie}" if p.code else f"categorie {p.categorie} {categorie}"


def _omvang(o: Omvang | None) -> str:
    if o is None:
        return "geen"
    return (
        f"{o.volume} × {codes.EENHEDEN.get(o.eenheid, o.eenheid)} {codes.FREQUENTIES.get(o.frequentie, o.frequentie)}"
    )


def _client(c) -> Section:
    n = c.naam
    naam = " ".join(p for p in (n.voornamen or n.voorletters, n.voorvoegsel, n.achternaam) if p)
    return Section(
        "Jeugdige",
        [
            ("Naam", naam),
            ("BSN", c.bsn),
            ("Geboortedatum", nl_date(c.geboortedatum)),
            ("Geslacht", codes.GESLACHT.get(c.geslacht, c.geslacht)),
        ],
    )


def _header(h, afzender_label: str, ontvanger_label: str) -> Section:
    return Section(
        "Bericht",
        [
            (afzender_label, h.afzender),
            (ontvanger_label, h.ontvanger),
            ("Berichtidentificatie", h.identificatie),
            ("Dagtekening", nl_date(h.dagtekening)),
        ],
    )


def _verwijzer(v) -> str:
    text = codes.VERWIJZER_TYPES.get(v.type, v.type)
    if v.naam:
        text += f": {v.naam}"
    if v.zorgverlener_code:
        text += f" (AGB {v.zorgverlener_code})"
    return text


def _verzoek(data: Verzoek) -> list[Section]:
    sections = [_header(data.header, "Aanbieder (AGB)", "Gemeente (CBS)"), _client(data.client)]
    for i, p in enumerate(data.producten, 1):
        rows = [
            ("Referentie aanbieder", p.referentie_aanbieder),
            ("Product", _product(p.product)),
            ("Omvang", _omvang(p.omvang)),
            ("Ingangsdatum", nl_date(p.toewijzing_ingangsdatum)),
            ("Einddatum", _d(p.toewijzing_einddatum)),
            ("Verwijzer", _verwijzer(p.verwijzer)),
        ]
        if p.beschikking_nummer is not None:
            rows.append(("Beschikking", f"{p.beschikking_nummer} vanaf {_d(p.beschikking_ingangsdatum)}"))
        if p.commentaar:
            rows.append(("Commentaar", p.commentaar))
        sections.append(Section(f"Aangevraagd product {i}", rows))
    return sections


def _budget(budget: int | None) -> str:
    if budget is None:
        return "geen"
    euros, cents = divmod(budget, 100)
    return f"€ {euros:,}".replace(",", ".") + f",{cents:02d}"


def _wijziging(data: VerzoekOmWijziging) -> list[Section]:
    sections = [
        _header(data.header, "Aanbieder (AGB)", "Gemeente (CBS)"),
        Section(
            "Verzoek",
            [
                ("BSN jeugdige", data.bsn),
                ("Referentie aanbieder", data.referentie_aanbieder),
                ("Reden", codes.REDENEN_VERZOEK.get(data.reden_verzoek, data.reden_verzoek)),
            ],
        ),
    ]
    if data.ongewijzigd:
        sections.append(Section("Ongewijzigd", [("Toewijzingnummer", str(nummer)) for nummer in data.ongewijzigd]))
    for i, p in enumerate(data.te_wijzigen, 1):
        rows = [
            ("Toewijzingnummer", str(p.toewijzing_nummer)),
            ("Gewenste ingangsdatum", nl_date(p.gewenste_ingangsdatum)),
            ("Einddatum", _d(p.einddatum)),
            ("Omvang", _omvang(p.omvang)),
        ]
        if p.budget is not None:
            rows.append(("Budget", _budget(p.budget)))
        sections.append(Section(f"Te wijzigen product {i}", rows))
    for i, p in enumerate(data.nieuw, 1):
        rows = [
            ("Product", _product(p.product)),
            ("Gewenste ingangsdatum", nl_date(p.gewenste_ingangsdatum)),
            ("Einddatum", _d(p.einddatum)),
            ("Omvang", _omvang(p.omvang)),
        ]
        if p.budget is not None:
            rows.append(("Budget", _budget(p.budget)))
        sections.append(Section(f"Nieuw product {i}", rows))
    return sections


def _toewijzing(data: ToewijzingBericht) -> list[Section]:
    sections = [_header(data.header, "Gemeente (CBS)", "Aanbieder (AGB)"), _client(data.client)]
    for i, p in enumerate(data.producten, 1):
        rows = [
            ("Toewijzingnummer", str(p.toewijzing_nummer)),
            ("Referentie aanbieder", p.referentie_aanbieder or "geen (niet op een verzoek)"),
            ("Product", _product(p.product)),
            ("Omvang", _omvang(p.omvang)),
            ("Ingangsdatum", nl_date(p.ingangsdatum)),
            ("Einddatum", _d(p.einddatum)),
            ("Toegewezen op", f"{nl_date(p.toewijzingsdatum)}, {p.toewijzingstijd:%H:%M}"),
        ]
        if p.reden_wijziging:
            rows.append(("Reden wijziging", codes.REDENEN_WIJZIGING.get(p.reden_wijziging, p.reden_wijziging)))
        if p.commentaar:
            rows.append(("Commentaar", p.commentaar))
        sections.append(Section(f"Toegewezen product {i}", rows))
    return sections


def _start_stop(data: StartJeugdhulp | StopJeugdhulp) -> list[Section]:
    sections = [_header(data.header, "Aanbieder (AGB)", "Gemeente (CBS)"), _client(data.client)]
    for i, p in enumerate(data.producten, 1):
        rows = [
            ("Toewijzingnummer", str(p.toewijzing_nummer or "")),
            ("Product", _product(p.product)),
            ("Begindatum", nl_date(p.begindatum)),
        ]
        if isinstance(data, StopJeugdhulp):
            rows += [
                ("Einddatum", nl_date(p.einddatum)),
                ("Reden beëindiging", codes.REDENEN_BEEINDIGING.get(p.reden_beeindiging, p.reden_beeindiging)),
            ]
        rows.append(("Status", codes.STATUS_AANLEVERING.get(p.status_aanlevering, p.status_aanlevering)))
        sections.append(Section(f"Product {i}", rows))
    return sections


def _antwoord(data: Antwoordbericht) -> list[Section]:
    rows = [
        ("Referentie aanbieder", data.referentie_aanbieder),
        ("Antwoord", codes.VERZOEK_ANTWOORDEN.get(data.verzoek_antwoord, data.verzoek_antwoord)),
    ]
    if data.reden_afwijzing:
        rows.append(("Reden", codes.REDENEN_AFWIJZING.get(data.reden_afwijzing, data.reden_afwijzing)))
    if data.woonplaats_gemeente:
        rows.append(("Verantwoordelijke gemeente (CBS)", data.woonplaats_gemeente))
    return [_header(data.header, "Gemeente (CBS)", "Aanbieder (AGB)"), Section("Antwoord", rows)]


def _retour(data: Retour) -> list[Section]:
    heen = HEEN_OF[data.message_type]
    rows = [
        ("Retour op", f"{heen.upper()} {TITLES[heen].lower()} {data.heen_identificatie} van {data.afzender}"),
        ("Retouridentificatie", data.identificatie),
        ("Dagtekening retour", nl_date(data.dagtekening)),
        ("Uitkomst", "Geaccepteerd" if data.accepted else "Afgewezen"),
    ]
    for code in data.header_codes:
        rows.append((f"Retourcode {code} (bericht)", codes.retourcode_text(code)))
    for path, found in data.class_codes:
        for code in found:
            if code != "0200":
                rows.append((f"Retourcode {code} ({path})", codes.retourcode_text(code)))
    return [Section("Retour", rows)]


DESCRIBERS = {
    Verzoek: _verzoek,
    VerzoekOmWijziging: _wijziging,
    ToewijzingBericht: _toewijzing,
    StartJeugdhulp: _start_stop,
    StopJeugdhulp: _start_stop,
    Antwoordbericht: _antwoord,
    Retour: _retour,
}


def describe(data) -> list[Section]:
    """The sections of any parsed message (messaging.parsing); nothing for what is not a message."""
    describer = DESCRIBERS.get(type(data))
    return describer(data) if describer else []


def describe_bytes(content: bytes) -> list[Section]:
    return describe(parse_message(content))
