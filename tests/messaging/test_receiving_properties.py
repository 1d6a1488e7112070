"""Properties of receiving (bounded): comments and processing instructions anywhere change nothing, and a
message with one field broken gets exactly the code its rule names, never a server error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import FAST_HASHERS, read_page

from .received import HEEN, MUTATIONS, RETOUREN, Outcome, World, outcome, outcome_undone, with_noise

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.text(st.characters(categories=("L", "N", "P", "Zs")), max_size=20).filter(
    lambda t: "--" not in t and not t.endswith("-") and "?>" not in t
)
# (slot number, a processing instruction rather than a comment, its text): where is decided on the tree.
NOISE = st.lists(st.tuples(st.integers(min_value=0, max_value=10_000), st.booleans(), TEXT), min_size=1, max_size=6)


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def w():
    return World()


def _same(a: Outcome, b: Outcome) -> bool:
    """Equal results; a refusal counts by its kind (its line numbers move with the inserted comments)."""
    if a.refused is not None or b.refused is not None:
        return a.refused is not None and b.refused is not None and a.refused[0] == b.refused[0]
    return a == b


@BOUNDED
@given(msg_type=st.sampled_from(HEEN + RETOUREN), variant=st.integers(min_value=0, max_value=10_000), noise=NOISE)
def test_comments_and_processing_instructions_anywhere_change_nothing(w, msg_type, variant, noise):
    data = w.retour(msg_type) if msg_type in RETOUREN else w.heen(msg_type, variant=variant)
    noisy = with_noise(data, noise)
    assert noisy != data
    actor = w.actor(msg_type)
    plain = outcome_undone(actor, data)
    found = outcome(actor, noisy)
    assert found.refused is None, found.refused
    assert found == plain
    assert found.codes == ()
    if msg_type in RETOUREN:  # a retour read in: our message it answers is accepted
        assert found.state == "verzonden" and found.answered_state == "geaccepteerd"
    else:
        assert found.state == "geaccepteerd" and found.case == w.subject.pk


@BOUNDED
@given(mutation=st.sampled_from(MUTATIONS), noise=NOISE | st.just([]))
def test_rules_table_mutated_messages_get_the_code_their_rule_names(w, mutation, noise):
    data = mutation.make(w)
    actor = w.actor(mutation.msg_type)
    noisy = with_noise(data, noise) if noise else data
    plain = outcome_undone(actor, data)
    found = outcome(actor, noisy)  # only ImportRefused may come out: anything else fails here
    assert _same(found, plain), (found, plain)
    if mutation.code is None:
        assert found.refused and "XSD" in found.refused[0]
    else:
        assert found.refused is None, found.refused
        assert found.codes == ((mutation.code,) if mutation.code else ())


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutation=st.sampled_from(MUTATIONS), noise=NOISE)
def test_rules_table_on_the_import_page_never_a_server_error(client, w, mutation, noise):
    data = with_noise(mutation.make(w), noise)
    client.force_login(w.actor(mutation.msg_type))
    response = client.post(reverse("messaging:import"), {"bestand": SimpleUploadedFile("bericht.xml", data)})
    assert response.status_code == 200
    page = read_page(response)
    if mutation.code is None:
        assert "XSD" in page.by_id["violations"]
    elif mutation.code:
        assert mutation.code in page.by_id["retourcodes"]
    else:
        assert "retourcodes" not in page.by_id and "violations" not in page.by_id
