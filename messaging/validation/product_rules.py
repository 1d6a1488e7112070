"""In-message rules (IJW-3.2-NOTES §5) on the product lines, the start and stop of care (JW305/JW307)
and the antwoordbericht (JW319). Registered in RULES in the order of this file."""

from datetime import date

from .base import CUTOFF_2020, Msg, Violation, rule

# --- Product lines -------------------------------------------------------------------------------------------


def same_product(m: Msg, a, b) -> bool:
    """The same product for the overlap rules: the same category and, when both have one, the same code; a line
    without a product is the same as any."""
    pa, pb = m.one(a, "m:Product"), m.one(b, "m:Product")
    if pa is None or pb is None:
        return True
    if m.text(pa, "ijw:Categorie") != m.text(pb, "ijw:Categorie"):
        return False
    ca, cb = m.text(pa, "ijw:Code"), m.text(pb, "ijw:Code")
    return not ca or not cb or ca == cb


def _overlap(m: Msg, code: str, skip=lambda el: False):
    lines = [line for line in m.lines() if not skip(line[0])]
    for i, (a, begin, end) in enumerate(lines):
        for b, _, _ in lines[:i]:
            if not same_product(m, a, b):
                continue
            a0, b0 = m.day(a, f"m:{begin}"), m.day(b, f"m:{begin}")
            if a0 is None or b0 is None:
                continue
            a1, b1 = m.day(a, f"m:{end}") or date.max, m.day(b, f"m:{end}") or date.max
            if a0 <= b1 and b0 <= a1:
                yield Violation(
                    code,
                    m.path(a, begin),
                    f"Dit product overlapt in periode met {m.path(b)} voor hetzelfde product; dat mag niet.",
                )


@rule("TR386", "jw315")
def tr386(m: Msg):
    yield from _overlap(m, "TR386")


@rule("TR302", "jw301")
def tr302(m: Msg):
    def deleted(el):
        return m.text(el, "m:RedenWijziging") in {"01", "13"} and m.text(el, "m:Einddatum") == m.text(
            el, "m:Ingangsdatum"
        )

    yield from _overlap(m, "TR302", skip=deleted)


@rule("CD079", "jw315", "jw301")
def cd079(m: Msg):
    for el, _, _ in m.lines():
        if not m.has(el, "m:Budget") and not m.has(el, "m:Product"):
            yield Violation("CD079", m.path(el, "Product"), "Zonder budget is het product verplicht.")


@rule("CD041", "jw315", "jw301")
def cd041(m: Msg):
    for el, _, _ in m.lines():
        if m.has(el, "m:Product/ijw:Code") and not m.has(el, "m:Omvang"):
            yield Violation("CD041", m.path(el, "Omvang"), "Bij een productcode is de omvang verplicht.")


def _omvang_needs_code(m: Msg, code: str):
    for el, _, end in m.lines():
        einde = m.day(el, f"m:{end}")
        if m.has(el, "m:Omvang") and (einde is None or einde > CUTOFF_2020) and not m.has(el, "m:Product/ijw:Code"):
            yield Violation(
                code,
                m.path(el, "Product/Code"),
                "Een omvang mag alleen bij een specifiek product: vul de productcode in.",
            )


@rule("CD095", "jw315")
def cd095(m: Msg):
    yield from _omvang_needs_code(m, "CD095")


@rule("CD080", "jw301")
def cd080(m: Msg):
    yield from _omvang_needs_code(m, "CD080")


@rule("CD077", "jw315", "jw301")
def cd077(m: Msg):
    for el, _, _ in m.lines():
        if m.has(el, "m:Omvang") and m.has(el, "m:Budget"):
            yield Violation("CD077", m.path(el, "Budget"), "Bij een omvang blijft het budget leeg.")


@rule("CD078", "jw315", "jw301")
def cd078(m: Msg):
    for el, _, _ in m.lines():
        if m.has(el, "m:Budget") and m.has(el, "m:Omvang"):
            yield Violation("CD078", m.path(el, "Omvang"), "Bij een budget blijft de omvang leeg.")


