from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from common.pages import apply_errors, form_page
from printing.render import render_pdf
from referrals.dates import nl_date
from referrals.models import Case
from referrals.selectors import visible_case

from . import guards, selectors, services
from .builders import MANUAL_ROUTE, MANUAL_ROUTE_TEXT, ManualRouteRequired, MessageRefused
from .forms import (
    AcceptForm,
    BeeindigingForm,
    BepalingToewijzingForm,
    ImportForm,
    Jw315Form,
    Jw317AcceptForm,
    Jw317Form,
    LopendeToewijzingForm,
    ManualForm,
    RefuseForm,
    StartForm,
    StopForm,
    TrafficFilterForm,
)
from .models import MessageState
from .parsing import parse_jw315, parse_xml
from .readable import describe, describe_bytes


def _case(request, public_id) -> Case:
    return visible_case(request.user, public_id, shown="berichten", description="berichten (iJw)")


def _require(request, perm: str) -> None:
    if not request.user.role or not request.user.has_perm(perm):
        raise PermissionDenied


def _manual_text(case: Case) -> str:
    why = MANUAL_ROUTE.get(case.jeugdige.bsn_status, "")
    return MANUAL_ROUTE_TEXT.format(why=why)


# --- Per case ------------------------------------------------------------------------------------------------


