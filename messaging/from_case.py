"""Plain message data from a Case (the only module here that reads Django models).

What a Case does not hold yet (the products asked for or assigned, their dates and volumes, the
message number) is passed in by the caller."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from referrals.models import BsnStatus, Case, Jeugdige

from .builders import adres_from_parts, naam_from_parts, verwijzer_for
from .data import (
    AangevraagdProduct,
    BerichtHeader,
    Client,
    Contact,
    Omvang,
    Product,
    ToegewezenProduct,
    ToewijzingBericht,
    VerzoekOmToewijzing,
)

# Our model also has 9 ("niet gespecificeerd"); COD046 in iJw 3.2 only has 0, 1, 2 (ADR 0006).
GESLACHT = {"0": "0", "1": "1", "2": "2", "9": "0"}


@dataclass(frozen=True)
class AanvraagRegel:
    """One product the provider asks for (JW315 AangevraagdProduct without the verwijzer)."""

    referentie_aanbieder: str
    ingangsdatum: date
    product: Product | None = None
    einddatum: date | None = None
    omvang: Omvang | None = None
    budget: int | None = None
    beschikking_nummer: int | None = None
    beschikking_ingangsdatum: date | None = None


def client_from_jeugdige(j: Jeugdige, *, met_adres: bool = False) -> Client:
    usable = j.bsn_status == BsnStatus.NORMAAL
    contacten = ()
    if met_adres and usable:
        contacten = (
            Contact(soort="01", adres=adres_from_parts(j.straat, j.huisnummer, j.postcode, j.woonplaats, j.land)),
        )
    return Client(
        bsn=j.bsn if usable else "",
        geboortedatum=j.geboortedatum,
        geslacht=GESLACHT.get(j.geslacht, "0"),
        naam=naam_from_parts(j.voornaam, j.tussenvoegsel, j.achternaam),
        contacten=contacten,
        bsn_status=j.bsn_status,
    )


def request_from_case(
    case: Case,
    *,
    regels: Sequence[AanvraagRegel],
    identificatie: str,
    dagtekening: date,
    aanbieder=None,
    verwijzer_soort: str | None = None,
) -> VerzoekOmToewijzing:
    """JW315 data: from the provider (default: the case's regievoerende partner) to the case's gemeente.

    `verwijzer_soort` overrides the case's verwijzer type, e.g. 'raad_kinderbescherming' for Jeugdzorgplus."""
    aanbieder = aanbieder or case.regie_organisatie
    client = client_from_jeugdige(case.jeugdige)
    verwijzer = None
    if client.bsn_status == BsnStatus.NORMAAL:  # otherwise the builder refuses with the manual route
        verwijzer = verwijzer_for(
            case.route,
            verwijzer_soort or case.verwijzer_type,
            naam=case.verwijzer_naam,
            organisatie=case.verwijzer_organisatie or (case.gemeente.name if case.verwijzer_type == "gemeente" else ""),
            code=case.verwijzer_code,
        )
    return VerzoekOmToewijzing(
        header=BerichtHeader(
            afzender=aanbieder.agb_code if aanbieder else "",
            ontvanger=case.gemeente.cbs_code,
            identificatie=identificatie,
            dagtekening=dagtekening,
        ),
        client=client,
        producten=tuple(
            AangevraagdProduct(
                referentie_aanbieder=r.referentie_aanbieder,
                toewijzing_ingangsdatum=r.ingangsdatum,
                verwijzer=verwijzer,
                product=r.product,
                toewijzing_einddatum=r.einddatum,
                omvang=r.omvang,
                budget=r.budget,
                beschikking_nummer=r.beschikking_nummer,
                beschikking_ingangsdatum=r.beschikking_ingangsdatum,
            )
            for r in regels
        ),
    )


def assignment_from_case(
    case: Case,
    *,
    producten: Sequence[ToegewezenProduct],
    identificatie: str,
    dagtekening: date,
    aanbieder=None,
    reply_to: BerichtHeader | None = None,
) -> ToewijzingBericht:
    """JW301 data: from the case's gemeente to the provider (default: the regievoerende partner).

    `reply_to` is the header of the JW315 this toewijzing answers: the JW301 then goes back between the
    same two parties (its Ontvanger becomes the Afzender and the other way round)."""
    if reply_to is not None:
        afzender, ontvanger = reply_to.ontvanger, reply_to.afzender
    else:
        aanbieder = aanbieder or case.regie_organisatie
        afzender, ontvanger = case.gemeente.cbs_code, aanbieder.agb_code if aanbieder else ""
    return ToewijzingBericht(
        header=BerichtHeader(
            afzender=afzender,
            ontvanger=ontvanger,
            identificatie=identificatie,
            dagtekening=dagtekening,
        ),
        client=client_from_jeugdige(case.jeugdige, met_adres=True),
        producten=tuple(producten),
    )