@rule("CD075", "jw315", "jw301")
def cd075(m: Msg):
    for el, _, end in m.lines():
        if m.has(el, "m:Budget") and not m.has(el, f"m:{end}"):
            yield Violation("CD075", m.path(el, end), "Bij een budget is de einddatum verplicht.")


@rule("CD076", "jw315", "jw301")
def cd076(m: Msg):
    for el, _, end in m.lines():
        if m.text(el, "m:Omvang/ijw:Frequentie") == "2" and not m.has(el, f"m:{end}"):
            yield Violation("CD076", m.path(el, end), "Bij frequentie 2 (per week) is de einddatum verplicht.")


def _eenheid_frequentie(m: Msg, code: str):
    for el, _, end in m.lines():
        einde = m.day(el, f"m:{end}")
        eenheid, freq = m.text(el, "m:Omvang/ijw:Eenheid"), m.text(el, "m:Omvang/ijw:Frequentie")
        if (
            eenheid in {"14", "16", "83", "84"}
            and (einde is None or einde > CUTOFF_2020)
            and freq not in {"2", "4", "6"}
        ):
            yield Violation(
                code,
                m.path(el, "Omvang/Frequentie"),
                f"Bij eenheid {eenheid} is de frequentie 2 (per week), 4 (per maand) of 6 (totaal); niet {freq}.",
            )


@rule("CS343", "jw315")
def cs343(m: Msg):
    yield from _eenheid_frequentie(m, "CS343")


@rule("CS338", "jw301")
def cs338(m: Msg):
    yield from _eenheid_frequentie(m, "CS338")


@rule("CS003", "jw315", "jw301")
def cs003(m: Msg):
    for el, begin, end in m.lines():
        b, e = m.day(el, f"m:{begin}"), m.day(el, f"m:{end}")
        if b and e and e < b:
            yield Violation("CS003", m.path(el, end), f"De einddatum ligt vóór de ingangsdatum ({begin}).")
    if m.type == "jw301":
        for periode in m.all(m.root, "m:Client//m:Contact/m:Periode"):
            b, e = m.day(periode, "ijw:Begindatum"), m.day(periode, "ijw:Einddatum")
            if b and e and e < b:
                yield Violation("CS003", m.path(periode, "Einddatum"), "De einddatum ligt vóór de begindatum.")


@rule("CD043", "jw315")
def cd043(m: Msg):
    for el, _, _ in m.lines():
        if m.has(el, "m:BeschikkingNummer") != m.has(el, "m:BeschikkingIngangsdatum"):
            yield Violation(
                "CD043",
                m.path(el, "BeschikkingIngangsdatum"),
                "Beschikkingnummer en ingangsdatum van de beschikking zijn allebei gevuld of allebei leeg.",
            )


MET_AGB = {"02", "03", "04", "05"}


@rule("CD066", "jw315")
def cd066(m: Msg):
    for v in m.all(m.root, "m:Client/m:AangevraagdeProducten/m:AangevraagdProduct/m:Verwijzer"):
        if m.text(v, "ijw:Type") in MET_AGB and m.has(v, "ijw:ZorgverlenerCode") and m.has(v, "ijw:Naam"):
            yield Violation(
                "CD066", m.path(v, "Naam"), "Met een AGB-code (ZorgverlenerCode) blijft de naam van de verwijzer leeg."
            )


@rule("CD067", "jw315")
def cd067(m: Msg):
    for v in m.all(m.root, "m:Client/m:AangevraagdeProducten/m:AangevraagdProduct/m:Verwijzer"):
        if m.text(v, "ijw:Type") in MET_AGB and not m.has(v, "ijw:ZorgverlenerCode") and not m.has(v, "ijw:Naam"):
            yield Violation(
                "CD067", m.path(v, "Naam"), "Zonder AGB-code (ZorgverlenerCode) is de naam van de verwijzer verplicht."
            )


