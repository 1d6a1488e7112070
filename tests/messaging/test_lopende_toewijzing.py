"""A toewijzing in segment 2 to 4 that still runs when the case comes to Crossroads: recorded on the case,
the backoffice's task until it ends it [HvB-S1] (ADR 0021)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from messaging import services
from messaging.models import LopendeToewijzing
from referrals import services as case_services
from referrals.models import CaseEvent, EventKind, Phase
from tests import factories
from tests.helpers import FAST_HASHERS, field_error, text, value_of

from .traffic import Parties

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def p():
    return Parties()


def record_data(**kw):
    data = {
        "aanbieder_naam": "Jeugdhulp Zuid",
        "aanbieder_agb": "81234567",
        "product_code": "45A53",
        "toewijzing_nummer": "1234567",
        "sinds": (timezone.localdate() - timedelta(days=200)).isoformat(),
    }
    data.update(kw)
    return data


def end_data(**kw):
    data = {"beeindigd_per": timezone.localdate().isoformat(), "wijze": "jw301_einddatum", "toelichting": ""}
    data.update(kw)
    return data


def messages_url(case):
    return reverse("messaging:case_messages", args=[case.public_id])


def recorded(p, case):
    return services.record_lopende_toewijzing(
        actor=p.aanmeldpunt,
        case=case,
        data=services.LopendeToewijzingInput(
            aanbieder_naam="Jeugdhulp Zuid", sinds=timezone.localdate() - timedelta(days=200)
        ),
    )


def afsluiten_case(p, case):
    return case_services.voortijdig_beeindigen(
        actor=p.aanmeldpunt,
        case=case,
        expected_phase=Phase.HULPVERLENEND,
        reden="geen_hulpvraag",
        toelichting="Geen hulpvraag meer.",
    )


def test_recorded_it_is_the_backoffice_task_until_ended_and_the_case_and_timeline_show_both(client, p):
    case = p.case(gemeente=p.waalwijk)
    dongen = factories.UserFactory(role="backoffice", organisation=factories.gemeente("Dongen", "0766"))

    client.force_login(p.aanmeldpunt)
    page = text(client.get(messages_url(case)))
    assert "Lopende toewijzing in segment 2–4" in page
    assert "Lopende toewijzing melden" in page
    response = client.post(reverse("messaging:lopend_new", args=[case.public_id]), record_data(), follow=True)
    page = text(response)
    assert "De lopende toewijzing bij Jeugdhulp Zuid is gemeld" in page
    assert "nog te beëindigen door de backoffice" in page
    assert "Beëindigen</a>" not in page  # the aanmeldpunt records, the backoffice ends

    lopend = LopendeToewijzing.objects.get(case=case)
    for backoffice in (p.backoffice_waalwijk, p.backoffice):  # its gemeente, and Tilburg as gastheergemeente
        client.force_login(backoffice)
        start = text(client.get(reverse("start")))
        assert "Lopende toewijzingen segment 2–4 te beëindigen" in start
        assert case.reference in start and "Jeugdhulp Zuid" in start
        assert f"{messages_url(case)}#lopend-{lopend.public_id}" in start
        assert reverse("messaging:lopend_end", args=[case.public_id, lopend.public_id]) in start
    client.force_login(dongen)
    start = text(client.get(reverse("start")))
    assert case.reference not in start
    assert "Er zijn geen lopende toewijzingen die op beëindiging wachten." in start

    client.force_login(p.backoffice_waalwijk)
    page = text(client.get(messages_url(case)))
    end_url = reverse("messaging:lopend_end", args=[case.public_id, lopend.public_id])
    assert end_url in page
    response = client.post(end_url, end_data(), follow=True)
    page = text(response)
    today = timezone.localdate()
    assert "is beëindigd per" in page
    assert "beëindigd per" in page and "JW301 met einddatum aan de aanbieder verstuurd" in page
    assert f"door {p.backoffice_waalwijk.get_full_name()}" in page
    assert "nog te beëindigen door de backoffice" not in page

    for backoffice in (p.backoffice_waalwijk, p.backoffice):
        client.force_login(backoffice)
        assert case.reference not in text(client.get(reverse("start")))

    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert EventKind.LOPENDE_TOEWIJZING_GEMELD in kinds and EventKind.LOPENDE_TOEWIJZING_BEEINDIGD in kinds
    client.force_login(p.aanmeldpunt)
    timeline = text(client.get(reverse("referrals:case_detail", args=[case.public_id])))
    assert "Lopende toewijzing segment 2–4 gemeld" in timeline
    assert "Lopende toewijzing segment 2–4 beëindigd" in timeline
    lopend.refresh_from_db()
    assert (lopend.beeindigd_per, lopend.beeindigd_by) == (today, p.backoffice_waalwijk)


def test_bad_input_when_recording_is_shown_at_the_field_with_the_typed_values_kept(client, p):
    case = p.case()
    client.force_login(p.regievoerder)
    url = reverse("messaging:lopend_new", args=[case.public_id])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client.post(url, record_data(aanbieder_agb="1234", product_code="4a!", sinds=tomorrow))

    assert response.status_code == 200
    assert "8 cijfers" in field_error(response, "id_aanbieder_agb")
    assert "5 cijfers of hoofdletters" in field_error(response, "id_product_code")
    assert "niet in de toekomst" in field_error(response, "id_sinds")
    assert value_of(response, "aanbieder_agb") == "1234"
    assert value_of(response, "aanbieder_naam") == "Jeugdhulp Zuid"
    assert "verplicht" in field_error(client.post(url, record_data(aanbieder_naam="   ")), "id_aanbieder_naam")
    response = client.post(url, record_data(toewijzing_nummer="TW-12"))
    assert "alleen uit cijfers" in field_error(response, "id_toewijzing_nummer")
    assert not LopendeToewijzing.objects.exists()
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.LOPENDE_TOEWIJZING_GEMELD).exists()


def test_bad_input_when_ending_is_shown_at_the_field_and_nothing_is_stored(client, p):
    case = p.case()
    lopend = recorded(p, case)
    client.force_login(p.backoffice)
    url = reverse("messaging:lopend_end", args=[case.public_id, lopend.public_id])
    today = timezone.localdate()

    before = (lopend.sinds - timedelta(days=1)).isoformat()
    response = client.post(url, end_data(beeindigd_per=before))
    assert "eindigt niet daarvóór" in field_error(response, "id_beeindigd_per")
    assert value_of(response, "beeindigd_per") == before
    far = (today + timedelta(days=32)).isoformat()
    assert "Kies een einddatum tot en met" in field_error(
        client.post(url, end_data(beeindigd_per=far)), "id_beeindigd_per"
    )
    response = client.post(url, end_data(wijze="afgesproken", toelichting="  "))
    assert "Zonder bericht" in field_error(response, "id_toelichting")

    lopend.refresh_from_db()
    assert not lopend.ended
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.LOPENDE_TOEWIJZING_BEEINDIGD).exists()

    ahead = today + timedelta(days=31)  # an end agreed ahead, within the month
    response = client.post(
        url,
        end_data(beeindigd_per=ahead.isoformat(), wijze="afgesproken", toelichting="Met mevrouw De Vries."),
        follow=True,
    )
    page = text(response)
    assert "Met de aanbieder afgesproken, zonder bericht: Met mevrouw De Vries." in page
    lopend.refresh_from_db()
    assert lopend.beeindigd_per == ahead

    response = client.post(url, end_data(), follow=True)  # ended already: no second ending
    assert "al beëindigd" in text(response)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.LOPENDE_TOEWIJZING_BEEINDIGD).count() == 1


def test_who_may_not_is_refused(client, p):
    case = p.case()  # Tilburg's case
    other_partner = factories.UserFactory(role="regievoerder", organisation=factories.partner("Amarant", "80000303"))
    lopend = recorded(p, case)
    end_url = reverse("messaging:lopend_end", args=[case.public_id, lopend.public_id])
    new_url = reverse("messaging:lopend_new", args=[case.public_id])

    # Another gemeente's backoffice does not see the case at all.
    client.force_login(p.backoffice_waalwijk)
    assert client.get(end_url).status_code == 404
    assert client.post(end_url, end_data()).status_code == 404
    assert client.post(new_url, record_data()).status_code == 404
    # A regievoerder of another partner neither.
    client.force_login(other_partner)
    assert client.post(new_url, record_data()).status_code == 404
    # The aanmeldpunt and the regievoerder record, they do not end.
    for user in (p.aanmeldpunt, p.regievoerder):
        client.force_login(user)
        response = client.post(end_url, end_data(), follow=True)
        assert "Alleen de backoffice van de gemeente beëindigt een lopende toewijzing." in text(response)
        with pytest.raises(PermissionDenied):
            services.end_lopende_toewijzing(
                actor=user, lopend=lopend, data=services.BeeindigingInput(timezone.localdate(), "jw301_einddatum")
            )
    lopend.refresh_from_db()
    assert not lopend.ended

    # A closed case takes no new report; its running toewijzing can still be ended.
    closed = afsluiten_case(p, case)
    client.force_login(p.aanmeldpunt)
    page = text(client.get(messages_url(closed)))
    assert "Lopende toewijzing melden" not in page
    response = client.post(new_url, record_data(), follow=True)
    assert "U kunt bij deze casus geen lopende toewijzing melden." in text(response)
    assert LopendeToewijzing.objects.filter(case=case).count() == 1
    client.force_login(p.backoffice)
    assert end_url in text(client.get(messages_url(closed)))


def test_only_plain_digits_and_no_date_before_birth(client, p):
    case = p.case()
    client.force_login(p.aanmeldpunt)
    url = reverse("messaging:lopend_new", args=[case.public_id])
    response = client.post(url, record_data(aanbieder_agb="١٢٣٤٥٦٧٨", toewijzing_nummer="٣٣", sinds="1990-01-01"))
    assert field_error(response, "id_aanbieder_agb") == "Een AGB-code bestaat uit 8 cijfers."
    assert field_error(response, "id_toewijzing_nummer").startswith("Een toewijzingnummer bestaat alleen uit cijfers")
    assert field_error(response, "id_sinds").startswith("Deze datum ligt vóór de geboortedatum")
    assert not LopendeToewijzing.objects.filter(case=case).exists()


def test_the_backoffice_sees_the_case_while_the_toewijzing_waits_and_a_week_after(client, p, time_machine):
    case = p.case(gemeente=p.waalwijk)
    lopend = recorded(p, case)
    client.force_login(p.backoffice_waalwijk)
    assert client.get(messages_url(case)).status_code == 200
    services.end_lopende_toewijzing(
        actor=p.backoffice_waalwijk,
        lopend=lopend,
        data=services.BeeindigingInput(beeindigd_per=timezone.localdate(), wijze="jw301_einddatum"),
    )
    assert client.get(messages_url(case)).status_code == 200
    time_machine.move_to(timezone.now() + timedelta(days=8), tick=False)
    client.force_login(p.backoffice_waalwijk)
    assert client.get(reverse("referrals:case_detail", args=[case.public_id])).status_code == 404
