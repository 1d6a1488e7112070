"""The REST API: thin views over the same selectors and services as the pages.

Each view finds what the user may see through a selector (need to know in the query), writes the access
log for every read of personal data, and changes state only through a service. Errors are problem+json
(api.problems)."""

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import parsers
from rest_framework.authtoken.models import Token
from rest_framework.generics import ListAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from coordination import selectors as coordination_selectors
from deadlines import selectors as deadline_selectors
from messaging import selectors as message_selectors
from messaging import services as message_services
from referrals import selectors
from referrals.documents import ALLOWED as ALLOWED_DOCUMENTS
from referrals.forms import CaseFilterForm
from referrals.models import Case, Phase, Route
from referrals.transitions import TRANSITIONS, case_etag, fire_if_unchanged, transition_form

from . import serializers as s
from .problems import PROBLEM_JSON, Problem

# --- Shared pieces -----------------------------------------------------------------------------------------------


def problems(*codes: int) -> dict:
    return {(code, PROBLEM_JSON): OpenApiResponse(s.ProblemSerializer) for code in codes}


UUID_PATH = [OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="public id of the case")]


def visible_case(request, case_id, shown: str) -> Case:
    """The case, read through the same selector as the pages: need to know, and logged as `shown`."""
    return selectors.case_detail(request.user, case_id, shown=shown)


def form_errors(form) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def invalid(form) -> Problem:
    errors = form_errors(form)
    return Problem(422, " ".join(m for ms in errors.values() for m in ms), errors=errors)


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "Deze pagina bestaat niet."

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except Http404:
            raise Problem(404, self.invalid_page_message) from None
        except Exception as e:  # DRF's NotFound for a page out of range
            if getattr(e, "status_code", None) == 404:
                raise Problem(404, self.invalid_page_message) from None
            raise


