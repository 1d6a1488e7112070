"""Life changes during a case, through the real services and pages: the youth's data corrected (a birth
and the child's own BSN, a move, a typo), refused at the field when wrong, on the timeline old → new, found
by the new name, the age deadlines recomputed, the next JW315 with the new data, and the backoffice told
when a message with the old data was sent. And a family that grows: a sibling added to the gezin."""

from dataclasses import asdict
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AccessLog
from deadlines import dashboard
from deadlines.figures.counted import counted_figures
from deadlines.figures.kept import kept_figures
from deadlines.models import Deadline, DeadlineState
from deadlines.workdays import moment_at_age
from messaging import from_case
from messaging import services as messaging_services
from messaging.validation import validate
from referrals import selectors, services
from referrals.bsn import valid_bsns
from referrals.models import Case, CaseEvent, EventKind, Jeugdige
from referrals.transitions import case_etag
from tests import factories
from tests.deadlines.test_dashboard_tally import comparable
from tests.factories import build_care_case, build_case
from tests.helpers import (
    FAST_HASHERS,
    NOW,
    TODAY,
    ensure_default_rules,
    field_error,
    make_user,
    text,
    value_of,
    years_ago,
)
from tests.messaging.traffic import ADRES, Parties, request_input

pytestmark = pytest.mark.django_db

_bsns = valid_bsns(300000000)


