from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .refusals import Refused


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError at the fields it names, keeping what the user typed."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def show_refusal(form, refusal: Refused) -> None:
    for reason in refusal.reasons:
        form.add_error(None, reason)


def form_page(
    request: HttpRequest,
    form,
    run: Callable[[dict], Any],
    *,
    template: str,
    context: dict,
    success: str | Callable[[Any], str],
    back: str | Callable[[Any], str],
    warnings: Callable[[Any], list[str]] | None = None,
    refused_back: str | None = None,
) -> HttpResponse:
    """The one shape of a page that runs a form through a service.

    GET, or a POST that does not validate: the page with the form. A valid POST calls `run(cleaned_data)`
    (one service, one transaction) and then:
    - a ValidationError: shown at the fields it names, the typed values kept, nothing stored;
    - a Refused: its reasons above the form, or (`on_form` False) as a message back at `refused_back`
      (default `back`);
    - success: the `success` message (text, or made from the result) and any `warnings` of the result,
      then to `back` (a URL, or made from the result)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        except Refused as e:
            if e.on_form:
                show_refusal(form, e)
            else:
                messages.error(request, e.message)
                return redirect(refused_back or (back if isinstance(back, str) else back(None)))
        else:
            for warning in warnings(result) if warnings else []:
                messages.warning(request, warning)
            messages.success(request, success(result) if callable(success) else success)
            return redirect(back(result) if callable(back) else back)
    return render(request, template, {"form": form, **context})