class AnyContent(BaseContentNegotiation):
    """Downloads answer with the file's own type, whatever the client accepts."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class XmlParser(parsers.BaseParser):
    media_type = "application/xml"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read(message_services.MAX_IMPORT_BYTES + 1) if stream is not None else b""


class TextXmlParser(XmlParser):
    media_type = "text/xml"


# --- Token -------------------------------------------------------------------------------------------------------


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class TokenView(APIView):
    """Exchange a username and password for the API token of that user."""

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [parsers.JSONParser, parsers.FormParser]
    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={200: s.TokenSerializer, **problems(400, 429)},
        auth=[],
        tags=["token"],
    )
    def post(self, request):
        data = s.TokenRequestSerializer(data=request.data if isinstance(request.data, dict) else {})
        if not data.is_valid():
            raise Problem(400, "Vul gebruikersnaam en wachtwoord in.", errors=form_errors(data))
        user = authenticate(
            request._request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if user is None or not user.is_active:
            raise Problem(400, "Gebruikersnaam of wachtwoord is onjuist.")
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


# --- Cases -------------------------------------------------------------------------------------------------------


CASE_FILTERS = [
    OpenApiParameter("q", str, description="naam, BSN of casusnummer (S1-000123)"),
    OpenApiParameter("fase", str, enum=Phase.values),
    OpenApiParameter("gemeente", int, description="id van de gemeente"),
    OpenApiParameter("partner", int, description="id van de regievoerende partner"),
    OpenApiParameter("route", str, enum=Route.values),
    OpenApiParameter("urgent", bool),
]


class CaseList(ListAPIView):
    pagination_class = Pagination
    serializer_class = s.CaseSerializer

    def get_queryset(self):
        form = CaseFilterForm(self.request.query_params)
        if not form.is_valid():
            errors = form_errors(form)
            raise Problem(400, " ".join(m for ms in errors.values() for m in ms), errors=errors)
        d = form.cleaned_data
        self.filters = selectors.CaseFilters(
            q=d["q"],
            fase=d["fase"],
            gemeente=d["gemeente"].pk if d["gemeente"] else None,
            partner=d["partner"].pk if d["partner"] else None,
            route=d["route"],
            urgent=d["urgent"],
        )
        return selectors.search_cases(self.request.user, self.filters)

    @extend_schema(
        operation_id="cases_list",
        parameters=CASE_FILTERS,
        responses={200: s.CaseSerializer(many=True), **problems(400, 401, 404)},
        tags=["cases"],
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        selectors.log_case_list(
            user=request.user, where="API casussen", cases=page, search=self.filters.q, channel="API"
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CaseDetail(APIView):
    @extend_schema(
        parameters=UUID_PATH,
        responses={200: s.CaseDetailSerializer, **problems(401, 404)},
        tags=["cases"],
    )
    def get(self, request, case_id):
        case = visible_case(request, case_id, "casus")
        etag = case_etag(case)
        full_bsn = request.user.has_perm("referrals.view_full_bsn") and case.identity_visible
        data = s.CaseDetailSerializer(case, context={"request": request, "etag": etag, "full_bsn": full_bsn}).data
        return Response(data, headers={"ETag": etag})


class CaseTimeline(APIView):
    @extend_schema(
        parameters=UUID_PATH,
        responses={200: s.EventSerializer(many=True), **problems(401, 404)},
        tags=["cases"],
    )
    def get(self, request, case_id):
        case = visible_case(request, case_id, "tijdlijn")
        return Response(s.EventSerializer(case.events.all(), many=True).data)


class CaseTransitions(APIView):
    @extend_schema(
        parameters=UUID_PATH,
        responses={200: s.TransitionsSerializer, **problems(401, 404)},
        tags=["transitions"],
        description="The phase transitions from the current phase: which this user can fire now, and why not "
        "the others (in Dutch). The ETag goes into If-Match when firing one.",
    )
    def get(self, request, case_id):
        case = visible_case(request, case_id, "stappen")
        etag = case_etag(case)
        options = selectors.transition_options(case, request.user)
        data = s.TransitionsSerializer(
            {"phase": case.phase, "etag": etag, "transitions": options}, context={"case": case}
        ).data
        return Response(data, headers={"ETag": etag})


def _as_form_value(value) -> str:
    """JSON scalars as the form of the page would receive them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class FireTransition(APIView):
    @extend_schema(
        parameters=[
            *UUID_PATH,
            OpenApiParameter("name", str, OpenApiParameter.PATH, enum=list(TRANSITIONS)),
            OpenApiParameter(
                "If-Match", str, OpenApiParameter.HEADER, required=True, description="the case's current ETag"
            ),
        ],
        request=s.TransitionInputSerializer,
        responses={200: s.CaseDetailSerializer, **problems(400, 401, 403, 404, 409, 412, 422, 428)},
        tags=["transitions"],
        description="Fire one phase transition, with the same guards, permissions and Dutch reasons as the case "
        "page. 428 without If-Match, 412 when the case changed since its ETag, 409 when a guard refuses (the "
        "reasons are in `reasons`), 422 with `errors` per field.",
    )
    def post(self, request, case_id, name):
        user = request.user
        # The case returned after firing is the read that is logged; this look-up only checks need to know.
        case = selectors.case_detail(user, case_id, logged=False)
        if name not in TRANSITIONS:
            raise Problem(404, "Deze stap bestaat niet.")
        if_match = request.headers.get("If-Match", "").strip()
        if not if_match:
            raise Problem(
                428, "Stuur de ETag van de casus mee in If-Match, zodat u niet over een nieuwere stand heen schrijft."
            )
        option = next((o for o in selectors.transition_options(case, user) if o.name == name), None)
        if option is not None and not option.permitted:
            raise Problem(403, " ".join(option.reasons), reasons=option.reasons)
        raw = request.data
        if not isinstance(raw, dict):
            raise Problem(400, "Stuur de invoer als een JSON-object.")
        data = {}
        for key, value in raw.items():
            if isinstance(value, list | dict):
                raise Problem(422, f"Geef voor {key} één waarde.", errors={str(key): ["Geef één waarde."]})
            data[key] = _as_form_value(value)
        form = transition_form(name, user, data)
        if form is not None and not form.is_valid():
            raise invalid(form)
        fire_if_unchanged(
            name,
            user=user,
            case=case,
            if_match=if_match,
            data=form.cleaned_data if form else {},
            offered=option is not None,
        )
        case = visible_case(request, case_id, "casus")
        etag = case_etag(case)
        full_bsn = user.has_perm("referrals.view_full_bsn") and case.identity_visible
        data = s.CaseDetailSerializer(case, context={"request": request, "etag": etag, "full_bsn": full_bsn}).data
        return Response(data, headers={"ETag": etag})