@pytest.fixture(autouse=True)
def _fixed_clock_and_fast_users(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS


def correctie(jeugdige: Jeugdige, **changes) -> services.JeugdigeCorrectie:
    """The youth's data as stored, with `changes`."""
    j = Jeugdige.objects.get(pk=jeugdige.pk)
    values = {
        name: getattr(j, name)
        for name in (
            "voornaam",
            "tussenvoegsel",
            "achternaam",
            "geboortedatum",
            "geslacht",
            "bsn_status",
            "bsn",
            "straat",
            "huisnummer",
            "postcode",
            "woonplaats",
            "land",
        )
    }
    return services.JeugdigeCorrectie(**{**values, **changes})


def stored(jeugdige: Jeugdige) -> dict:
    j = Jeugdige.objects.get(pk=jeugdige.pk)
    return {f.attname: getattr(j, f.attname) for f in Jeugdige._meta.concrete_fields}


def corrections(case: Case) -> list[CaseEvent]:
    return list(case.events.filter(kind=EventKind.JEUGDIGE_GECORRIGEERD))


# --- The service ---------------------------------------------------------------------------------


def test_a_typo_in_the_name_is_corrected_on_the_timeline_and_found_by_the_new_name(toegang_user, time_machine):
    case = build_case(stage="aanmeld", toegang_user=toegang_user, achternaam="Jansen", voornaam="Noa")
    time_machine.move_to(NOW + timedelta(minutes=5), tick=False)
    services.correct_jeugdige(
        actor=toegang_user,
        jeugdige=case.jeugdige,
        data=correctie(case.jeugdige, voornaam="Noah", achternaam="Janssen"),
        reason="Typefout bij de registratie.",
    )
    (event,) = corrections(case)
    assert event.reason == "Typefout bij de registratie."
    assert event.payload["wijzigingen"] == [
        {"veld": "voornaam", "label": "Voornaam", "oud": "Noa", "nieuw": "Noah"},
        {"veld": "achternaam", "label": "Achternaam", "oud": "Jansen", "nieuw": "Janssen"},
    ]
    assert case_etag(Case.objects.get(pk=case.pk)) != case_etag(case)  # an API client sees the case changed
    found = selectors.search_cases(toegang_user, selectors.CaseFilters(q="Janssen"))
    assert list(found) == [case]  # the case row's search copy of the name followed (ADR 0015)
    assert not selectors.search_cases(toegang_user, selectors.CaseFilters(q="Noa Jansen")).exists()


def test_a_birth_gives_the_child_its_own_bsn_and_the_jw315_carries_it(aanmeldpunt_user, sterk_huis):
    expected = TODAY + timedelta(days=20)
    case = build_case(
        stage="hulpverlenend",
        aanmeldpunt_user=aanmeldpunt_user,
        partner_org=sterk_huis,
        bsn_status="ongeboren",
        geboortedatum=expected,
        voornaam="Baby",
        achternaam="Jansen",
        **ADRES,
    )
    before = messaging_services.preview_jw315(actor=aanmeldpunt_user, case=case, data=request_input())
    assert not before.ok and before.manual_route  # no berichtenverkeer for an unborn child [HvB-STAP]

    bsn = next(_bsns)
    born = TODAY - timedelta(days=2)
    services.correct_jeugdige(
        actor=aanmeldpunt_user,
        jeugdige=case.jeugdige,
        data=correctie(case.jeugdige, bsn_status="normaal", bsn=bsn, geboortedatum=born, voornaam="Sem"),
        reason="Geboren op 8 maart; BSN van de gemeente ontvangen.",
    )
    (event,) = corrections(case)
    shown = {w["veld"]: (w["oud"], w["nieuw"]) for w in event.payload["wijzigingen"]}
    assert shown["bsn_status"] == ("Ongeboren (zorg op BSN van de moeder)", "BSN bekend")
    assert shown["bsn"] == ("(leeg)", "••••••" + bsn[-3:])  # masked as everywhere (referrals.bsn.mask_bsn)
    assert bsn not in str(event.payload)
    assert shown["geboortedatum"] == ("30 maart 2026", "8 maart 2026")

    case = Case.objects.get(pk=case.pk)
    preview = messaging_services.preview_jw315(actor=aanmeldpunt_user, case=case, data=request_input())
    assert preview.ok, preview.reasons
    xml = preview.data.decode()
    assert bsn in xml and "Sem" in xml and "2026-03-08" in xml
    assert validate(preview.root).ok


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"bsn": "123456789"}, "bsn", "elfproef"),
        ({"geboortedatum": TODAY + timedelta(days=1)}, "geboortedatum", "in de toekomst"),
        ({"voornaam": "  "}, "voornaam", "Vul de voornaam in"),
        ({"bsn_status": "ongeboren", "bsn": ""}, "bsn_status", "niet weer 'ongeboren'"),
        ({"bsn_status": "geen_bsn"}, "bsn", "Laat het BSN leeg"),
        ({"geslacht": "7"}, "geslacht", "Kies een geslacht"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_stored(toegang_user, changes, field, message):
    case = build_case(stage="aanmeld", toegang_user=toegang_user)
    before = stored(case.jeugdige)
    with pytest.raises(ValidationError) as refused:
        services.correct_jeugdige(
            actor=toegang_user, jeugdige=case.jeugdige, data=correctie(case.jeugdige, **changes), reason="Correctie."
        )
    assert message in " ".join(refused.value.message_dict[field])
    assert stored(case.jeugdige) == before and corrections(case) == []


def test_a_birth_date_making_the_youth_18_at_the_aanmelding_is_refused_with_the_reason(toegang_user):
    case = build_case(stage="aanmeld", toegang_user=toegang_user, age_years=17)
    eighteen = years_ago(18, case.aanmelddatum) - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.correct_jeugdige(
            actor=toegang_user,
            jeugdige=case.jeugdige,
            data=correctie(case.jeugdige, geboortedatum=eighteen),
            reason="Geboortedatum volgens BRP.",
        )
    assert "bij de aanmelding op 7 maart 2026 al 18 jaar of ouder" in refused.value.message_dict["geboortedatum"][0]


def test_a_reason_is_required_and_a_correction_must_change_something(toegang_user):
    case = build_case(stage="aanmeld", toegang_user=toegang_user)
    with pytest.raises(ValidationError) as refused:
        services.correct_jeugdige(
            actor=toegang_user, jeugdige=case.jeugdige, data=correctie(case.jeugdige, voornaam="Sem"), reason=" "
        )
    assert "reden" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.correct_jeugdige(actor=toegang_user, jeugdige=case.jeugdige, data=correctie(case.jeugdige), reason="x")
    assert "niets gewijzigd" in refused.value.messages[0]


def test_a_move_dated_before_the_birth_or_without_a_new_address_is_refused(toegang_user):
    case = build_case(stage="aanmeld", toegang_user=toegang_user, age_years=3)
    born = case.jeugdige.geboortedatum
    new_address = {"straat": "Kerkstraat", "huisnummer": "1", "postcode": "5038AB", "woonplaats": "Tilburg"}
    for changes, message in [
        ({**new_address, "adres_gewijzigd_per": born - timedelta(days=1)}, "vóór de geboortedatum"),
        ({**new_address, "adres_gewijzigd_per": TODAY + timedelta(days=1)}, "niet in de toekomst"),
        ({"adres_gewijzigd_per": TODAY}, "alleen in als het adres wijzigt"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.correct_jeugdige(
                actor=toegang_user, jeugdige=case.jeugdige, data=correctie(case.jeugdige, **changes), reason="Verhuisd."
            )
        assert message in refused.value.message_dict["adres_gewijzigd_per"][0]
    services.correct_jeugdige(
        actor=toegang_user,
        jeugdige=case.jeugdige,
        data=correctie(case.jeugdige, **new_address, adres_gewijzigd_per=TODAY - timedelta(days=5)),
        reason="Verhuisd.",
    )
    (event,) = corrections(case)
    assert event.payload["adres_gewijzigd_per"] == "2026-03-05" and event.payload["verhuisd_per"] == "5 maart 2026"
    assert Jeugdige.objects.get(pk=case.jeugdige.pk).postcode == "5038 AB"
    # The same postcode typed otherwise is no change; a postcode that is not Dutch is refused in the Netherlands
    # and kept in its own form for an address abroad.
    with pytest.raises(ValidationError, match="niets gewijzigd"):
        services.correct_jeugdige(
            actor=toegang_user, jeugdige=case.jeugdige, data=correctie(case.jeugdige, postcode="5038ab"), reason="x"
        )
    with pytest.raises(ValidationError) as refused:
        services.correct_jeugdige(
            actor=toegang_user, jeugdige=case.jeugdige, data=correctie(case.jeugdige, postcode="B-2000"), reason="x"
        )
    assert "Nederlandse postcode" in refused.value.message_dict["postcode"][0]
    abroad = correctie(case.jeugdige, postcode="B-2000", woonplaats="Antwerpen", land="BE")
    services.correct_jeugdige(actor=toegang_user, jeugdige=case.jeugdige, data=abroad, reason="Verhuisd naar België.")
    moved = Jeugdige.objects.get(pk=case.jeugdige.pk)
    assert (moved.postcode, moved.land) == ("B-2000", "BE")
    assert "Land: Nederland → België" in [
        f"{w['label']}: {w['oud']} → {w['nieuw']}" for e in corrections(case) for w in e.payload["wijzigingen"]
    ]


def test_a_bsn_of_another_youth_names_its_case_only_to_who_may_see_it(toegang_user, aanmeldpunt_user, waalwijk):
    case = build_case(stage="aanmeld", toegang_user=toegang_user, aanmeldpunt_user=aanmeldpunt_user)
    own = build_case(stage="aanmeld", toegang_user=toegang_user, aanmeldpunt_user=aanmeldpunt_user)
    elsewhere = build_case(stage="aanmeld", toegang_user=make_user("toegang_medewerker", gem=waalwijk))
    for other, shown in [(own, f"(casus {own.reference})"), (elsewhere, "")]:
        with pytest.raises(ValidationError) as refused:
            services.correct_jeugdige(
                actor=toegang_user,
                jeugdige=case.jeugdige,
                data=correctie(case.jeugdige, bsn=other.jeugdige.bsn),
                reason="BSN volgens BRP.",
            )
        message = refused.value.message_dict["bsn"][0]
        assert "al in gebruik" in message
        assert (shown in message) if shown else ("casus" not in message and elsewhere.reference not in message)
    # Only the attempt on a youth the worker may not see is logged as refused: trying BSNs leaves a trace.
    (probe,) = AccessLog.objects.filter(user=toegang_user, action="geweigerd", object_type="jeugdige")
    assert probe.object_id == str(elsewhere.jeugdige.pk) and elsewhere.jeugdige.bsn not in probe.description


def test_a_youth_registered_again_with_the_same_bsn_is_still_corrected(toegang_user):
    first = build_case(stage="aanmeld", toegang_user=toegang_user)
    again = build_case(stage="aanmeld", toegang_user=toegang_user)
    Jeugdige.objects.filter(pk=again.jeugdige.pk).update(bsn=first.jeugdige.bsn)  # the same child, a later referral
    services.correct_jeugdige(
        actor=toegang_user, jeugdige=again.jeugdige, data=correctie(again.jeugdige, woonplaats="Goirle"), reason="x"
    )
    assert Jeugdige.objects.get(pk=again.jeugdige.pk).woonplaats == "Goirle"


def test_who_may_correct(toegang_user, aanmeldpunt_user, regievoerder, waalwijk):
    case = build_care_case(stage="in_zorg", toegang_user=toegang_user, regievoerder=regievoerder)
    for outsider in (regievoerder, make_user("toegang_medewerker", gem=waalwijk), make_user("backoffice")):
        with pytest.raises(PermissionDenied):
            services.correct_jeugdige(
                actor=outsider, jeugdige=case.jeugdige, data=correctie(case.jeugdige, voornaam="Sem"), reason="x"
            )
    for allowed in (toegang_user, aanmeldpunt_user):
        services.correct_jeugdige(
            actor=allowed,
            jeugdige=case.jeugdige,
            data=correctie(case.jeugdige, voornaam=f"Sem{allowed.pk}"),
            reason="x",
        )
    assert len(corrections(case)) == 2


def test_a_geheim_bsn_youth_is_corrected_only_by_who_may_see_who_it_is(client, toegang_user, aanmeldpunt_user):
    case = build_case(stage="aanmeld", toegang_user=toegang_user, bsn_status="geheim")
    colleague = factories.UserFactory(role="toegang_medewerker", organisation=toegang_user.organisation)
    for outsider in (colleague, aanmeldpunt_user):  # same gemeente, and the aanmeldpunt: no identity grant
        with pytest.raises(PermissionDenied):
            services.correct_jeugdige(
                actor=outsider, jeugdige=case.jeugdige, data=correctie(case.jeugdige, voornaam="Sem"), reason="x"
            )
        client.force_login(outsider)
        assert client.get(url("jeugdige_wijzigen", case)).status_code in (403, 404)
    services.correct_jeugdige(
        actor=toegang_user, jeugdige=case.jeugdige, data=correctie(case.jeugdige, voornaam="Sem"), reason="x"
    )
    assert Jeugdige.objects.get(pk=case.jeugdige.pk).voornaam == "Sem"


def test_a_closed_case_is_not_corrected(toegang_user):
    case = build_case(stage="terugverwezen", toegang_user=toegang_user, segment1=False)
    with pytest.raises(PermissionDenied):
        services.correct_jeugdige(
            actor=toegang_user, jeugdige=case.jeugdige, data=correctie(case.jeugdige, voornaam="Sem"), reason="x"
        )


# --- Deadlines that hang on the birth date -----------------------------------------------------------


def perspectiefplan_start(case: Case) -> Deadline | None:
    return Deadline.objects.filter(case=case, rule__code="perspectiefplan-start").order_by("pk").last()


def test_the_perspectiefplan_deadlines_follow_a_corrected_birth_date(toegang_user):
    ensure_default_rules()
    case = build_care_case(stage="in_zorg", toegang_user=toegang_user, age_years=12)
    deadline = perspectiefplan_start(case)
    assert deadline.state == DeadlineState.OPEN
    assert deadline.due_at == moment_at_age(case.jeugdige.geboortedatum, 192)

    earlier = case.jeugdige.geboortedatum - timedelta(days=365)
    services.correct_jeugdige(
        actor=toegang_user, jeugdige=case.jeugdige, data=correctie(case.jeugdige, geboortedatum=earlier), reason="BRP."
    )
    deadline.refresh_from_db()
    assert deadline.due_at == deadline.original_due_at == moment_at_age(earlier, 192)
    assert deadline.remind_at < deadline.due_at

    # 16 already when care started: the rule does not apply [HvB-QA 3], the deadline lapses...
    sixteen = years_ago(16, TODAY) - timedelta(days=10)
    services.correct_jeugdige(
        actor=toegang_user, jeugdige=case.jeugdige, data=correctie(case.jeugdige, geboortedatum=sixteen), reason="BRP."
    )
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.LAPSED
    # ...and opens again, with the right due moment, when that was the mistake.
    services.correct_jeugdige(
        actor=toegang_user,
        jeugdige=case.jeugdige,
        data=correctie(case.jeugdige, geboortedatum=earlier),
        reason="Terug.",
    )
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.OPEN and deadline.due_at == moment_at_age(earlier, 192)
    # The dashboard's kept counts (ADR 0015) followed every one of these writes.
    manager = make_user("manager_crossroads")
    filters = dashboard.Filters.default(TODAY)
    assert comparable(kept_figures(manager, filters, NOW)) == comparable(counted_figures(manager, filters, NOW))


def test_a_youth_corrected_to_younger_than_16_at_the_start_gets_the_perspectiefplan_deadline(toegang_user):
    ensure_default_rules()
    case = build_care_case(stage="in_zorg", toegang_user=toegang_user, age_years=16)
    assert perspectiefplan_start(case) is None
    younger = years_ago(14, TODAY)
    services.correct_jeugdige(
        actor=toegang_user, jeugdige=case.jeugdige, data=correctie(case.jeugdige, geboortedatum=younger), reason="BRP."
    )
    deadline = perspectiefplan_start(case)
    assert deadline.state == DeadlineState.OPEN and deadline.due_at == moment_at_age(younger, 192)


# --- The other party: the backoffice is told ------------------------------------------------------------


def test_a_change_after_a_sent_jw315_is_flagged_for_the_backoffice(client):
    parties = Parties()
    case = parties.case()
    quiet = parties.case()
    services.correct_jeugdige(
        actor=parties.toegang,
        jeugdige=quiet.jeugdige,
        data=correctie(quiet.jeugdige, achternaam="Vos"),
        reason="Typefout.",
    )
    assert not quiet.events.filter(kind=EventKind.GEGEVENS_NA_BERICHT).exists()  # nothing sent yet
    message = parties.sent_request(case)
    services.correct_jeugdige(
        actor=parties.aanmeldpunt,
        jeugdige=case.jeugdige,
        data=correctie(case.jeugdige, achternaam="de Vries", geslacht="2"),
        reason="Naam volgens BRP.",
    )
    (flag,) = case.events.filter(kind=EventKind.GEGEVENS_NA_BERICHT)
    assert flag.payload["velden"] == ["Achternaam"]  # the geslacht is not flagged: the change the other party needs
    assert flag.payload["berichten"] == [f"JW315 {message.identificatie}"]

    client.force_login(parties.backoffice)
    page = text(client.get(reverse("start")))
    assert "Gegevens gewijzigd na verzonden bericht" in page
    assert case.reference in page and f"JW315 {message.identificatie}" in page and "de Vries" not in page
    assert AccessLog.objects.filter(user=parties.backoffice, description__contains=case.reference).exists()
    client.force_login(parties.backoffice_waalwijk)
    assert case.reference not in text(client.get(reverse("start")))


def test_the_next_messages_carry_the_new_name_and_address(aanmeldpunt_user):
    parties = Parties()
    case = parties.case()
    services.correct_jeugdige(
        actor=parties.aanmeldpunt,
        jeugdige=case.jeugdige,
        data=correctie(case.jeugdige, achternaam="Smits", straat="Nieuwe Markt", huisnummer="7", postcode="5038 CD"),
        reason="Verhuisd; naam volgens BRP.",
    )
    message = parties.sent_request(Case.objects.get(pk=case.pk))
    assert b"Smits" in bytes(message.content) and b"Jansen" not in bytes(message.content)
    # The toewijzing (JW301) names the address: the one the youth lives at now.
    client = from_case.assignment_from_case(
        Case.objects.get(pk=case.pk), producten=(), identificatie="1", dagtekening=TODAY
    ).client
    (contact,) = client.contacten
    assert contact.adres.straatnaam == "Nieuwe Markt" and contact.adres.postcode == "5038CD"


# --- The pages -----------------------------------------------------------------------------------


def url(name, case):
    return reverse(f"referrals:{name}", args=[case.public_id])


def test_the_correction_page_shows_the_data_refuses_at_the_field_and_keeps_what_was_typed(client, toegang_user):
    case = build_case(stage="aanmeld", toegang_user=toegang_user, achternaam="Jansen")
    client.force_login(toegang_user)
    detail = text(client.get(url("case_detail", case)))
    assert "Gegevens wijzigen" in detail
    page = client.get(url("jeugdige_wijzigen", case))
    assert value_of(page, "achternaam") == "Jansen" and value_of(page, "bsn") == case.jeugdige.bsn
    form = {**{k: v for k, v in asdict(correctie(case.jeugdige)).items() if v is not None}}
    form.update(geboortedatum=case.jeugdige.geboortedatum.isoformat(), adres_gewijzigd_per="")
    before = stored(case.jeugdige)
    response = client.post(url("jeugdige_wijzigen", case), {**form, "bsn": "123456789", "achternaam": "Janssen"})
    assert response.status_code == 200
    assert "elfproef" in field_error(response, "id_bsn")
    assert "Geef de reden" in field_error(response, "id_reden")
    assert value_of(response, "achternaam") == "Janssen" and value_of(response, "bsn") == "123456789"
    assert stored(case.jeugdige) == before

    response = client.post(url("jeugdige_wijzigen", case), {**form, "achternaam": "Janssen", "reden": "Typefout."})
    assert response.status_code == 302
    detail = text(client.get(url("case_detail", case)))
    assert "Gegevens jeugdige gewijzigd" in detail and "Achternaam: Jansen → Janssen" in detail
    assert AccessLog.objects.filter(user=toegang_user, description__contains="Gegevens jeugdige wijzigen").exists()


def test_the_correction_page_is_not_for_the_regievoerder(client, toegang_user, regievoerder):
    case = build_care_case(stage="in_zorg", toegang_user=toegang_user, regievoerder=regievoerder)
    client.force_login(regievoerder)
    assert "Gegevens wijzigen" not in text(client.get(url("case_detail", case)))
    assert client.get(url("jeugdige_wijzigen", case)).status_code == 403


# --- A family that grows ---------------------------------------------------------------------------


def sibling_form(user, **youth) -> dict:
    data = {
        "gemeente": str(user.organisation.own_gemeente.pk),
        "route": "toegang",
        "verwijzer_type": "gemeente",
        "verwijzer_naam": user.get_full_name(),
        "verwijzer_organisatie": user.organisation.name,
        "hulpvraag": "Ook de zus heeft hulp nodig.",
        "jeugdige-TOTAL_FORMS": "1",
        "jeugdige-INITIAL_FORMS": "0",
        "jeugdige-MIN_NUM_FORMS": "1",
        "jeugdige-MAX_NUM_FORMS": "8",
        "jeugdige-0-voornaam": "Lotte",
        "jeugdige-0-achternaam": "Jansen",
        "jeugdige-0-geboortedatum": years_ago(9).isoformat(),
        "jeugdige-0-geslacht": "2",
        "jeugdige-0-bsn_status": "normaal",
        "jeugdige-0-bsn": next(_bsns),
        "jeugdige-0-segment": "1",
    }
    data.update({f"jeugdige-0-{k}": v for k, v in youth.items()})
    return data


def test_a_sibling_is_added_to_the_family_with_a_case_of_her_own(client, toegang_user):
    case = build_case(stage="aanmeld", toegang_user=toegang_user)
    gezin = case.jeugdige.gezin
    client.force_login(toegang_user)
    add = reverse("referrals:gezin_jeugdige_toevoegen", args=[gezin.public_id])
    assert "Broer of zus toevoegen" in text(client.get(reverse("referrals:gezin", args=[gezin.public_id])))
    page = client.get(add)
    assert page.status_code == 200 and "Gezinsnaam" not in text(page)

    response = client.post(add, sibling_form(toegang_user, bsn="123456789"))
    assert "elfproef" in field_error(response, "id_jeugdige-0-bsn")
    assert Jeugdige.objects.filter(gezin=gezin).count() == 1

    response = client.post(add, sibling_form(toegang_user))
    assert response.status_code == 302 and response["Location"].endswith(f"/gezin/{gezin.public_id}/")
    sibling = Jeugdige.objects.get(gezin=gezin, voornaam="Lotte")
    (sibling_case,) = sibling.cases.all()
    assert sibling_case.phase == "concept" and sibling_case.gemeente == case.gemeente
    assert sibling_case.events.get(kind=EventKind.AANGEMAAKT).payload["gezin_uitgebreid"] is True

    response = client.post(add, sibling_form(toegang_user, voornaam="Daan", segment="3"))
    assert response.status_code == 302
    assert not Jeugdige.objects.get(gezin=gezin, voornaam="Daan").cases.exists()  # segment 3: no case
    page = text(client.get(reverse("referrals:gezin", args=[gezin.public_id])))
    assert "Lotte Jansen" in page and sibling_case.reference in page
    assert "Daan Jansen" in page and "geen casus: hulpvraag in segment 3" in page


def test_the_family_page_shows_only_the_youths_the_user_may_see(client, toegang_user, regievoerder, waalwijk):
    case = build_care_case(stage="in_zorg", toegang_user=toegang_user, regievoerder=regievoerder)
    gezin = case.jeugdige.gezin
    common = {"gemeente": case.gemeente, "route": "toegang", "verwijzer_type": "gemeente", "verwijzer_naam": "V"}
    (sister,) = services.register_case(
        actor=toegang_user, gezin_naam="", jeugdigen=[factories.youth(voornaam="Lotte")], gezin=gezin, **common
    )
    assert (
        services.register_case(
            actor=toegang_user,
            gezin_naam="",
            jeugdigen=[factories.youth(voornaam="Daan", segment="2")],
            gezin=gezin,
            **common,
        )
        == []
    )
    # The regievoerder sees the youth in care with Sterk Huis, and the brother in segment 2; not the sister,
    # whose case (a concept of the Toegang) is not his.
    client.force_login(regievoerder)
    page = text(client.get(reverse("referrals:gezin", args=[gezin.public_id])))
    assert "Noah Jansen" in page and "Daan Jansen" in page
    assert "Lotte" not in page and sister.reference not in page
    detail = text(client.get(url("case_detail", case)))
    assert "Lotte" not in detail and sister.reference not in detail
    assert "Broer of zus toevoegen" not in detail
    client.force_login(toegang_user)
    page = text(client.get(reverse("referrals:gezin", args=[gezin.public_id])))
    assert "Lotte Jansen" in page and sister.reference in page
    # Who sees no case of the family cannot add to it either.
    outsider = make_user("toegang_medewerker", gem=waalwijk)
    with pytest.raises(PermissionDenied):
        services.register_case(actor=outsider, gezin_naam="", jeugdigen=[factories.youth()], gezin=gezin, **common)
    client.force_login(outsider)
    assert client.get(reverse("referrals:gezin_jeugdige_toevoegen", args=[gezin.public_id])).status_code == 404