@login_required
def case_messages(request, public_id):
    _require(request, "messaging.view_traffic")
    case = _case(request, public_id)
    manual = guards.manual_route(case)
    traffic = selectors.case_traffic(case)
    return render(
        request,
        "messaging/case_messages.html",
        {
            "case": case,
            "traffic": traffic,
            "manual": manual,
            "manual_text": _manual_text(case) if manual else "",
            "can": {
                **guards.message_permissions(request.user, case, traffic),
                "jw317": not services.wijziging_refusal(request.user, case),
            },
            "no_jw315": guards.jw315_refusal(case),
            "lopend": selectors.lopende_toewijzingen(case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def jw315_new(request, public_id):
    _require(request, "messaging.send_request")
    case = _case(request, public_id)
    if guards.manual_route(case):
        return redirect("messaging:manual", public_id=case.public_id)
    if reason := guards.jw315_refusal(case):
        messages.error(request, reason)
        return redirect("messaging:case_messages", public_id=case.public_id)
    return _jw315_page(request, case, Jw315Form(request.POST or None, case=case))


def _request_input(d: dict) -> services.RequestInput:
    return services.RequestInput(
        categorie=d["categorie"],
        product_code=d["product_code"],
        volume=d["volume"],
        eenheid=d["eenheid"],
        frequentie=d["frequentie"],
        ingangsdatum=d["ingangsdatum"],
        einddatum=d["einddatum"],
        aanbieder=d["aanbieder"],
        verwijzer_soort=d["verwijzer_soort"],
    )


def _mark_fields(form, field_notes: dict[str, list[str]]) -> None:
    """Put what a refused message's retourcodes say about a field at that field (field.html shows it)."""
    for name, notes in field_notes.items():
        if name in form.fields:
            field = form.fields[name]
            field.correction = notes
            described = f"id_{name}_correction" + (f" id_{name}_helptext" if field.help_text else "")
            field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": described})


def _jw315_page(request, case, form, correction: services.Correction | None = None):
    """The JW315 form: preview, store, send; or, with `correction`, a refused JW315 corrected and sent again."""
    preview = None
    sections = []
    if request.method == "POST" and form.is_valid():
        data = _request_input(form.cleaned_data)
        action = request.POST.get("actie", "voorbeeld")
        try:
            if correction is not None and action == "verzenden":
                message = services.correct_jw315(actor=request.user, message=correction.refused, data=data)
                messages.success(
                    request,
                    f"Verzoek om toewijzing {correction.refused.identificatie} is gecorrigeerd en opnieuw verstuurd "
                    f"als {message.identificatie} ({message.get_state_display().lower()} in de retour).",
                )
                return redirect("messaging:message_detail", message_id=message.public_id)
            if correction is None and action in ("verzenden", "concept"):
                message = services.create_jw315(actor=request.user, case=case, data=data)
                if action == "verzenden":
                    message = services.send_message(actor=request.user, message=message)
                    messages.success(
                        request,
                        f"Verzoek om toewijzing {message.identificatie} is verzonden naar de gemeente "
                        f"({message.get_state_display().lower()} in de retour).",
                    )
                else:
                    messages.success(request, f"Verzoek om toewijzing {message.identificatie} is opgeslagen.")
                return redirect("messaging:message_detail", message_id=message.public_id)
            preview = services.preview_jw315(actor=request.user, case=case, data=data)
            if preview.ok:
                later = "krijgt het bericht bij het opslaan"
                sections = describe(parse_jw315(preview.root))
                for s in sections:
                    s.rows = [
                        (label, later if label in ("Berichtidentificatie", "Referentie aanbieder") else value)
                        for label, value in s.rows
                    ]
        except ValidationError as e:
            apply_errors(form, e)
        except ManualRouteRequired:
            return redirect("messaging:manual", public_id=case.public_id)
        except MessageRefused as e:
            preview = services.Preview(reasons=e.reasons)
        except services.CorrectionRefused as e:
            messages.error(request, " ".join(e.reasons))
            return redirect("messaging:message_detail", message_id=correction.refused.public_id)
    return render(
        request,
        "messaging/jw315_form.html",
        {"case": case, "form": form, "preview": preview, "sections": sections, "correction": correction},
    )


@login_required
@require_http_methods(["GET", "POST"])
def jw315_correct(request, message_id):
    """'Corrigeren en opnieuw versturen': the JW315 form, prefilled from a refused JW315, its codes at the fields."""
    if not request.user.role or not request.user.has_perm("messaging.send_request"):
        selectors.log_refused_message(request.user, message_id, "geen rechten (corrigeren)")
        raise PermissionDenied
    message = selectors.message_detail(request.user, message_id, log_refused="corrigeren")
    if message.case is None:
        raise PermissionDenied
    case = _case(request, message.case.public_id)
    if not guards.may_send(request.user, case):
        selectors.log_refused_message(request.user, message_id, "geen regievoerende partij (corrigeren)")
        raise PermissionDenied
    try:
        correction = services.start_correction(actor=request.user, message=message)
    except services.CorrectionRefused as e:
        messages.error(request, " ".join(e.reasons))
        return redirect("messaging:message_detail", message_id=message.public_id)
    form = Jw315Form(request.POST or None, case=case, initial=correction.initial)
    _mark_fields(form, correction.field_notes)
    return _jw315_page(request, case, form, correction)


def _wijziging_input(form: Jw317Form, d: dict) -> services.WijzigingInput:
    wijzigingen = []
    for t in form.toewijzingen:
        if d.get(f"wijzigen_{t.pk}") != Jw317Form.CHANGE:
            continue
        budget = d.get(f"budget_{t.pk}")
        wijzigingen.append(
            services.Wijziging(
                toewijzing=t,
                wijzigen=True,
                ingangsdatum=d.get(f"ingangsdatum_{t.pk}"),
                einddatum=d.get(f"einddatum_{t.pk}"),
                volume=d.get(f"volume_{t.pk}"),
                budget=int(budget * 100) if budget is not None else None,
            )
        )
    nieuw = []
    if d.get("nieuw_categorie"):
        nieuw.append(
            services.base.ProductInput(
                categorie=d["nieuw_categorie"],
                product_code=d.get("nieuw_product_code") or "",
                volume=d.get("nieuw_volume"),
                eenheid=d.get("nieuw_eenheid") or "",
                frequentie=d.get("nieuw_frequentie") or "",
                ingangsdatum=d["nieuw_ingangsdatum"],
                einddatum=d.get("nieuw_einddatum"),
            )
        )
    return services.WijzigingInput(reden=d["reden"], wijzigingen=wijzigingen, nieuw=nieuw)


@login_required
@require_http_methods(["GET", "POST"])
def jw317_new(request, public_id):
    _require(request, "messaging.send_request")
    case = _case(request, public_id)
    back = reverse("messaging:case_messages", args=[case.public_id])
    if reason := services.wijziging_refusal(request.user, case):
        messages.error(request, reason)
        return redirect(back)
    form = Jw317Form(request.POST or None, toewijzingen=services.wijzigbare_toewijzingen(case))

    def run(d):
        message = services.create_jw317(actor=request.user, case=case, data=_wijziging_input(form, d))
        return services.send_message(actor=request.user, message=message)

    return form_page(
        request,
        form,
        run,
        template="messaging/case_form.html",
        context={
            "case": case,
            "title": "Verzoek om wijziging (JW317)",
            "intro": "Vraag de gemeente de lopende toewijzingen te wijzigen: kies per toewijzing of die ongewijzigd "
            "blijft of wijzigt, en vraag zo nodig een nieuw product aan. De gemeente antwoordt binnen 5 werkdagen.",
            "manual_text": "",
        },
        success=lambda m: (
            f"Verzoek om wijziging (JW317 {m.identificatie}) is verzonden naar de gemeente "
            f"({m.get_state_display().lower()} in de retour)."
        ),
        back=lambda m: detail_url(m) if m is not None else back,
    )


def _case_form(request, public_id, *, form_class, title, intro, run, perm="messaging.send_request"):
    _require(request, perm)
    case = _case(request, public_id)
    return form_page(
        request,
        form_class(request.POST or None, case=case),
        lambda d: run(case, d),
        template="messaging/case_form.html",
        context={"case": case, "title": title, "intro": intro, "manual_text": ""},
        success=lambda text: text,
        back=reverse("messaging:case_messages", args=[case.public_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def jw305_new(request, public_id):
    def run(case, d):
        m = services.send_jw305(actor=request.user, case=case, toewijzing=d["toewijzing"], begindatum=d["begindatum"])
        return f"Start jeugdhulp (JW305 {m.identificatie}) is gemeld: {m.get_state_display().lower()}."

    return _case_form(
        request,
        public_id,
        form_class=StartForm,
        title="Start jeugdhulp melden (JW305)",
        intro="Meld binnen 5 werkdagen nadat de jeugdhulp echt begon de start aan de gemeente.",
        run=run,
    )


@login_required
@require_http_methods(["GET", "POST"])
def jw307_new(request, public_id):
    def run(case, d):
        m = services.send_jw307(
            actor=request.user, case=case, toewijzing=d["toewijzing"], einddatum=d["einddatum"], reden=d["reden"]
        )
        return f"Stop jeugdhulp (JW307 {m.identificatie}) is gemeld: {m.get_state_display().lower()}."

    return _case_form(
        request,
        public_id,
        form_class=StopForm,
        title="Stop jeugdhulp melden (JW307)",
        intro="Meld binnen 5 werkdagen nadat de jeugdhulp stopte de stop aan de gemeente, met de reden.",
        run=run,
    )


@login_required
@require_http_methods(["GET", "POST"])
def bepaling_jw301(request, public_id, bepaling_id):
    _require(request, "messaging.answer_request")
    case = _case(request, public_id)
    bepaling = get_object_or_404(case.gi_bepalingen.select_related("gi"), public_id=bepaling_id)
    back = reverse("messaging:case_messages", args=[case.public_id])
    if not guards.may_assign_on_bepaling(request.user, case):
        messages.error(request, " ".join(guards.bepaling_refusals(case)))
        return redirect(back)
    period = f"vanaf {nl_date(bepaling.bepaald_op)}" + (
        f" tot en met {nl_date(bepaling.einddatum)}" if bepaling.einddatum else ""
    )
    return form_page(
        request,
        BepalingToewijzingForm(request.POST or None),
        lambda d: services.assign_on_gi_bepaling(actor=request.user, bepaling=bepaling, commentaar=d["commentaar"]),
        template="messaging/case_form.html",
        context={
            "case": case,
            "title": "Toewijzen op GI-bepaling (JW301)",
            "intro": f"{bepaling.get_kind_display()} door {bepaling.gi_naam}: {bepaling.product_label}, {period}. "
            f"De toewijzing gaat naar {case.regie_organisatie.name}, zonder verzoek om toewijzing (JW315).",
            "manual_text": "",
        },
        success=lambda m: (
            f"Toewijzing (JW301 {m.identificatie}) op de GI-bepaling is verzonden: {m.get_state_display().lower()}."
        ),
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def manual(request, public_id):
    _require(request, "messaging.record_manual_toewijzing")
    case = _case(request, public_id)
    if not guards.manual_route(case):
        messages.info(request, "Deze jeugdige heeft een BSN: de toewijzing loopt via het berichtenverkeer.")
        return redirect("messaging:case_messages", public_id=case.public_id)

    def run(d):
        return services.record_manual_toewijzing(actor=request.user, case=case, data=services.ManualInput(**d))

    return form_page(
        request,
        ManualForm(request.POST or None),
        run,
        template="messaging/case_form.html",
        context={"case": case, "title": "Handmatige toewijzing", "intro": "", "manual_text": _manual_text(case)},
        success=lambda t: f"De handmatige toewijzing ({t.product_label}) is vastgelegd.",
        back=reverse("messaging:case_messages", args=[case.public_id]),
    )


def _lopend_form(request, case, form, run, *, title, intro, submit_label, success):
    """The two forms of a running toewijzing: on the case's messages, and back there."""
    return form_page(
        request,
        form,
        run,
        template="messaging/case_form.html",
        context={"case": case, "title": title, "intro": intro, "manual_text": "", "submit_label": submit_label},
        success=success,
        back=reverse("messaging:case_messages", args=[case.public_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def lopend_new(request, public_id):
    _require(request, "messaging.view_traffic")
    case = _case(request, public_id)
    back = reverse("messaging:case_messages", args=[case.public_id])
    if not guards.may_record_lopende_toewijzing(request.user, case):
        messages.error(request, "U kunt bij deze casus geen lopende toewijzing melden.")
        return redirect(back)
    return _lopend_form(
        request,
        case,
        LopendeToewijzingForm(request.POST or None),
        lambda d: services.record_lopende_toewijzing(
            actor=request.user, case=case, data=services.LopendeToewijzingInput(**d)
        ),
        title="Lopende toewijzing in segment 2–4 melden",
        intro="Loopt er voor deze jeugdige nog jeugdhulp uit segment 2 t/m 4? Dan sluit de backoffice van de "
        "gemeente die toewijzing af nu de casus naar Crossroads gaat.",
        submit_label="Melden",
        success=lambda t: f"De lopende toewijzing bij {t.aanbieder_naam} is gemeld; de backoffice beëindigt haar.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def lopend_end(request, public_id, lopend_id):
    _require(request, "messaging.view_traffic")
    case = _case(request, public_id)
    lopend = get_object_or_404(case.lopende_toewijzingen.all(), public_id=lopend_id)
    back = reverse("messaging:case_messages", args=[case.public_id])
    if not guards.may_end_lopende_toewijzing(request.user, case):
        messages.error(request, "Alleen de backoffice van de gemeente beëindigt een lopende toewijzing.")
        return redirect(back)
    if lopend.ended:
        messages.info(request, f"Deze toewijzing is al beëindigd per {nl_date(lopend.beeindigd_per)}.")
        return redirect(back)
    return _lopend_form(
        request,
        case,
        BeeindigingForm(request.POST or None),
        lambda d: services.end_lopende_toewijzing(
            actor=request.user, lopend=lopend, data=services.BeeindigingInput(**d)
        ),
        title="Lopende toewijzing beëindigen",
        intro=f"Toewijzing bij {lopend.aanbieder_naam}, loopt sinds {nl_date(lopend.sinds)}.",
        submit_label="Beëindiging vastleggen",
        success=lambda t: f"De toewijzing bij {t.aanbieder_naam} is beëindigd per {nl_date(t.beeindigd_per)}.",
    )


# --- Traffic: inbox / outbox, one message, download, import ---------------------------------------------------


@login_required
def traffic(request):
    _require(request, "messaging.view_traffic")
    gemeenten = selectors.gemeenten_for(request.user)
    form = TrafficFilterForm(request.GET or None, gemeenten=gemeenten)
    filters = selectors.TrafficFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.TrafficFilters(
            gemeente=d["gemeente"].pk if d["gemeente"] else None, bericht=d["bericht"], status=d["status"]
        )
    page = Paginator(selectors.traffic(request.user, filters), 25).get_page(request.GET.get("pagina"))
    inbox = selectors.inbox(request.user, filters.gemeente) if request.user.has_perm("messaging.answer_request") else []
    selectors.log_message_list(user=request.user, where="Berichtenverkeer", messages=[*inbox, *page.object_list])
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "messaging/traffic.html",
        {
            "form": form,
            "page": page,
            "inbox": inbox,
            "query": query.urlencode(),
            "gastheer": selectors.is_gastheer(request.user),
        },
    )


@login_required
def message_detail(request, message_id):
    _require(request, "messaging.view_traffic")
    message = selectors.message_detail(request.user, message_id)
    user = request.user
    is_open = (
        message.message_type in selectors.REQUESTS
        and message.state == MessageState.GEACCEPTEERD
        and (selectors.visible_messages(user).filter(selectors.open_requests_q(), pk=message.pk).exists())
    )
    refused = message.state == MessageState.AFGEWEZEN or message.is_retour
    correct = (
        message.message_type == "jw315"
        and message.state == MessageState.AFGEWEZEN
        and message.case is not None
        and guards.may_send(user, message.case)
        and not guards.manual_route(message.case)
        and not services.correction_refusal(message)
    )
    return render(
        request,
        "messaging/message_detail.html",
        {
            "message": message,
            "sections": describe_bytes(message.data),
            "xml": message.data.decode("utf-8", errors="replace"),
            "codes": selectors.retour_codes(selectors.retour_of(message)) if refused else [],
            "corrected_by": getattr(message, "corrected_by", None),  # selected with the message; None: not corrected
            "can": {
                "send": user.has_perm("messaging.send_request")
                and message.state == MessageState.GEVALIDEERD
                and message.message_type in services.SENT_EVENT,
                "answer": user.has_perm("messaging.answer_request") and is_open,
                "correct": correct,
            },
        },
    )


@login_required
def message_pdf(request, message_id):
    """'Afdrukken (PDF)': the message as the detail page shows it, as a tagged PDF; need-to-know and access log
    as the detail page, a refused attempt on an existing message logged as refused."""
    user = request.user
    if not user.role or not user.has_perm("messaging.view_traffic"):
        selectors.log_refused_message(user, message_id, "geen rechten (afdrukken)")
        raise PermissionDenied
    message = selectors.message_detail(user, message_id, action="afdrukken", log_refused="afdrukken")
    refused = message.state == MessageState.AFGEWEZEN or message.is_retour
    names = {}
    if message.gemeente:
        names[message.gemeente.cbs_code] = message.gemeente.name
    if message.aanbieder:
        names[message.aanbieder.agb_code] = message.aanbieder.name
    pdf = render_pdf(
        "messaging/message.pdf.html",
        {
            "message": message,
            "sender_name": names.get(message.sender, ""),
            "receiver_name": names.get(message.receiver, ""),
            "dagtekening": nl_date(message.dagtekening),
            "case_reference": message.case.reference if selectors.case_shown(user, message) else "",
            "sections": describe_bytes(message.data),
            "codes": selectors.retour_codes(selectors.retour_of(message)) if refused else [],
            "made_on": nl_date(timezone.localdate()),
            "made_by": user,
        },
        tagged=True,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{message.code}-{message.sender}-{message.identificatie}.pdf"'
    return response


@login_required
def message_download(request, message_id):
    _require(request, "messaging.view_traffic")
    message = selectors.message_detail(request.user, message_id, action="downloaden")
    response = HttpResponse(message.data, content_type="application/xml")
    response["Content-Disposition"] = (
        f'attachment; filename="{message.code}-{message.sender}-{message.identificatie}.xml"'
    )
    return response


@login_required
@require_POST
def message_send(request, message_id):
    message = selectors.message_detail(request.user, message_id)
    try:
        message = services.send_message(actor=request.user, message=message)
    except services.StaleMessage as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"{message.code} {message.identificatie} is verzonden.")
    return redirect("messaging:message_detail", message_id=message.public_id)


def _answer(request, message_id, *, form_class, title, run):
    _require(request, "messaging.answer_request")
    message = selectors.message_detail(request.user, message_id, description="")
    if message.message_type == "jw317":  # a verzoek om wijziging is granted as asked, or answered with a JW319
        form_class = Jw317AcceptForm if form_class is AcceptForm else form_class
        title = "Wijziging toewijzen (JW301)" if form_class is Jw317AcceptForm else title
    request_data = parse_jw315(parse_xml(message.data)) if message.message_type == "jw315" else None
    initial = {}
    if request_data and form_class is AcceptForm:
        line = request_data.producten[0]
        initial = {"ingangsdatum": line.toewijzing_ingangsdatum, "einddatum": line.toewijzing_einddatum}
    return form_page(
        request,
        form_class(request.POST or None, initial=initial),
        lambda d: run(message, d),
        template="messaging/answer_form.html",
        context={"message": message, "title": title, "sections": describe_bytes(message.data)},
        success=lambda answer: f"{answer.code} {answer.identificatie} is verzonden: {answer.summary}.",
        back=detail_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def accept(request, message_id):
    def run(message, d):
        if message.message_type == "jw317":
            return services.accept_jw317(actor=request.user, message=message, data=services.AcceptWijzigingInput(**d))
        return services.accept_jw315(actor=request.user, message=message, data=services.AcceptInput(**d))

    return _answer(request, message_id, form_class=AcceptForm, title="Toewijzen (JW301)", run=run)


@login_required
@require_http_methods(["GET", "POST"])
def refuse(request, message_id):
    def run(message, d):
        refuse = services.refuse_jw317 if message.message_type == "jw317" else services.refuse_jw315
        return refuse(actor=request.user, message=message, data=services.RefuseInput(**d))

    return _answer(request, message_id, form_class=RefuseForm, title="Antwoordbericht (JW319)", run=run)


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    _require(request, "messaging.import_message")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    reasons = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["bestand"]
        data = upload.read(services.MAX_IMPORT_BYTES + 1)
        try:
            result = services.import_message(actor=request.user, data=data)
        except services.ImportRefused as e:
            reasons = e.reasons
            form.add_error("bestand", "Dit bericht is niet ingelezen; er is niets opgeslagen.")
        except PermissionDenied as e:
            reasons = [str(e)]
            form.add_error("bestand", "Dit bericht is niet ingelezen; er is niets opgeslagen.")
        else:
            selectors.log_import(user=request.user, message=result.message)
    return render(request, "messaging/import.html", {"form": form, "result": result, "reasons": reasons})


def detail_url(message) -> str:
    return reverse("messaging:message_detail", kwargs={"message_id": message.public_id})