class CaseCoordination(APIView):
    @extend_schema(
        parameters=UUID_PATH,
        responses={200: s.CoordinationSerializer, **problems(401, 404)},
        tags=["coordination"],
    )
    def get(self, request, case_id):
        case = visible_case(request, case_id, "coördinatie")
        panel = coordination_selectors.coordination_panel(case, request.user)
        coordination = panel.coordination
        data = {
            "level": coordination.level,
            "level_label": coordination.get_level_display(),
            "coordinator": panel.case.coordinator,
            "is_open": panel.is_open,
            "options": panel.options,
            "decisions": [
                {"from_level": d.from_level, "to_level": d.to_level, "decided_on": d.decided_on, "kind": d.kind}
                for d in panel.decisions
            ],
            "consents": [
                {
                    "subject": c.subject,
                    "given_by": c.given_by,
                    "given_on": c.given_on,
                    "withdrawn_on": c.withdrawn_on,
                }
                for c in panel.consents
            ],
            "escalations": [
                {
                    "kind": row.escalation.kind,
                    "topic": row.escalation.topic,
                    "state": row.escalation.state,
                    "opened_on": row.escalation.opened_on,
                    "due": row.due,
                    "overdue": row.overdue,
                }
                for row in panel.escalations
            ],
            "warnings": panel.warnings,
        }
        return Response(s.CoordinationSerializer(data).data)


class CaseDeadlines(APIView):
    @extend_schema(
        parameters=UUID_PATH,
        responses={200: s.DeadlineSerializer(many=True), **problems(401, 404)},
        tags=["deadlines"],
    )
    def get(self, request, case_id):
        case = visible_case(request, case_id, "termijnen")
        rows = [
            {
                "name": row["deadline"].rule.name,
                "state": row["deadline"].state,
                "due_at": row["deadline"].due_at,
                "due": row["due"],
                "left": row["left"],
                "overdue": row["overdue"],
                "paused": row["deadline"].paused_at is not None,
                "explanation": row["explanation"],
            }
            for row in deadline_selectors.case_deadlines(case)
        ]
        return Response(s.DeadlineSerializer(rows, many=True).data)


class CaseDocuments(APIView):
    @extend_schema(
        parameters=UUID_PATH,
        responses={200: s.DocumentSerializer(many=True), **problems(401, 404)},
        tags=["documents"],
        operation_id="cases_documents_list",
    )
    def get(self, request, case_id):
        case = visible_case(request, case_id, "documenten")
        documents = list(case.documents.all())  # prefetched by the selector, already narrowed to what may be opened
        for document in documents:
            document.case = case
        return Response(s.DocumentSerializer(documents, many=True).data)


DOCUMENT_PATH = [
    *UUID_PATH,
    OpenApiParameter("document_id", OpenApiTypes.UUID, OpenApiParameter.PATH),
]


class DocumentDetail(APIView):
    @extend_schema(
        parameters=DOCUMENT_PATH,
        responses={200: s.DocumentSerializer, **problems(401, 404)},
        tags=["documents"],
    )
    def get(self, request, case_id, document_id):
        document = selectors.read_document(request.user, case_id, document_id)
        return Response(s.DocumentSerializer(document).data)


DOCUMENT_TYPES = sorted({content_type for content_type, _ in ALLOWED_DOCUMENTS.values()})


class DocumentContent(APIView):
    content_negotiation_class = AnyContent

    @extend_schema(
        parameters=DOCUMENT_PATH,
        responses={
            **{(200, content_type): OpenApiTypes.BINARY for content_type in DOCUMENT_TYPES},
            **problems(401, 404),
        },
        tags=["documents"],
        description="The file as uploaded, with its own content type.",
    )
    def get(self, request, case_id, document_id):
        document = selectors.read_document(request.user, case_id, document_id, action="downloaden")
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Problem(404, "Het bestand is niet gevonden.") from None
        return FileResponse(
            handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
        )


