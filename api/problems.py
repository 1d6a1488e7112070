"""Errors as application/problem+json (RFC 9457) with Dutch titles.

Every error the API returns has the same shape: type, title (Dutch, per status), status, detail, instance,
and where it helps `reasons` (why a transition is refused) or `errors` (per field, as the pages show them)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from referrals.services import StaleCase, TransitionRefused

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Ongeldig verzoek",
    401: "Niet aangemeld",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Niet aanvaardbaar",
    409: "Deze stap kan nu niet",
    412: "De casus is intussen gewijzigd",
    413: "Te groot",
    415: "Niet-ondersteund mediatype",
    422: "De invoer is niet in orde",
    428: "If-Match ontbreekt",
    429: "Te veel verzoeken",
}

DETAILS = {
    401: "Meld u aan met een token (Authorization: Token ...) of een sessie.",
    403: "U heeft geen rechten voor deze handeling.",
    404: "Dit is niet gevonden, of u mag het niet zien.",
    405: "Deze methode is hier niet toegestaan.",
    406: "Deze API antwoordt alleen in JSON.",
    415: "Stuur de gegevens als JSON.",
    429: "Te veel verzoeken; probeer het over een minuut opnieuw.",
}


class Problem(exceptions.APIException):
    """An error with a status of our own choosing, carrying extra members for the problem body."""

    def __init__(self, status_code: int, detail: str, **extra):
        self.status_code = status_code
        self.extra = extra
        super().__init__(detail)


def problem(status_code: int, detail: str = "", *, instance: str = "", **extra) -> Response:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Fout"),
        "status": status_code,
        "detail": detail or DETAILS.get(status_code, TITLES.get(status_code, "Fout")),
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM_JSON)


def _messages(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    if isinstance(detail, list):
        return {"__all__": [str(m) for m in detail]}
    return {"__all__": [str(detail)]}


def validation_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {name: list(messages) for name, messages in error.message_dict.items()}
    return {"__all__": list(error.messages)}


def exception_handler(exc, context):
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, StaleCase):
        return problem(
            412,
            "Deze casus is intussen door iemand anders gewijzigd. Uw actie is niet uitgevoerd; haal de casus "
            "opnieuw op voor de huidige stand en de nieuwe ETag.",
            instance=instance,
        )
    if isinstance(exc, TransitionRefused):
        return problem(409, "Dit kan nog niet: " + " ".join(exc.reasons), instance=instance, reasons=exc.reasons)
    if isinstance(exc, DjangoValidationError):
        errors = validation_errors(exc)
        return problem(422, " ".join(m for ms in errors.values() for m in ms), instance=instance, errors=errors)
    if isinstance(exc, Problem):
        return problem(exc.status_code, str(exc.detail), instance=instance, **exc.extra)
    if isinstance(exc, Http404):
        return problem(404, instance=instance)
    if isinstance(exc, DjangoPermissionDenied):
        return problem(403, str(exc) or DETAILS[403], instance=instance)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: Django's handler logs it
    code = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        errors = _messages(exc.detail)
        result = problem(400, " ".join(m for ms in errors.values() for m in ms), instance=instance, errors=errors)
    elif isinstance(exc, exceptions.Throttled):
        result = problem(429, instance=instance)
    elif isinstance(exc, exceptions.ParseError):
        result = problem(400, "De gegevens zijn geen geldige JSON.", instance=instance)
    elif code in DETAILS:
        result = problem(code, instance=instance)
    else:
        result = problem(code, str(getattr(exc, "detail", "")), instance=instance)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result


__all__ = ["PROBLEM_JSON", "Problem", "exception_handler", "problem", "status"]
