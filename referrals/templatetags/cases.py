from django import template

from referrals.bsn import mask_bsn

register = template.Library()

HIDDEN = "Afgeschermd (geheim BSN)"


@register.filter
def youth_name(case) -> str:
    """The youth's name, or a placeholder where the selector found the identity is not for this user."""
    if not getattr(case, "identity_visible", False):
        return HIDDEN
    return case.jeugdige.naam


@register.filter
def youth_bsn(case, full=False) -> str:
    jeugdige = case.jeugdige
    if jeugdige.bsn_status != "normaal":
        return jeugdige.get_bsn_status_display()
    if not getattr(case, "identity_visible", False):
        return "afgeschermd"
    return jeugdige.bsn if full else mask_bsn(jeugdige.bsn)


@register.filter
def phase_badge(phase: str) -> str:
    return {
        "concept": "neutral",
        "aanmeld": "warning",
        "hulpverlenend": "success",
        "crisis": "danger",
        "afrondend": "active",
        "terugverwezen": "neutral",
        "afgesloten": "neutral",
    }.get(phase, "neutral")


@register.simple_tag
def field_id(field) -> str:
    return field.auto_id


@register.filter
def widget_kind(field) -> str:
    """How includes/field.html lays out a field: 'multiple', 'radio', 'checkbox' or 'input'."""
    widget = field.field.widget
    if getattr(widget, "allow_multiple_selected", False) and getattr(widget, "input_type", "") == "checkbox":
        return "multiple"
    if getattr(widget, "input_type", "") in ("radio", "checkbox"):
        return widget.input_type
    return "input"
