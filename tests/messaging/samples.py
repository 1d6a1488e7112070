"""Valid plain data for the messages we build (values from the examples in IJW-3.2-NOTES §8)."""

from datetime import date, time

from messaging.builders import adres_from_parts, naam_from_parts
from messaging.data import (
    AangevraagdProduct,
    Antwoordbericht,
    BerichtHeader,
    Client,
    Contact,
    NieuwProduct,
    Omvang,
    Product,
    StartJeugdhulp,
    StartProduct,
    StopJeugdhulp,
    StopProduct,
    TeWijzigenProduct,
    ToegewezenProduct,
    ToewijzingBericht,
    Verwijzer,
    VerzoekOmToewijzing,
    VerzoekOmWijziging,
)

DAG = date(2025, 3, 3)


def client(**kw) -> Client:
    values = {
        "bsn": "999990019",
        "geboortedatum": date(2014, 6, 1),
        "geslacht": "2",
        "naam": naam_from_parts("Émilie Anne", "van der", "Berg"),
    }
    values.update(kw)
    return Client(**values)


def jw315(**line_kw) -> VerzoekOmToewijzing:
    line = {
        "referentie_aanbieder": "REF-2025-0001",
        "toewijzing_ingangsdatum": date(2025, 3, 10),
        "verwijzer": Verwijzer("02", zorgverlener_code="01234567"),
        "product": Product("45", "45A01"),
        "toewijzing_einddatum": date(2025, 9, 9),
        "omvang": Omvang(2, "04", "2"),
    }
    line.update(line_kw)
    return VerzoekOmToewijzing(
        header=BerichtHeader("12345678", "0855", "000000000017", DAG),
        client=client(),
        producten=(AangevraagdProduct(**line),),
    )


def jw301(**line_kw) -> ToewijzingBericht:
    line = {
        "toewijzing_nummer": 700001,
        "toewijzingsdatum": date(2025, 3, 3),
        "toewijzingstijd": time(10, 15),
        "ingangsdatum": date(2025, 3, 10),
        "product": Product("45", "45A01"),
        "referentie_aanbieder": "REF-2025-0001",
        "einddatum": date(2025, 9, 9),
        "omvang": Omvang(2, "04", "2"),
    }
    line.update(line_kw)
    adres = adres_from_parts("Voorbeeldstraat", "12a", "5011 ab", "Tilburg")
    return ToewijzingBericht(
        header=BerichtHeader("0855", "12345678", "000000000001", DAG),
        client=client(contacten=(Contact("01", adres=adres),)),
        producten=(ToegewezenProduct(**line),),
    )


def jw305(**line_kw) -> StartJeugdhulp:
    line = {
        "begindatum": date(2025, 3, 12),
        "toewijzing_nummer": 700001,
        "product": Product("45", "45A01"),
        "toewijzing_ingangsdatum": date(2025, 3, 10),
    }
    line.update(line_kw)
    return StartJeugdhulp(
        header=BerichtHeader("12345678", "0855", "000000000020", date(2025, 3, 20)),
        client=client(),
        producten=(StartProduct(**line),),
    )


def jw307(**line_kw) -> StopJeugdhulp:
    line = {
        "begindatum": date(2025, 3, 12),
        "einddatum": date(2025, 3, 19),
        "reden_beeindiging": "31",
        "toewijzing_nummer": 700001,
        "product": Product("45", "45A01"),
        "toewijzing_ingangsdatum": date(2025, 3, 10),
    }
    line.update(line_kw)
    return StopJeugdhulp(
        header=BerichtHeader("12345678", "0855", "000000000021", date(2025, 3, 20)),
        client=client(),
        producten=(StopProduct(**line),),
    )


def jw319(**kw) -> Antwoordbericht:
    values = {"referentie_aanbieder": "REF-2025-0001", "verzoek_antwoord": "1", "reden_afwijzing": "4"}
    values.update(kw)
    return Antwoordbericht(header=BerichtHeader("0855", "12345678", "000000000022", DAG), **values)


def jw317(**kw) -> VerzoekOmWijziging:
    """A verzoek om wijziging: one toewijzing kept, one changed (other omvang), one new product."""
    values = {
        "header": BerichtHeader("12345678", "0855", "000000000031", DAG),
        "bsn": "999990019",
        "referentie_aanbieder": "REF-2025-0002",
        "reden_verzoek": "2",
        "ongewijzigd": (700001,),
        "te_wijzigen": (TeWijzigenProduct(700002, date(2025, 4, 1), date(2025, 9, 30), Omvang(6, "04", "2")),),
        "nieuw": (NieuwProduct(date(2025, 4, 1), Product("45", "45A01"), date(2025, 9, 30), Omvang(2, "04", "2")),),
    }
    values.update(kw)
    return VerzoekOmWijziging(**values)
