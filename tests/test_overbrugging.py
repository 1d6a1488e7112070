"""Overbruggingszorg recorded when it is arranged during the wait (who, what, from when): on the case, on
the timeline, accepted by the late start of care, and in the waiting-time figures of the dashboard."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deadlines.figures import figures as compute_figures
from deadlines.figures.definitions import Filters
from deadlines.figures.lists import ListSpec, deadline_list, list_row
from referrals import services
from referrals.models import EventKind, Overbrugging
from tests.factories import build_case
from tests.helpers import FAST_HASHERS, NOW, make_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_clock(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def waiting(toegang_user, aanmeldpunt_user, sterk_huis):
    return build_case(stage="aanmeld", toegang_user=toegang_user, aanmeldpunt_user=aanmeldpunt_user)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(case):
    return reverse("referrals:overbrugging", args=[case.public_id])


def test_the_aanmeldpunt_records_it_during_the_wait_and_the_case_shows_it(waiting, aanmeldpunt_user):
    today = timezone.localdate()
    client = client_for(aanmeldpunt_user)
    response = client.post(
        url(waiting), {"door": "Wijkteam Tilburg-Noord", "wat": "Wekelijkse gezinsbegeleiding.", "vanaf": today}
    )
    assert response.status_code == 302
    bridge = Overbrugging.objects.get(case=waiting)
    assert (bridge.door, bridge.vanaf, bridge.recorded_by) == ("Wijkteam Tilburg-Noord", today, aanmeldpunt_user)
    event = waiting.events.get(kind=EventKind.OVERBRUGGING_VASTGELEGD)
    assert "Wijkteam Tilburg-Noord" in event.reason and event.actor == aanmeldpunt_user
    page = text(client.get(reverse("referrals:case_detail", args=[waiting.public_id])))
    assert "Wachttijd en overbruggingszorg" in page and "Wekelijkse gezinsbegeleiding." in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"door": " ", "wat": "Begeleiding.", "vanaf": "today"}, "door", "Vul in wie"),
        ({"door": "Wijkteam", "wat": "", "vanaf": "today"}, "wat", ""),
        ({"door": "Wijkteam", "wat": "Begeleiding.", "vanaf": "31-02-2026"}, "vanaf", ""),
        ({"door": "Wijkteam", "wat": "Begeleiding.", "vanaf": "+70"}, "vanaf", "weken vooruit"),
        ({"door": "Wijkteam", "wat": "Begeleiding.", "vanaf": "-10"}, "vanaf", "vóór de aanmelddatum"),
    ],
)
def test_bad_input_is_said_at_the_field_and_nothing_is_stored(waiting, aanmeldpunt_user, data, field, message):
    today = timezone.localdate()
    vanaf = data["vanaf"]
    if vanaf == "today":
        vanaf = today.isoformat()
    elif vanaf[0] in "+-":
        vanaf = (today + timedelta(days=int(vanaf))).isoformat()
    response = client_for(aanmeldpunt_user).post(url(waiting), {**data, "vanaf": vanaf})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert vanaf in response.content.decode()
    assert not Overbrugging.objects.exists()
    assert not waiting.events.filter(kind=EventKind.OVERBRUGGING_VASTGELEGD).exists()


def test_a_late_start_of_care_accepts_the_recorded_overbrugging(
    toegang_user, aanmeldpunt_user, sterk_huis, time_machine
):
    case = build_case(stage="hulpverlenend", toegang_user=toegang_user, aanmeldpunt_user=aanmeldpunt_user)
    services.record_overbruggingszorg(
        actor=toegang_user, case=case, door="Wijkteam", wat="Ambulante begeleiding.", vanaf=timezone.localdate()
    )
    time_machine.move_to(NOW + timedelta(weeks=7), tick=False)
    rv = make_user("regievoerder", partner_org=case.regie_organisatie)
    case = services.record_zorg_gestart(actor=rv, case=case, datum=timezone.localdate())
    assert case.zorg_gestart_op == timezone.localdate()
    # Once care started, there is no wait left to bridge.
    assert client_for(aanmeldpunt_user).get(url(case)).status_code == 403


def test_the_waiting_figures_count_who_has_overbruggingszorg(toegang_user, aanmeldpunt_user, sterk_huis):
    bridged = build_case(stage="aanmeld", toegang_user=toegang_user, aanmeldpunt_user=aanmeldpunt_user)
    build_case(stage="aanmeld", toegang_user=toegang_user, aanmeldpunt_user=aanmeldpunt_user)
    services.record_overbruggingszorg(
        actor=aanmeldpunt_user, case=bridged, door="Wijkteam", wat="Begeleiding.", vanaf=timezone.localdate()
    )
    manager = make_user("manager_crossroads")
    filters = Filters.default(timezone.localdate())
    f = compute_figures(manager, filters, timezone.now())
    assert (f.lead["start"].waiting, f.lead["start"].bridged) == (2, 1)
    rows = [
        list_row(d, timezone.now())
        for d in deadline_list(manager, filters, ListSpec("wachtend", step="start"), timezone.now())
    ]
    statuses = {r["reference"]: r["status"] for r in rows}
    assert statuses[bridged.reference].endswith("met overbruggingszorg")
    assert sum(s.endswith("met overbruggingszorg") for s in statuses.values()) == 1
