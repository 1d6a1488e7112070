from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from common.pages import apply_errors, form_page
from common.refusals import Refused

from . import guards, letters, selectors, services
from .forms import (
    AanmeldgesprekGehoudenForm,
    AdviesForm,
    CaseFilterForm,
    DocumentForm,
    IpvaForm,
    JeugdigeFormSet,
    PhoneConsultationForm,
    PlanAanmeldgesprekForm,
    RegistrationForm,
    SegmentCheckForm,
    ZorgGestartForm,
)
from .guards import related
from .models import Leefgebied, Phase
from .segment_check import segment_advice
from .transitions import TRANSITIONS, fire, transition_form


@login_required
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    filters = selectors.CaseFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.CaseFilters(
            q=d["q"],
            fase=d["fase"],
            gemeente=d["gemeente"].pk if d["gemeente"] else None,
            partner=d["partner"].pk if d["partner"] else None,
            route=d["route"],
            urgent=d["urgent"],
        )
    page = selectors.case_list_page(request.user, filters, request.GET.get("pagina"), where="Casussen")
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    context["closed_cases"] = selectors.closed_case_ids(request.user, page.object_list)  # a manager's [DOMAIN 9]
    return render(request, "referrals/case_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    if not request.user.role or not request.user.has_perm("referrals.register_case"):
        raise PermissionDenied
    return registration_page(request)


def registration_page(request, *, family=None):
    """The registration of youths: of a new family, or (`family`, from selectors.family) of one that grows."""
    gezin = family.gezin if family is not None else None
    form = RegistrationForm(request.POST or None, user=request.user, gezin=gezin)
    formset = JeugdigeFormSet(request.POST or None, prefix="jeugdige")
    context = {"form": form, "formset": formset, "family": family}
    if request.method == "POST" and "jeugdige_toevoegen" in request.POST:
        # Re-render with one more youth, keeping everything typed so far.
        data = request.POST.copy()
        try:
            total = int(data.get("jeugdige-TOTAL_FORMS", "1") or 1)
        except ValueError:
            total = 1
        data["jeugdige-TOTAL_FORMS"] = str(max(1, min(total + 1, 8)))
        form = RegistrationForm(data, user=request.user, gezin=gezin)
        formset = JeugdigeFormSet(data, prefix="jeugdige")
        context.update(form=form, formset=formset, adding=True, suppress_errors=True)
        return render(request, "referrals/case_new.html", context)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        d = form.cleaned_data
        try:
            cases = services.register_case(
                actor=request.user,
                gezin_naam=d.get("gezin_naam", ""),
                jeugdigen=[f.as_input() for f in formset.forms if f.cleaned_data],
                gemeente=d["gemeente"],
                route=d["route"],
                verwijzer_type=d["verwijzer_type"],
                verwijzer_naam=d["verwijzer_naam"],
                verwijzer_organisatie=d["verwijzer_organisatie"],
                verwijzer_code=d["verwijzer_code"],
                urgent=d["urgent"],
                urgentie_motivatie=d["urgentie_motivatie"],
                hulpvraag=d["hulpvraag"],
                gezin=gezin,
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            if gezin is not None:
                added = len(formset.forms)
                what = "De jeugdige is" if added == 1 else f"{added} jeugdigen zijn"
                cases_text = f" ({len(cases)} nieuwe casus{'sen' if len(cases) != 1 else ''})" if cases else ""
                messages.success(request, f"{what} toegevoegd aan het gezin{cases_text}.")
                return redirect("referrals:gezin", gezin_id=gezin.public_id)
            if len(cases) == 1:
                messages.success(
                    request, "De casus is geregistreerd. Vul het IPVA en het telefonisch overleg aan en meld dan aan."
                )
            else:
                messages.success(request, f"{len(cases)} casussen geregistreerd voor dit gezin.")
            return redirect("referrals:case_detail", public_id=cases[0].public_id)
    return render(request, "referrals/case_new.html", context)


@login_required
@require_POST
def segment_check(request):
    """HTMX fragment: the segment advice for one youth's hours and products."""
    prefix = request.POST.get("prefix", "")
    data = {
        "uren_begeleiding": request.POST.get(f"{prefix}-uren_begeleiding", ""),
        "uren_behandeling": request.POST.get(f"{prefix}-uren_behandeling", ""),
        "producten": request.POST.getlist(f"{prefix}-producten"),
        "ontwikkelperspectief": request.POST.get(f"{prefix}-ontwikkelperspectief", ""),
    }
    form = SegmentCheckForm(data)
    advice = None
    if form.is_valid():
        advice = segment_advice(
            hours_begeleiding=form.cleaned_data["uren_begeleiding"],
            hours_behandeling=form.cleaned_data["uren_behandeling"],
            products=form.cleaned_data["producten"],
            development_perspective=form.cleaned_data["ontwikkelperspectief"],
        )
    return render(request, "referrals/_segment_advice.html", {"advice": advice})


@login_required
def case_detail(request, public_id):
    case = selectors.case_detail(request.user, public_id)
    user = request.user
    can = guards.case_page_permissions(case, user)
    return render(
        request,
        "referrals/case_detail.html",
        {
            "case": case,
            "options": selectors.transition_options(case, user),
            "can": can,
            "leefgebieden": Leefgebied.choices,
            "letter_options": letters.letter_options(case, user),
            "letters_due": [(d, letters.may_record_sent(d.letter, case, user)) for d in letters.letters_due(case)],
        },
    )


def _action(
    request,
    public_id,
    *,
    form_class,
    title,
    intro,
    run,
    initial=None,
    multipart=False,
    allowed=None,
    permissions=(),
    not_on_case=None,
):
    """Shared shape of the small case forms: show, validate, call one service, back to the case.
    `permissions`: the role needs one of these (else 403, before the case is looked up); `not_on_case(case)`
    is the Dutch reason the step does not exist on this case (its route), said back on the case page;
    `allowed(case)` says whether this user may use the form on this case at all (else 403)."""
    if permissions and not any(request.user.has_perm(p) for p in permissions):
        raise PermissionDenied
    case = selectors.case_detail(request.user, public_id, shown="casus", description=title)
    reason = not_on_case(case) if not_on_case is not None else ""
    if reason:
        messages.error(request, reason)
        return redirect("referrals:case_detail", public_id=case.public_id)
    if allowed is not None and not allowed(case):
        raise PermissionDenied
    initial = initial(case) if callable(initial) else initial
    if callable(form_class) and not isinstance(form_class, type):
        form_class = form_class(case)  # a factory that binds the form to the case (e.g. its candidates)
    form = form_class(request.POST or None, request.FILES or None, initial=initial or {})
    return form_page(
        request,
        form,
        lambda d: run(case, d),
        template="referrals/case_action.html",
        context={"case": case, "title": title, "intro": intro, "multipart": multipart},
        success=f"{title}: opgeslagen.",
        back=reverse("referrals:case_detail", args=[case.public_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ipva(request, public_id):
    if not request.user.has_perm("referrals.edit_ipva"):
        raise PermissionDenied

    def initial(case):
        existing = related(case, "ipva")
        return {v: getattr(existing, v) for v in Leefgebied.values} if existing else {}

    return _action(
        request,
        public_id,
        form_class=IpvaForm,
        title="IPVA",
        initial=initial,
        intro="De analyse van het integraal plan van aanpak op de vijf leefgebieden.",
        run=lambda case, d: services.save_ipva(actor=request.user, case=case, texts=d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def phone_consultation(request, public_id):
    if not request.user.has_perm("referrals.record_phone_consultation"):
        raise PermissionDenied
    return _action(
        request,
        public_id,
        form_class=PhoneConsultationForm,
        title="Telefonisch overleg",
        intro="Voor de aanmelding bespreekt u de casus telefonisch met het aanmeldpunt van Crossroads.",
        run=lambda case, d: services.record_phone_consultation(actor=request.user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request, public_id):
    if not request.user.has_perm("referrals.upload_document"):
        raise PermissionDenied
    return _action(
        request,
        public_id,
        form_class=lambda case: partial(DocumentForm, kinds=guards.document_kinds_allowed(case, request.user)),
        allowed=lambda case: guards.may_upload_document(case, request.user),
        title="Document toevoegen",
        multipart=True,
        intro="Een nieuw document van dezelfde soort wordt bewaard als nieuwe versie; eerdere versies blijven bestaan.",
        run=lambda case, d: services.store_document(
            actor=request.user, case=case, kind=d["kind"], title=d["title"], uploaded_file=d["bestand"]
        ),
    )


@login_required
def document_download(request, public_id, document_id):
    document = selectors.read_document(request.user, public_id, document_id, action="downloaden")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("Het bestand is niet gevonden.") from None
    return FileResponse(handle, as_attachment=True, filename=document.original_name, content_type=document.content_type)


@login_required
@require_http_methods(["GET", "POST"])
def plan_aanmeldgesprek(request, public_id):
    if not request.user.has_perm("referrals.plan_aanmeldgesprek"):
        raise PermissionDenied
    return _action(
        request,
        public_id,
        form_class=PlanAanmeldgesprekForm,
        title="Aanmeldgesprek plannen",
        intro="Binnen twee weken na aanmelding. Nodig zowel de jeugdige (en ouders) als de verwijzer uit.",
        initial={"jeugdige_uitgenodigd": True, "verwijzer_uitgenodigd": True},
        run=lambda case, d: services.plan_aanmeldgesprek(actor=request.user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def aanmeldgesprek_gehouden(request, public_id):
    if not request.user.has_perm("referrals.record_aanmeldgesprek"):
        raise PermissionDenied
    return _action(
        request,
        public_id,
        form_class=AanmeldgesprekGehoudenForm,
        title="Aanmeldgesprek gehouden",
        intro="Leg vast dat het aanmeldgesprek is gehouden en wie er waren.",
        run=lambda case, d: services.record_aanmeldgesprek_gehouden(actor=request.user, case=case, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def advies(request, public_id):
    if not request.user.has_perm("referrals.record_aanmeldtafel_advies"):
        raise PermissionDenied
    return _action(
        request,
        public_id,
        form_class=AdviesForm,
        title="Advies aanmeldtafel",
        intro="Na het aanmeldgesprek adviseert de aanmeldtafel over drie vragen.",
        run=lambda case, d: services.record_aanmeldtafel_advies(
            actor=request.user,
            case=case,
            datum=d["datum"],
            segment1_nodig=d["segment1_nodig"],
            regie_partner=d["regie_partner"],
            hulpvorm=d["hulpvorm"],
            geadviseerd_segment=d["geadviseerd_segment"],
            toelichting=d["toelichting"],
            verwijzer_geraadpleegd_op=d["verwijzer_geraadpleegd_op"],
            te_behalen_resultaten=d["te_behalen_resultaten"],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def zorg_gestart(request, public_id):
    if not request.user.has_perm("referrals.record_zorg_gestart"):
        raise PermissionDenied
    return _action(
        request,
        public_id,
        form_class=ZorgGestartForm,
        title="Start jeugdhulp",
        intro="Leg vast op welke dag de jeugdhulp daadwerkelijk begon. Binnen 6 weken na aanmelding is de afspraak.",
        run=lambda case, d: services.record_zorg_gestart(actor=request.user, case=case, **d),
    )


def phase_sentence(case) -> str:
    if case.phase in (Phase.AFGESLOTEN, Phase.TERUGVERWEZEN):
        return f"De casus is nu {case.get_phase_display().lower()}."
    if case.phase == Phase.CRISIS:
        return "De casus is nu in crisis."
    return f"De casus is nu in de {case.get_phase_display().lower()}."


@login_required
@require_http_methods(["GET", "POST"])
def transition(request, public_id, name):
    if name not in TRANSITIONS:
        raise Http404
    case = selectors.case_detail(request.user, public_id)
    option = next((o for o in selectors.transition_options(case, request.user) if o.name == name), None)
    form = transition_form(name, request.user, request.POST or None)
    back = reverse("referrals:case_detail", args=[case.public_id])

    def run(data):
        expected_phase = request.POST.get("expected_phase", "")
        return fire(name, user=request.user, case=case, expected_phase=expected_phase, data=data)

    def success(_):
        return f"{option.label if option else name}: uitgevoerd. {phase_sentence(case)}"

    if request.method == "POST" and form is None:  # a step without input: nothing to show again
        try:
            run({})
        except (ValidationError, Refused) as e:
            messages.error(request, e.message if isinstance(e, Refused) else " ".join(e.messages))
        else:
            messages.success(request, success(None))
        return redirect(back)
    if option is None and request.method != "POST":
        messages.error(request, f"Deze stap is niet mogelijk in de {case.get_phase_display().lower()}.")
        return redirect(back)
    context = {"case": case, "option": option, "action": reverse("referrals:transition", args=[case.public_id, name])}
    if form is None:
        return render(request, "referrals/transition.html", {"form": None, **context})
    return form_page(
        request, form, run, template="referrals/transition.html", context=context, success=success, back=back
    )
