"""Cross-message rules on received starts and stops (TR063, TR071, TR074, TR326, TR382, TR413-TR415) and
antwoordberichten (TR360, TR365): each rule's negative traffic gets its retourcode, the allowed traffic none."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from messaging import services
from messaging.builders import build_jw305, build_jw307, build_jw319, to_bytes
from messaging.data import (
    Antwoordbericht,
    BerichtHeader,
    Product,
    StartJeugdhulp,
    StartProduct,
    StopJeugdhulp,
    StopProduct,
)
from messaging.from_case import client_from_jeugdige
from messaging.models import Toewijzing
from messaging.parsing import parse_retour, parse_xml
from tests.helpers import FAST_HASHERS

from .traffic import Parties

pytestmark = pytest.mark.django_db

_ident = itertools.count(1)


@pytest.fixture
def p(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return Parties()


class Care:
    """Starts and stops as the provider's own system sends them, taken in by the gemeente."""

    def __init__(self, p: Parties):
        self.p = p
        case = p.case()
        p.granted(case)
        self.t = Toewijzing.objects.get(case=case)
        self.client = client_from_jeugdige(case.jeugdige)
        self.today = timezone.localdate()

    def _send(self, build, report, line) -> list[str]:
        header = BerichtHeader("80000101", "0855", f"{next(_ident) + 550000:012d}", self.today)
        result = services.import_message(
            actor=self.p.backoffice, data=to_bytes(build(report(header, self.client, (line,))))
        )
        return [code for code, _ in result.codes]

    def _line(self, days_ago):
        return {
            "begindatum": self.today - timedelta(days=days_ago),
            "toewijzing_nummer": self.t.toewijzing_nummer,
            "product": Product(self.t.categorie, self.t.product_code),
        }

    def start(self, days_ago=10, status="1") -> list[str]:
        line = StartProduct(**self._line(days_ago), status_aanlevering=status)
        return self._send(build_jw305, StartJeugdhulp, line)

    def stop(self, ended_days_ago, reden="31", started_days_ago=10, status="1") -> list[str]:
        line = StopProduct(
            **self._line(started_days_ago),
            einddatum=self.today - timedelta(days=ended_days_ago),
            reden_beeindiging=reden,
            status_aanlevering=status,
        )
        return self._send(build_jw307, StopJeugdhulp, line)


@pytest.fixture
def care(p):
    return Care(p)


def test_tr074_the_same_start_twice_gets_9074(care):
    assert care.start() == []
    assert care.start() == ["9074"]


def test_tr326_a_new_start_before_the_current_one_is_stopped_gets_9326(care):
    assert care.start(10) == []
    assert care.start(5) == ["9326"]


def test_tr326_after_a_stop_a_new_start_is_allowed(care):
    assert care.start(10) == []
    assert care.stop(6, reden="20") == []
    assert care.start(3) == []


def test_tr063_deleting_a_start_or_stop_never_sent_gets_9063(care):
    assert care.start(status="3") == ["9063"]
    assert care.start() == []
    assert care.stop(2, status="3") == ["9063"]


def test_tr063_deleting_what_was_sent_is_allowed(care):
    assert care.start() == []
    assert care.stop(2) == []
    assert care.stop(2, status="3") == []
    assert care.start(status="3") == []  # its stop was deleted, so the start may go too (TR071)


def test_tr071_a_start_cannot_be_deleted_after_its_stop_gets_9071(care):
    assert care.start() == []
    assert care.stop(2) == []
    assert care.start(status="3") == ["9071"]


def test_tr382_a_stop_without_a_current_start_gets_9069(care):
    assert care.stop(2) == ["9069"]
    assert care.start(10) == []
    assert care.stop(2, started_days_ago=9) == ["9069"]  # the start's key is copied unchanged
    assert care.stop(2) == []


def test_tr413_a_second_temporary_stop_gets_9413(care):
    assert care.start() == []
    assert care.stop(5, reden="20") == []
    assert care.stop(3, reden="20") == ["9413"]


def test_tr415_after_a_definitive_stop_no_other_stop_gets_9415(care):
    assert care.start() == []
    assert care.stop(5, reden="31") == []
    assert care.stop(3, reden="34") == ["9415"]


def test_tr414_a_stop_going_back_in_time_gets_9414_and_a_definitive_stop_after_a_temporary_one_is_fine(care):
    assert care.start() == []
    assert care.stop(5, reden="20") == []
    assert care.stop(7, reden="31") == ["9414"]
    assert care.stop(2, reden="31") == []


# --- JW319 -------------------------------------------------------------------------------------------------


def _answer(p, jw315, antwoord, reden="") -> list[str]:
    header = BerichtHeader("0855", "80000101", f"{next(_ident) + 660000:012d}", timezone.localdate())
    data = to_bytes(build_jw319(Antwoordbericht(header, jw315.referentie, antwoord, reden)))
    return [code for code, _ in services.import_message(actor=p.aanmeldpunt, data=data).codes]


def test_tr360_a_second_in_onderzoek_gets_9360(p):
    jw315 = p.sent_request(p.case())
    assert _answer(p, jw315, "2") == []
    assert _answer(p, jw315, "2") == ["9360"]
    assert _answer(p, jw315, "1", "4") == []  # the final answer after "in onderzoek"


def test_tr365_no_answer_after_a_final_one_gets_9365(p):
    jw315 = p.sent_request(p.case())
    assert _answer(p, jw315, "1", "4") == []
    assert _answer(p, jw315, "1", "3") == ["9365"]
    assert _answer(p, jw315, "2") == ["9360", "9365"]


# --- Business rules on import --------------------------------------------------------------------------------


def test_op179_a_file_over_25_mb_is_refused(p):
    with pytest.raises(services.ImportRefused) as refused:
        services.import_message(actor=p.backoffice, data=b" " * (25 * 1024 * 1024 + 1))
    assert "25 MB" in refused.value.reasons[0]


# --- JW315 -------------------------------------------------------------------------------------------------


def test_tr374_a_new_request_while_one_is_open_gets_9374(p):
    case = p.case()
    first = p.sent_request(case)
    assert first.state == "geaccepteerd"
    second = p.sent_request(case, categorie="45", product_code="45A02")
    assert second.state == "afgewezen"
    (retour,) = second.answered_by.filter(message_type="jw316")
    assert parse_retour(parse_xml(retour.data)).codes - {"0200"} == {"9374"}


def test_tr374_after_the_final_answer_a_new_request_is_allowed(p):
    case = p.case()
    p.granted(case)
    assert p.sent_request(case, product_code="45A02").state == "geaccepteerd"
    other = p.case()
    jw315 = p.sent_request(other)
    assert _answer(p, jw315, "2") == []
    assert p.sent_request(other, product_code="45A02").state == "afgewezen"  # in onderzoek: still open
    assert _answer(p, jw315, "1", "4") == []
    assert p.sent_request(other, product_code="45A03").state == "geaccepteerd"
