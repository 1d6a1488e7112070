"""Pages of coordination, consent, sharing and escalation: parse the form, call one service, back to the case's
coordination page. Which cases a user may open is decided by referrals.selectors.case_detail (404 otherwise)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from common.pages import form_page
from referrals import selectors as case_selectors
from referrals.services import StaleCase

from . import guards, selectors, services
from .forms import (
    LEVEL_FORMS,
    CommitmentForm,
    ConsentForm,
    CoordinationRequestForm,
    EscalationForm,
    TalkForm,
    ToewijzenForm,
    WithdrawForm,
)
from .models import ConsentSubject, Level


def _case(request, public_id):
    return case_selectors.case_detail(request.user, public_id, shown="coördinatie")


def _require(allowed: bool, reason: str) -> None:
    """A form for a step the user may not take is not shown at all (403 with the Dutch reason)."""
    if not allowed:
        raise PermissionDenied(reason)


def _back(case):
    return redirect("coordination:case", public_id=case.public_id)


def _run(request, case, form, run, *, success: str, context: dict):
    """The coordination forms: one service each, back to the coordination page; a service may return the
    warnings the page shows beside its success."""
    return form_page(
        request,
        form,
        run,
        template="coordination/form.html",
        context={"case": case, **context},
        success=success,
        back=reverse("coordination:case", args=[case.public_id]),
        warnings=lambda result: result if isinstance(result, list) else [],
    )


@login_required
def case_coordination(request, public_id):
    case = _case(request, public_id)
    return render(request, "coordination/case_page.html", {"case": case})


@login_required
@require_http_methods(["GET", "POST"])
def request_coordination(request, public_id):
    case = _case(request, public_id)
    if request.user.role not in ("aanmeldpunt", "regievoerder"):
        raise PermissionDenied("Alleen het aanmeldpunt of de regievoerder vraagt coördinatie aan.")
    form = CoordinationRequestForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda d: services.request_coordination(actor=request.user, case=case, **d),
        template="coordination/form.html",
        context={
            "case": case,
            "title": "Coördinatie aanvragen bij de Toegang",
            "intro": "Bij een verwijzing uit het medisch domein of een overgangscliënt vraagt Crossroads de "
            "Toegang om te coördineren. Daarvoor is eerst toestemming nodig: onder de 12 van de ouders, "
            "van 12 tot 16 van ouders én jeugdige, vanaf 16 van de jeugdige.",
            "submit": "Coördinatie aanvragen",
            "cancel": reverse("referrals:case_detail", args=[case.public_id]),
        },
        success="Coördinatie is aangevraagd bij de Toegang.",
        back=reverse("referrals:case_detail", args=[case.public_id]),
    )


LEVEL_INTRO = {
    "vaststellen_licht": "De Toegang stelt het niveau vast samen met de gedragswetenschapper en Crossroads, en legt "
    "het vast in het IPVA. Licht: op afstand volgen, betrokken bij grote wijzigingen, altijd bij de eindevaluatie.",
    "vaststellen_zwaar": "De Toegang stelt het niveau vast samen met de gedragswetenschapper en Crossroads, en legt "
    "het vast in het IPVA. Zwaar: het IPVA nauw volgen, aanspreekpunt van het gezin zijn, grenzen stellen.",
    "opschalen": "Opschalen is een gezamenlijk besluit van coördinator, gedragswetenschapper en regievoerder, "
    "met ten minste één reden.",
    "afschalen": "Afschalen is een gezamenlijk besluit van coördinator, gedragswetenschapper en regievoerder, "
    "met ten minste één indicator. Korter dan 6 maanden structureel veilig mag, maar wordt gemeld.",
    "afsluiten": "De coördinatie sluit af na de eindevaluatie waarbij de coördinator aanwezig was. "
    "Coördinatie zwaar pas na 6 maanden aaneengesloten structurele veiligheid.",
}


@login_required
@require_http_methods(["GET", "POST"])
def level_transition(request, public_id, name):
    if name not in LEVEL_FORMS:
        raise Http404
    case = _case(request, public_id)
    panel = selectors.coordination_panel(case, request.user)
    option = next((o for o in panel.options if o.name == name), None)
    if option is None:
        messages.error(request, f"Deze stap is niet mogelijk bij {panel.coordination.get_level_display().lower()}.")
        return _back(case)
    if not option.permitted:
        raise PermissionDenied(option.reasons[0])
    level = panel.coordination.level
    kwargs = {"level": level} if name == "afsluiten" else {}
    form = LEVEL_FORMS[name](request.POST or None, **kwargs)
    expected = request.POST.get("expected_level", "") if request.method == "POST" else level

    def run(d):
        decision = services.JointDecision(
            decided_on=d.get("decided_on"),
            met_coordinator=d.get("met_coordinator", False),
            met_gedragswetenschapper=d.get("met_gedragswetenschapper", False),
            met_regievoerder=d.get("met_regievoerder", False),
            met_crossroads=d.get("met_crossroads", False),
            redenen=d.get("redenen", []),
            indicatoren=d.get("indicatoren", []),
            veilig_sinds=d.get("veilig_sinds"),
            toelichting=d.get("toelichting", ""),
        )
        common = {"actor": request.user, "case": case, "expected_level": expected, "decision": decision}
        if name.startswith("vaststellen_"):
            services.vaststellen(level=name.removeprefix("vaststellen_"), **common)
        elif name == "opschalen":
            services.opschalen(**common)
        elif name == "afschalen":
            return services.afschalen(**common)[1]
        else:
            services.afsluiten(**common)
        return []

    return _run(
        request,
        case,
        form,
        run,
        success=f"{option.label}: vastgelegd.",
        context={
            "title": option.label,
            "intro": LEVEL_INTRO[name],
            "blocked": [] if option.allowed else option.reasons,
            "expected_level": level,
            "submit": option.label,
            "level_label": Level(level).label,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assign_coordinator(request, public_id):
    case = _case(request, public_id)
    _require(guards.may_toewijzen(case, request.user), guards.may_toewijzen.reason)
    form = ToewijzenForm(request.POST or None, case=case)
    return _run(
        request,
        case,
        form,
        lambda d: services.assign_coordinator(
            actor=request.user, case=case, coordinator=d["coordinator"], reason=d["reason"]
        ),
        success="De coördinator is toegewezen.",
        context={
            "title": "Coördinator toewijzen",
            "intro": "Er is per casus één coördinator: een medewerker van de Toegang van de gemeente van de "
            "jeugdige. De vorige coördinator blijft zichtbaar in de geschiedenis.",
            "submit": "Toewijzen",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_new(request, public_id):
    case = _case(request, public_id)
    _require(guards.may_record_consent(case, request.user), guards.may_record_consent.reason)
    initial = {"subject": request.GET.get("voor")} if request.GET.get("voor") in ConsentSubject.values else {}
    form = ConsentForm(request.POST or None, initial=initial)
    return _run(
        request,
        case,
        form,
        lambda d: services.record_consent(actor=request.user, case=case, **d),
        success="De toestemming is vastgelegd.",
        context={
            "title": "Toestemming vastleggen",
            "intro": "Wie toestemming geeft, hangt af van de leeftijd van de jeugdige op de dag van de toestemming: "
            "onder de 12 de ouders (wettelijk vertegenwoordigers), van 12 tot 16 ouders én jeugdige, vanaf 16 de "
            "jeugdige zelf.",
            "submit": "Toestemming vastleggen",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request, public_id, consent_id):
    case = _case(request, public_id)
    _require(guards.may_record_consent(case, request.user), guards.may_record_consent.reason)
    consent = case.consents.filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    form = WithdrawForm(request.POST or None)
    return _run(
        request,
        case,
        form,
        lambda d: services.withdraw_consent(
            actor=request.user, case=case, consent_id=consent_id, withdrawn_on=d["withdrawn_on"], reden=d["reden"]
        ),
        success="De toestemming is ingetrokken.",
        context={
            "title": "Toestemming intrekken",
            "intro": f"{consent.get_subject_display()}, gegeven door {consent.get_given_by_display().lower()}. "
            "Na intrekking wordt hiervoor niets meer gedeeld.",
            "submit": "Intrekken",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def share(request, public_id, subject):
    if subject not in ("ipva_delen", "wat_advies_delen"):
        raise Http404
    case = _case(request, public_id)
    _require(
        guards.may_share(case, request.user, subject),
        "Alleen de Toegang deelt het IPVA; alleen Crossroads deelt de WAT-brief en het adviesverslag.",
    )
    if request.method == "POST":
        try:
            services.share_documents(actor=request.user, case=case, subject=subject)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        except StaleCase as e:
            messages.error(request, e.message)
        else:
            messages.success(request, f"{ConsentSubject(subject).label}: gedeeld.")
        return _back(case)
    return render(
        request,
        "coordination/form.html",
        {
            "case": case,
            "form": None,
            "title": ConsentSubject(subject).label,
            "intro": "Er wordt alleen gedeeld met toestemming. Het delen komt op de tijdlijn van de casus.",
            "submit": "Delen",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_new(request, public_id):
    case = _case(request, public_id)
    _require(guards.may_escalate(case, request.user), guards.may_escalate.reason)
    form = EscalationForm(request.POST or None)
    return _run(
        request,
        case,
        form,
        lambda d: services.open_escalation(actor=request.user, case=case, **d),
        success="De escalatie is geopend. Het gesprek in de hiërarchische lijn volgt binnen 2 weken.",
        context={
            "title": "Escaleren",
            "intro": "Zijn coördinator en regievoerder het niet eens (urgentie, geadviseerde zorg, afspraken), dan "
            "escaleert ieder binnen de eigen organisatie. Procesescalatie: gesprek tussen de hiërarchische lijnen "
            "binnen 2 weken, commitment binnen 5 werkdagen daarna. Inhoudelijk niet eens over de zorg: het "
            "Regionaal Expertise Team (RET).",
            "submit": "Escalatie openen",
        },
    )


def _escalation(case, escalation_id):
    escalation = case.escalations.filter(pk=escalation_id).first()
    if escalation is None:
        raise Http404
    return escalation


@login_required
@require_http_methods(["GET", "POST"])
def escalation_talk(request, public_id, escalation_id):
    case = _case(request, public_id)
    _require(guards.may_escalate(case, request.user), guards.may_escalate.reason)
    escalation = _escalation(case, escalation_id)
    form = TalkForm(request.POST or None)
    return _run(
        request,
        case,
        form,
        lambda d: services.record_escalation_talk(actor=request.user, case=case, escalation_id=escalation.pk, **d),
        success="Het gesprek is vastgelegd. Het commitment volgt binnen 5 werkdagen.",
        context={
            "title": "Gesprek in de hiërarchische lijn vastleggen",
            "intro": f"{escalation.get_kind_display()} over {escalation.get_topic_display().lower()}: "
            f"{escalation.description}",
            "submit": "Gesprek vastleggen",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_commitment(request, public_id, escalation_id):
    case = _case(request, public_id)
    _require(guards.may_escalate(case, request.user), guards.may_escalate.reason)
    escalation = _escalation(case, escalation_id)
    form = CommitmentForm(request.POST or None)
    return _run(
        request,
        case,
        form,
        lambda d: services.record_escalation_commitment(
            actor=request.user, case=case, escalation_id=escalation.pk, **d
        ),
        success="Het commitment en de nieuwe afspraken zijn vastgelegd.",
        context={
            "title": "Commitment en nieuwe afspraken vastleggen",
            "intro": f"{escalation.get_kind_display()} over {escalation.get_topic_display().lower()}: "
            f"{escalation.description}",
            "submit": "Commitment vastleggen",
        },
    )
