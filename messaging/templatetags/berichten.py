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
