"""Search by name matches what a case worker types: part of a first or last name (the start of it for a
word of one or two letters), or the tussenvoegsel, case-insensitively, accents included; wildcards are
letters; a renamed youth is found by the new name only. On PostgreSQL the names are matched on the case
row's kept copies (referrals migration 0010)."""

import pytest

from referrals.models import Case, Jeugdige
from referrals.selectors import CaseFilters, search_cases
from tests.factories import build_case
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


def found(user, q: str) -> set[str]:
    return {c.jeugdige.achternaam for c in search_cases(user, CaseFilters(q=q))}


@pytest.fixture
def cases(toegang_user):
    build_case(stage="aanmeld", toegang_user=toegang_user, voornaam="Zoë", tussenvoegsel="de", achternaam="Vries")
    build_case(stage="aanmeld", toegang_user=toegang_user, voornaam="Daan", achternaam="Jansen")
    build_case(stage="aanmeld", toegang_user=toegang_user, voornaam="Mila", achternaam="Dekker")
    build_case(stage="aanmeld", toegang_user=toegang_user, voornaam="Sem", achternaam="100%_Echt")
    return make_user("aanmeldpunt")


def test_parts_of_names_tussenvoegsel_and_accents(cases):
    assert found(cases, "jans") == {"Jansen"}
    assert found(cases, "DE VRIES") == {"Vries"}
    assert found(cases, "zoë") == {"Vries"}
    assert found(cases, "de") == {"Vries", "Dekker"}  # a tussenvoegsel, or the start of a name
    assert found(cases, "an") == set()  # not inside Daan Jansen: too short for that
    assert found(cases, "ans") == {"Jansen"}
    assert found(cases, "daan jansen") == {"Jansen"}
    assert found(cases, "daan dekker") == set()


def test_wildcards_are_letters(cases):
    assert found(cases, "%") == set()
    assert found(cases, "_") == set()
    assert found(cases, "0%_e") == {"100%_Echt"}
    assert found(cases, "%_e") == {"100%_Echt"}


def test_a_renamed_youth_is_found_by_the_new_name_only(cases):
    Jeugdige.objects.filter(achternaam="Jansen").update(achternaam="Bakker")
    assert found(cases, "jansen") == set()
    assert found(cases, "bakker") == {"Bakker"}


def test_search_inside_a_larger_query(cases):
    # As a subquery the case table gets another alias; the match must follow it.
    matches = search_cases(cases, CaseFilters(q="jansen")).values("pk")
    assert [c.jeugdige.achternaam for c in Case.objects.filter(pk__in=matches)] == ["Jansen"]
