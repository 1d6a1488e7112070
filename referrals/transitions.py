"""The phase transitions a person can fire by name: the form that takes the input and the service that fires.

Shared by the case pages (referrals.views.transition) and the REST API, so that both ask for the same input,
with the same Dutch messages, and go through the same service (guards, permission, timeline event)."""

import hashlib
from collections.abc import Callable

from django import forms
from django.db import transaction

from accounts.models import User

from . import services
from .forms import (
    AanmeldenForm,
    BeeindigenForm,
    CrisisMeldenForm,
    HervattenForm,
    TerugverwijzenForm,
    ToelichtingForm,
)
from .models import Case

# name -> (form class or None, fire(user, case, expected_phase, cleaned_data) -> Case)
Fire = Callable[[User, Case, str, dict], Case]

TRANSITIONS: dict[str, tuple[type[forms.Form] | None, Fire]] = {
    "crisis_melden": (
        CrisisMeldenForm,
        lambda user, case, phase, d: services.crisis_melden(actor=user, case=case, expected_phase=phase, **d),
    ),
    "crisis_afsluiten": (
        ToelichtingForm,
        lambda user, case, phase, d: services.crisis_afsluiten(
            actor=user, case=case, expected_phase=phase, toelichting=d["toelichting"]
        ),
    ),
    "afronding_starten": (
        None,
        lambda user, case, phase, d: services.afronding_starten(actor=user, case=case, expected_phase=phase),
    ),
    "hervatten": (
        HervattenForm,
        lambda user, case, phase, d: services.hervatten(actor=user, case=case, expected_phase=phase, reden=d["reden"]),
    ),
    "afsluiten": (
        None,
        lambda user, case, phase, d: services.afsluiten(actor=user, case=case, expected_phase=phase),
    ),
    "aanmelden": (
        AanmeldenForm,
        lambda user, case, phase, d: services.aanmelden(
            actor=user, case=case, expected_phase=phase, aanmelddatum=d.get("aanmelddatum")
        ),
    ),
    "start_hulpverlening": (
        None,
        lambda user, case, phase, d: services.start_hulpverlening(actor=user, case=case, expected_phase=phase),
    ),
    "terugverwijzen": (
        TerugverwijzenForm,
        lambda user, case, phase, d: services.terugverwijzen(
            actor=user, case=case, expected_phase=phase, toelichting=d.get("toelichting", "")
        ),
    ),
    "voortijdig_beeindigen": (
        BeeindigenForm,
        lambda user, case, phase, d: services.voortijdig_beeindigen(
            actor=user, case=case, expected_phase=phase, reden=d["reden"], toelichting=d["toelichting"]
        ),
    ),
}


def transition_form(name: str, user: User, data=None) -> forms.Form | None:
    """The input form of transition `name` for this user (None when the step takes no input)."""
    form_class, _ = TRANSITIONS[name]
    if form_class is None:
        return None
    form = form_class(data)
    if name == "aanmelden" and user.role != "aanmeldpunt":
        form.fields.pop("aanmelddatum")  # the Toegang submits today; the aanmeldpunt records when it came in
    return form


def fire(name: str, *, user: User, case: Case, expected_phase: str, data: dict) -> Case:
    """Fire transition `name` with validated input; raises what the service raises."""
    _, run = TRANSITIONS[name]
    return run(user, case, expected_phase, data)


def case_etag(case: Case) -> str:
    """Changes whenever the case row is saved: its phase and its last change (a strong ETag, quoted)."""
    stamp = f"{case.pk}|{case.phase}|{case.updated_at.isoformat()}"
    return '"' + hashlib.sha256(stamp.encode()).hexdigest()[:32] + '"'


def fire_if_unchanged(name: str, *, user: User, case: Case, if_match: str, data: dict, offered: bool) -> Case:
    """Fire transition `name` only if the case is still as the caller saw it (`if_match`: its ETag, or "*"
    for any). The case row is locked first, so a concurrent change either lands before (StaleCase, nothing
    applied) or waits. `offered`: whether the step is one of the case's current phase at all."""
    with transaction.atomic():
        stored = Case.objects.select_for_update().only("pk", "phase", "updated_at").get(pk=case.pk)
        if if_match not in ("*", case_etag(stored)):
            raise services.StaleCase(stored)
        if not offered:
            raise services.TransitionRefused([f"Deze stap is niet mogelijk in de {case.get_phase_display().lower()}."])
        return fire(name, user=user, case=case, expected_phase=stored.phase, data=data)
