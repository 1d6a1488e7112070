"""Pages of the hulpverlenende and afrondende fase: plan, evaluations, signals, crisis plan, afronding,
the people on the case, and the family page. Each is one form calling one service (see views._action)."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from . import guards, selectors, services
from .forms import (
    BehandelplanForm,
    BeschikkingForm,
    EinddatumForm,
    EindevaluatieForm,
    EvaluatieForm,
    GiBepalingForm,
    LichteHulpGestoptForm,
    PerspectiefplanCrisisForm,
    PerspectiefplanForm,
    RegievoerderForm,
    SignaalForm,
    SignaalOppakkenForm,
    SubstitutionForm,
    ToelichtingForm,
    VervolgForm,
)
from .guards import related
from .models import CaseDocument, CaseRole, Phase
from .views import _action


def _regievoerder(user):
    return lambda case: guards.may_record_as_regievoerder(case, user)


def _coordinator(user):
    return lambda case: guards.is_coordinator(case, user)


@login_required
@require_http_methods(["GET", "POST"])
def behandelplan(request, public_id):
    def initial(case):
        latest = case.behandelplannen.all()[:1]
        if not latest:
            return {}
        plan = latest[0]
        return {"doelen": plan.doelen, "resultaten": plan.resultaten, "afspraken": plan.afspraken}

    return _action(
        request,
        public_id,
        permissions=("referrals.record_care",),
        form_class=BehandelplanForm,
        title="Behandelplan",
        intro="Elke wijziging wordt een nieuwe versie; eerdere versies blijven zichtbaar met wie ze wanneer vastlegde.",
        initial=initial,
        allowed=lambda case: guards.may_record_care(case, request.user),
        run=lambda case, d: services.record_behandelplan(actor=request.user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluatie(request, public_id):
    return _action(
        request,
        public_id,
        permissions=("referrals.record_care",),
        form_class=EvaluatieForm,
        title="Tussentijdse evaluatie",
        intro="Leg de evaluatie van het behandelplan vast: wanneer, met wie en wat eruit kwam.",
        allowed=lambda case: guards.may_record_care(case, request.user),
        run=lambda case, d: services.record_evaluatie(actor=request.user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def signaal(request, public_id):
    return _action(
        request,
        public_id,
        permissions=("referrals.record_care",),
        form_class=SignaalForm,
        title="Signaal aan de coördinator",
        intro="Wat heeft het gezin nodig buiten de jeugdhulp (Wmo, wonen, schulden, school, werk)? "
        "De coördinator van de Toegang pakt het op.",
        allowed=lambda case: guards.may_record_care(case, request.user),
        run=lambda case, d: services.record_signaal(actor=request.user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def signaal_oppakken(request, public_id, signaal_id):
    return _action(
        request,
        public_id,
        permissions=("referrals.crisis_afsluiten",),
        form_class=SignaalOppakkenForm,
        title="Signaal oppakken",
        intro="Beschrijf wat u als coördinator met dit signaal doet; de regievoerder ziet uw reactie.",
        allowed=lambda case: (
            _coordinator(request.user)(case)
            and any(s.pk == signaal_id and s.opgepakt_op is None for s in case.signalen.all())
        ),
        run=lambda case, d: services.pick_up_signaal(
            actor=request.user, case=case, signaal_id=signaal_id, reactie=d["reactie"]
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def perspectiefplan_crisis(request, public_id):
    def initial(case):
        crisis = guards.open_crisis(case)
        return {"plan": crisis.plan} if crisis else {}

    return _action(
        request,
        public_id,
        # The coördinator; on a case without one the regievoerder or the aanmeldpunt (guards.may_lead_crisis).
        permissions=("referrals.crisis_afsluiten", "referrals.crisis_melden"),
        form_class=lambda case: partial(
            PerspectiefplanCrisisForm, by_regievoerder=guards.is_regievoerder(case, request.user)
        ),
        title="Perspectiefplan Crisis",
        intro="Het plan maakt u samen met het CIT, de jeugdige, de crisisaanbieder en de regievoerder. "
        "Daarna kunt u de crisis afsluiten.",
        initial=initial,
        allowed=lambda case: guards.may_record_perspectiefplan_crisis(case, request.user),
        run=lambda case, d: services.record_perspectiefplan_crisis(actor=request.user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def resultaten_bereikt(request, public_id):
    user = request.user
    return _action(
        request,
        public_id,
        permissions=("referrals.record_care", "referrals.crisis_afsluiten"),
        form_class=ToelichtingForm,
        title="Resultaten bereikt",
        intro="Regievoerder en coördinator leggen elk vast dat de resultaten van het plan zijn bereikt. "
        "Daarna kan de regievoerder de afronding starten.",
        allowed=lambda case: (
            case.phase == Phase.HULPVERLENEND and (_regievoerder(user)(case) or _coordinator(user)(case))
        ),
        run=lambda case, d: services.record_resultaten_bereikt(actor=user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def eindevaluatie(request, public_id):
    def initial(case):
        existing = related(case, "eindevaluatie")
        if existing is None:
            return {}
        fields = ("datum", "jeugdige_aanwezig", "verwijzer_aanwezig", "coordinator_aanwezig", "verslag")
        return {f: getattr(existing, f) for f in fields}

    return _action(
        request,
        public_id,
        permissions=("referrals.record_care",),
        form_class=lambda case: partial(EindevaluatieForm, has_coordinator=case.coordinator_id is not None),
        title="Eindevaluatie",
        intro="De eindevaluatie houdt u met de jeugdige en de verwijzer, en met de coördinator als de casus er een "
        "heeft. Leg haar vast als zij gehouden is.",
        initial=initial,
        allowed=lambda case: guards.may_record_afronding(case, request.user),
        run=lambda case, d: services.record_eindevaluatie(actor=request.user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def vervolg(request, public_id):
    return _action(
        request,
        public_id,
        permissions=("referrals.record_care",),
        form_class=VervolgForm,
        title="Vervolg na segment 1",
        intro="Gaat de zorg door in een ander segment, dan is een FOA nodig, of het gezamenlijke besluit dat er "
        "geen FOA nodig is. Lichte hulp mag na afsluiting ten hoogste 3 maanden doorlopen.",
        allowed=lambda case: guards.may_record_afronding(case, request.user),
        run=lambda case, d: services.record_vervolg(actor=request.user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def lichte_hulp_gestopt(request, public_id):
    return _action(
        request,
        public_id,
        permissions=("referrals.record_care",),
        form_class=LichteHulpGestoptForm,
        title="Lichte hulp na afsluiting gestopt",
        intro="Lichte hulp die tijdens segment 1 is ingezet, loopt na de afsluiting ten hoogste 3 maanden door. "
        "Is er langer hulp uit een ander segment nodig, dan staat die in de FOA (voeg de FOA eerst toe bij de "
        "documenten).",
        initial=lambda case: {"gestopt_op": timezone.localdate()},
        allowed=lambda case: guards.may_record_lichte_hulp(case, request.user),
        run=lambda case, d: services.record_lichte_hulp_gestopt(actor=request.user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def einddatum(request, public_id):
    user = request.user
    return _action(
        request,
        public_id,
        permissions=("referrals.record_care", "referrals.crisis_afsluiten"),
        form_class=lambda case: partial(EinddatumForm, has_coordinator=case.coordinator_id is not None),
        title="Einddatum",
        intro="De regievoerder spreekt de einddatum af met de coördinator, als de casus er een heeft.",
        initial=lambda case: {"einddatum": case.einddatum} if case.einddatum else {},
        allowed=lambda case: guards.may_record_einddatum(case, user),
        run=lambda case, d: services.record_einddatum(actor=user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def vervanging(request, public_id):
    user = request.user

    def may(case):
        return (
            case.is_open
            and (
                guards.is_coordinator(case, user)
                or guards.is_regievoerder(case, user)
                or user.role in ("aanmeldpunt", "toegang_medewerker")
            )
            and user.has_perm("referrals.record_substitution")
        )

    return _action(
        request,
        public_id,
        permissions=("referrals.record_substitution",),
        form_class=lambda case: partial(SubstitutionForm, candidates=selectors.substitute_candidates(case)),
        title="Vervanging bij afwezigheid",
        intro="Is de coördinator of de regievoerder afwezig, dan is de vervanger in die periode het "
        "aanspreekpunt. Informeer eerst het gezin en de andere partij.",
        initial={"role": CaseRole.REGIEVOERDER if user.role == "regievoerder" else CaseRole.COORDINATOR},
        allowed=may,
        run=lambda case, d: services.record_substitution(actor=user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def regievoerder(request, public_id):
    user = request.user
    return _action(
        request,
        public_id,
        permissions=("referrals.assign_regievoerder",),
        form_class=lambda case: partial(RegievoerderForm, candidates=selectors.regievoerder_candidates(case)),
        title="Regievoerder",
        intro="Wie van de regievoerende organisatie houdt de regie over de jeugdhulp van deze jeugdige?",
        initial={"regievoerder": user.pk} if user.role == "regievoerder" else None,
        allowed=lambda case: guards.may_assign_regievoerder(case, user),
        run=lambda case, d: services.assign_regievoerder(actor=user, case=case, regievoerder=d["regievoerder"]),
    )


@login_required
def gezin(request, gezin_id):
    """All youths of a family, their segments and phases, and the one coördinator."""
    family = selectors.family(request.user, gezin_id)
    return render(request, "referrals/gezin.html", {"family": family})


@login_required
@require_http_methods(["GET", "POST"])
def beschikking(request, public_id):
    user = request.user
    return _action(
        request,
        public_id,
        permissions=("referrals.record_beschikking",),
        form_class=BeschikkingForm,
        title="Beschikking",
        intro="Crossroads besluit over de zorg en stuurt de beschikking naar het gezin. Segment 1 wordt "
        "afgegeven zonder einddatum; voor Jeugdzorgplus wordt geen beschikking afgegeven.",
        initial=lambda case: {
            "resultaat": "Toegekend: hoog specialistische jeugdhulp (segment 1)",
            "ingangsdatum": case.zorg_gestart_op or case.aanmelddatum,
        },
        not_on_case=guards.no_beschikking_reason,
        allowed=lambda case: guards.may_record_beschikking(case, user),
        run=lambda case, d: services.record_beschikking(actor=user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def gi_bepaling(request, public_id):
    user = request.user

    def form_class(case):
        shown = CaseDocument.objects.filter(pk__in=[d.pk for d in case.documents.all()])
        return partial(GiBepalingForm, documents=shown)

    return _action(
        request,
        public_id,
        permissions=("referrals.record_gi_bepaling",),
        form_class=form_class,
        title="GI-bepaling",
        intro="De gecertificeerde instelling stuurt haar bepaling jeugdhulp naar aanbieder en gemeente. Leg vast "
        "welke jeugdhulp zij bepaalde, onder welke maatregel en voor welke periode.",
        initial={"bepaald_op": timezone.localdate()},
        allowed=lambda case: guards.may_record_gi_bepaling(case, user),
        run=lambda case, d: services.record_gi_bepaling(actor=user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def perspectiefplan(request, public_id):
    def initial(case):
        plan = related(case, "perspectiefplan")
        if plan is None:
            return {}
        return {f"{d}__{a}": text for d, aspects in plan.domeinen.items() for a, text in aspects.items()}

    return _action(
        request,
        public_id,
        permissions=("referrals.record_care",),
        form_class=PerspectiefplanForm,
        title="Perspectiefplan 18-/18+",
        intro="Voor jongeren die vóór hun 16e in zorg kwamen: gestart op 16 jaar, gereed op 17,5 jaar. Beschrijf "
        "per leefdomein de stand van zaken, de resultaten die nog te bereiken zijn, de betrokken partijen en het "
        "wettelijk kader. Stem het plan af met de coördinator.",
        initial=initial,
        allowed=lambda case: guards.may_save_perspectiefplan(case, request.user),
        run=lambda case, d: services.save_perspectiefplan(
            actor=request.user, case=case, texts=d, gereed=d.get("gereed", False)
        ),
    )
