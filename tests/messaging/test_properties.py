"""Whatever plausible input: a valid message, or a Dutch refusal that names the field; never an invalid one."""

import re
from dataclasses import replace
from datetime import date, time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messaging.builders import (
    MAX_VOLUME,
    InvalidMessage,
    MessageRefused,
    adres_from_parts,
    build_jw301,
    build_jw315,
    naam_from_parts,
    to_bytes,
)
from messaging.data import Contact, Omvang, Product
from messaging.parsing import parse_message
from messaging.validation import validate

from . import samples

LETTERS = st.characters(categories=("L",)) | st.sampled_from("éèëïöüçñÅØßŁ -'.")
names = st.text(LETTERS, max_size=40) | st.sampled_from(["Zoë", "Anne-Marie", "Ömer", "José Luis", "Ŝ", ""])
tussenvoegsels = st.sampled_from(["", "van", "van der", "de", "van den", "in 't", "ter", "d'", "van de la"]) | st.text(
    LETTERS, max_size=14
)
dates = st.dates(min_value=date(1890, 1, 1), max_value=date(2030, 12, 31))
volumes = st.integers(min_value=0, max_value=MAX_VOLUME + 10)
omvang = (
    st.builds(
        Omvang,
        volume=volumes,
        eenheid=st.sampled_from(["01", "04", "14", "16", "82", "83", "84"]),
        frequentie=st.sampled_from(["1", "2", "4", "6"]),
    )
    | st.none()
)
product = st.builds(
    Product, categorie=st.sampled_from(["43", "45", "54"]), code=st.sampled_from(["", "45A01", "54B02"])
)
FIELD = re.compile(r"\b(Client|Header|AangevraagdProduct|ToegewezenProduct|Contact|Verwijzer|Omvang|Product)\b")


def _check(build, data):
    try:
        root = build(data)
    except InvalidMessage as bug:  # pragma: no cover - this is what the property forbids
        raise AssertionError(f"builder made an XSD-invalid message: {bug.reasons}") from bug
    except MessageRefused as refused:
        assert refused.reasons
        for reason in refused.reasons:
            assert FIELD.search(reason), reason
            assert not re.search(r"\b(the|must|element|value)\b", reason), reason  # Dutch, not lxml English
        return
    assert validate(root).ok
    assert parse_message(to_bytes(root)) == data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    voornaam=names,
    tussenvoegsel=tussenvoegsels,
    achternaam=names,
    geboren=dates,
    begin=dates,
    einde=dates | st.none(),
    omvang=omvang,
    product=product | st.none(),
    budget=st.none() | st.integers(min_value=0, max_value=10**8),
)
def test_jw315_is_valid_or_refused_in_dutch(
    voornaam, tussenvoegsel, achternaam, geboren, begin, einde, omvang, product, budget
):
    request = samples.jw315(
        toewijzing_ingangsdatum=begin, toewijzing_einddatum=einde, omvang=omvang, product=product, budget=budget
    )
    naam = naam_from_parts(voornaam, tussenvoegsel, achternaam)
    request = replace(request, client=replace(request.client, naam=naam, geboortedatum=geboren))
    _check(build_jw315, request)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    voornaam=names,
    achternaam=names,
    geboren=dates,
    begin=dates,
    einde=dates | st.none(),
    omvang=omvang,
    huisnummer=st.sampled_from(["12", "12a", "12 A", "1-3", "99999", "7 bis", "x"]) | st.text(max_size=6),
    postcode=st.sampled_from(["5011AB", "5011 ab", "0123AB", ""]) | st.text(max_size=7),
    straat=names,
)
def test_jw301_is_valid_or_refused_in_dutch(
    voornaam, achternaam, geboren, begin, einde, omvang, huisnummer, postcode, straat
):
    def build(args):
        assignment, adres_parts = args
        adres = adres_from_parts(*adres_parts)
        assignment = replace(assignment, client=replace(assignment.client, contacten=(Contact("01", adres=adres),)))
        root = build_jw301(assignment)
        assert parse_message(to_bytes(root)) == assignment
        return root

    assignment = samples.jw301(ingangsdatum=begin, einddatum=einde, omvang=omvang, toewijzingstijd=time(8, 0))
    naam = naam_from_parts(voornaam, "", achternaam)
    assignment = replace(assignment, client=replace(assignment.client, naam=naam, geboortedatum=geboren))
    try:
        root = build((assignment, (straat, huisnummer, postcode, "Tilburg")))
    except InvalidMessage as bug:  # pragma: no cover
        raise AssertionError(f"builder made an XSD-invalid message: {bug.reasons}") from bug
    except MessageRefused as refused:
        for reason in refused.reasons:
            assert FIELD.search(reason), reason
        return
    assert validate(root).ok