@rule("CD068", "jw315")
def cd068(m: Msg):
    for v in m.all(m.root, "m:Client/m:AangevraagdeProducten/m:AangevraagdProduct/m:Verwijzer"):
        if m.text(v, "ijw:Type") not in MET_AGB and m.has(v, "ijw:ZorgverlenerCode"):
            yield Violation(
                "CD068",
                m.path(v, "ZorgverlenerCode"),
                "Alleen een huisarts, jeugdarts, GI of medisch specialist heeft een AGB-code; "
                "laat ZorgverlenerCode leeg.",
            )


@rule("CS335", "jw301")
def cs335(m: Msg):
    for el, _, _ in m.lines():
        if m.text(el, "m:RedenWijziging") == "13" and m.text(el, "m:Einddatum") != m.text(el, "m:Ingangsdatum"):
            yield Violation(
                "CS335",
                m.path(el, "Einddatum"),
                "Bij reden 13 (verwijderd) is de einddatum gelijk aan de ingangsdatum.",
            )


@rule("CS336", "jw301")
def cs336(m: Msg):
    for el, _, _ in m.lines():
        if m.text(el, "m:RedenWijziging") == "01":
            yield Violation(
                "CS336", m.path(el, "RedenWijziging"), "Reden 01 is vervallen; gebruik 14 (administratieve correctie)."
            )


# --- JW305 / JW307 ------------------------------------------------------------------------------------------


@rule("CS058", "jw305", "jw307")
def cs058(m: Msg):
    for el, _, _ in m.lines():
        status = m.text(el, "m:StatusAanlevering")
        if status and status not in {"1", "3"}:
            yield Violation(
                "CS058",
                m.path(el, "StatusAanlevering"),
                f"Status aanlevering {status} mag niet: gebruik 1 (eerste aanlevering) of 3 (verwijderen).",
            )


@rule("TR018", "jw307")
def tr018(m: Msg):
    for el, begin, end in m.lines():
        b, e = m.day(el, f"m:{begin}"), m.day(el, f"m:{end}")
        if b and e and e < b:
            yield Violation("TR018", m.path(el, end), "De einddatum van de stop ligt vóór de begindatum.")


# --- JW319 ---------------------------------------------------------------------------------------------------


@rule("CD085", "jw319")
def cd085(m: Msg):
    if m.text(m.root, "m:Antwoord/m:VerzoekAntwoord") == "1" and not m.has(
        m.root, "m:Antwoord/m:RedenAfwijzingVerzoek"
    ):
        yield Violation(
            "CD085", "Antwoord/RedenAfwijzingVerzoek", "Bij een afwijzing (antwoord 1) is de reden verplicht."
        )


@rule("CD086", "jw319")
def cd086(m: Msg):
    if m.text(m.root, "m:Antwoord/m:VerzoekAntwoord") == "2" and m.has(m.root, "m:Antwoord/m:RedenAfwijzingVerzoek"):
        yield Violation(
            "CD086", "Antwoord/RedenAfwijzingVerzoek", "Bij 'in onderzoek' (antwoord 2) blijft de reden leeg."
        )


@rule("TR377", "jw319")
def tr377(m: Msg):
    if m.has(m.root, "m:Antwoord/m:Woonplaatsbeginsel") and m.text(m.root, "m:Antwoord/m:RedenAfwijzingVerzoek") != "8":
        yield Violation(
            "TR377",
            "Antwoord/Woonplaatsbeginsel",
            "De verantwoordelijke gemeente hoort alleen bij reden 8 (woonplaatsbeginsel).",
        )


@rule("TR409", "jw319")
def tr409(m: Msg):
    if m.text(m.root, "m:Antwoord/m:RedenAfwijzingVerzoek") == "8" and not m.has(
        m.root, "m:Antwoord/m:Woonplaatsbeginsel"
    ):
        yield Violation(
            "TR409",
            "Antwoord/Woonplaatsbeginsel/Gemeente",
            "Bij reden 8 (woonplaatsbeginsel) noemt het antwoord de verantwoordelijke gemeente.",
        )
