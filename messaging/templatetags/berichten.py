from django import template

from referrals.dates import nl_date

register = template.Library()

BADGES = {
    "concept": "neutral",
    "gevalideerd": "active",
    "verzonden": "warning",
    "geaccepteerd": "success",
    "afgewezen": "danger",
}


@register.filter
def state_badge(state: str) -> str:
    return BADGES.get(state, "neutral")


@register.filter
def nl_day(day) -> str:
    return nl_date(day) if day else ""


@register.filter
def retourcodes(summary: str) -> list[str]:
    """The retourcodes a retour's summary names, each with its Dutch meaning ('9347 – De referentie …')."""
    from ..codes import codes_in_summary, retourcode_label

    return [retourcode_label(c) for c in codes_in_summary(summary or "")]
