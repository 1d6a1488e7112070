"""The functioneel beheerder keeps organisations and accounts in the beheerscherm, and sees no cases."""

import pytest

from tests import factories
from tests.helpers import FAST_HASHERS, ensure_default_rules


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _default_rules(db):
    ensure_default_rules()


@pytest.fixture
def beheerder(db):
    return factories.UserFactory(role="functioneel_beheerder", organisation=factories.crossroads(), is_staff=True)


def test_beheerder_edits_organisations_and_accounts_in_the_beheerscherm(client, beheerder, tilburg):
    client.force_login(beheerder)
    assert client.get("/beheer/accounts/organisation/").status_code == 200
    assert client.get(f"/beheer/accounts/organisation/{tilburg.pk}/change/").status_code == 200
    assert client.get("/beheer/accounts/user/").status_code == 200
    # The access log is read-only and not theirs; case content is not in their reach.
    assert client.get("/beheer/accounts/accesslog/").status_code == 403
    assert client.get("/beheer/referrals/case/").status_code in (403, 404)


def test_other_roles_have_no_beheerscherm(client, aanmeldpunt_user):
    aanmeldpunt_user.is_staff = True
    aanmeldpunt_user.save()
    client.force_login(aanmeldpunt_user)
    assert client.get("/beheer/accounts/organisation/").status_code == 403


def test_beheerder_cannot_hand_out_technical_rights(client, beheerder, aanmeldpunt_user):
    client.force_login(beheerder)
    page = client.get(f"/beheer/accounts/user/{aanmeldpunt_user.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="role"' in page


# --- The region's deadline rules (DOMAIN.md section 6) ------------------------------------------------


def _rule_form(rule, **changes) -> dict:
    data = {
        "name": rule.name,
        "start_event": rule.start_event,
        "met_by_event": rule.met_by_event,
        "also_met_by": rule.also_met_by,
        "amount": rule.amount,
        "unit": rule.unit,
        "remind_amount": rule.remind_amount,
        "remind_unit": rule.remind_unit,
        "warn": rule.warn,
        "also_remind": rule.also_remind,
        "also_warn_on_breach": rule.also_warn_on_breach,
        "routes": rule.routes,
        "excluded_hulpvormen": rule.excluded_hulpvormen,
        "max_age_at_start": rule.max_age_at_start or "",
        "active": "on" if rule.active else "",
        "source": rule.source,
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
        "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "1000",
    }
    if rule.survives_case_end:
        data["survives_case_end"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v not in (None, False)}


def test_beheerder_changes_a_deadline_rule_with_a_reason_kept_in_its_history(client, beheerder, tilburg):
    from deadlines.models import DeadlineRule

    rule = DeadlineRule.objects.get(code="aanmeldgesprek")
    client.force_login(beheerder)
    url = f"/beheer/deadlines/deadlinerule/{rule.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "Reden van de wijziging" in page.content.decode()
    # Without a reason nothing is saved, and what was typed stays.
    response = client.post(url, _rule_form(rule, amount="3", change_reason=""))
    assert response.status_code == 200
    assert "Geef de reden van de wijziging." in response.content.decode()
    assert 'value="3"' in response.content.decode()
    rule.refresh_from_db()
    assert rule.amount == 2 and not rule.changes.exists()
    response = client.post(
        url, _rule_form(rule, amount="3", routes=["toegang"], change_reason="Regionaal besluit: 3 weken.")
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.amount, rule.routes) == (3, ["toegang"])
    (change,) = rule.changes.all()
    assert change.changed_by == beheerder and change.reason == "Regionaal besluit: 3 weken."
    assert change.changes == {"amount": [2, 3], "routes": [[], ["toegang"]]}
    assert "Regionaal besluit: 3 weken." in client.get(url).content.decode()


def test_a_changed_rule_counts_for_deadlines_opened_after_it(beheerder, time_machine):
    from deadlines import services
    from deadlines.models import Deadline, DeadlineRule
    from deadlines.workdays import local_date
    from tests.factories import build_case
    from tests.helpers import NOW

    time_machine.move_to(NOW, tick=False)
    before = build_case(stage="aanmeld")
    rule = DeadlineRule.objects.get(code="aanmeldgesprek")
    old = {"amount": rule.amount}
    rule.amount = 3
    services.save_rule(actor=beheerder, rule=rule, before=old, reason="Drie weken.")
    after = build_case(stage="aanmeld", achternaam="Bakker")
    due = {c: local_date(Deadline.objects.get(case=c, rule=rule).due_at) for c in (before, after)}
    assert (due[after] - due[before]).days == 7


def test_other_roles_cannot_change_deadline_rules(client, aanmeldpunt_user):
    aanmeldpunt_user.is_staff = True
    aanmeldpunt_user.save()
    client.force_login(aanmeldpunt_user)
    assert client.get("/beheer/deadlines/deadlinerule/").status_code == 403


def test_a_rule_must_warn_someone_who_can_meet_it(client, beheerder):
    from deadlines.models import DeadlineRule

    rule = DeadlineRule.objects.get(code="beschikking")  # the aanmeldpunt records the beschikking
    client.force_login(beheerder)
    url = f"/beheer/deadlines/deadlinerule/{rule.pk}/change/"
    response = client.post(url, _rule_form(rule, warn="toegang_medewerker", change_reason="Toegang waarschuwen."))
    assert response.status_code == 200
    assert "Niemand die vooraf gewaarschuwd wordt, kan deze termijn halen. Kies ook: crossroads aanmeldpunt." in (
        response.content.decode()
    )
    rule.refresh_from_db()
    assert rule.warn == "aanmeldpunt"


def test_a_colleagues_change_meanwhile_is_not_overwritten(client, beheerder):
    from deadlines import services
    from deadlines.models import DeadlineRule

    rule = DeadlineRule.objects.get(code="aanmeldgesprek")
    client.force_login(beheerder)
    url = f"/beheer/deadlines/deadlinerule/{rule.pk}/change/"
    opened = services.rule_version(rule)
    colleague = DeadlineRule.objects.get(pk=rule.pk)
    colleague.amount = 3
    services.save_rule(actor=beheerder, rule=colleague, before={}, reason="Drie weken.")
    response = client.post(url, _rule_form(rule, remind_amount="3", version=opened, change_reason="Eerder herinneren."))
    assert response.status_code == 200
    assert "Iemand anders heeft deze regel intussen gewijzigd" in response.content.decode()
    rule.refresh_from_db()
    assert (rule.amount, rule.remind_amount) == (3, 2)


def test_a_rule_that_warns_only_the_coordinator_is_refused_and_the_beheerder_is_never_warned(client, beheerder):
    from deadlines.models import WARN_TARGETS, DeadlineRule

    assert "functioneel_beheerder" not in WARN_TARGETS
    rule = DeadlineRule.objects.get(code="escalatie-gesprek")
    client.force_login(beheerder)
    url = f"/beheer/deadlines/deadlinerule/{rule.pk}/change/"
    data = _rule_form(
        rule, warn="coordinator", also_remind=[], also_warn_on_breach=[], change_reason="Alleen de coördinator."
    )
    response = client.post(url, data)
    assert response.status_code == 200 and "kan deze termijn halen" in response.content.decode()