# --- Messages ----------------------------------------------------------------------------------------------------


def _require(request, perm: str) -> None:
    if not request.user.role or not request.user.has_perm(perm):
        raise PermissionDenied("U heeft geen toegang tot het berichtenverkeer.")


class MessageList(ListAPIView):
    pagination_class = Pagination
    serializer_class = s.MessageSerializer

    def get_queryset(self):
        params = self.request.query_params
        gemeente = params.get("gemeente", "")
        if gemeente and not (gemeente.isascii() and gemeente.isdigit() and len(gemeente) < 10):
            raise Problem(400, "Kies een geldige gemeente.", errors={"gemeente": ["Kies een geldige gemeente."]})
        filters = message_selectors.TrafficFilters(
            gemeente=int(gemeente) if gemeente else None,
            bericht=params.get("bericht", "")[:5],
            status=params.get("status", "")[:20],
        )
        if "\x00" in filters.bericht + filters.status:
            raise Problem(400, "Ongeldig teken in het filter.")
        return message_selectors.traffic(self.request.user, filters)

    @extend_schema(
        operation_id="messages_list",
        parameters=[
            OpenApiParameter("gemeente", int, description="id van de gemeente"),
            OpenApiParameter("bericht", str, description="berichtsoort, bijvoorbeeld jw315"),
            OpenApiParameter("status", str),
        ],
        responses={200: s.MessageSerializer(many=True), **problems(400, 401, 403, 404)},
        tags=["messages"],
    )
    def get(self, request):
        _require(request, "messaging.view_traffic")
        page = self.paginate_queryset(self.get_queryset())
        message_selectors.log_message_list(user=request.user, where="API berichtenverkeer", messages=page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


MESSAGE_PATH = [OpenApiParameter("message_id", OpenApiTypes.UUID, OpenApiParameter.PATH)]


class MessageDetail(APIView):
    @extend_schema(
        parameters=MESSAGE_PATH,
        responses={200: s.MessageSerializer, **problems(401, 403, 404)},
        tags=["messages"],
    )
    def get(self, request, message_id):
        _require(request, "messaging.view_traffic")
        message = message_selectors.message_detail(request.user, message_id)
        return Response(s.MessageSerializer(message).data)


class MessageXml(APIView):
    content_negotiation_class = AnyContent

    @extend_schema(
        parameters=MESSAGE_PATH,
        responses={(200, "application/xml"): OpenApiTypes.BINARY, **problems(401, 403, 404)},
        tags=["messages"],
        description="The exact bytes of the message as sent or received.",
    )
    def get(self, request, message_id):
        _require(request, "messaging.view_traffic")
        message = message_selectors.message_detail(request.user, message_id, action="downloaden")
        response = HttpResponse(bytes(message.data), content_type="application/xml")
        response["Content-Disposition"] = (
            f'attachment; filename="{message.code}-{message.sender}-{message.identificatie}.xml"'
        )
        return response


class MessageImport(APIView):
    parser_classes = [XmlParser, TextXmlParser]

    @extend_schema(
        request={"application/xml": OpenApiTypes.BINARY},
        responses={201: s.ImportResultSerializer, **problems(400, 401, 403, 415, 422)},
        tags=["messages"],
        description="Take in one iJw message (the XML as the body), as the import page does: validated, matched "
        "to its case and answered with a retour. 422 with the Dutch reasons when it is refused; nothing is stored.",
    )
    def post(self, request):
        _require(request, "messaging.import_message")
        data = request.data if isinstance(request.data, bytes) else b""
        try:
            result = message_services.import_message(actor=request.user, data=data)
        except message_services.ImportRefused as e:
            raise Problem(422, "Dit bericht is niet ingelezen; er is niets opgeslagen.", reasons=e.reasons) from None
        message_selectors.log_import(user=request.user, message=result.message)
        body = {
            "message": result.message,
            "accepted": result.accepted,
            "codes": [{"code": code, "text": text} for code, text in result.codes],
        }
        return Response(s.ImportResultSerializer(body).data, status=201)
