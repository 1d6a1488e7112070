"""`{% load coordination %}`

`{% coordination_panel case request.user %}`: the coordination block of a case page (level, coördinator and
substitute, decisions, consents, sharing, escalations, and the steps with why they cannot be taken yet), in a
fixed number of queries. `case` comes from referrals.selectors.case_detail.

`{% coordinator_work_panel request.user %}`: the start page block of what waits for the user (requests without
coördinator, open escalations, most pressing first); the cases it shows go to the access log.
"""

from django import template

from referrals.selectors import log_case_list

from .. import selectors

register = template.Library()


@register.inclusion_tag("coordination/case_panel.html")
def coordination_panel(case, user):
    return {"p": selectors.coordination_panel(case, user)}


@register.inclusion_tag("coordination/start_panel.html")
def coordinator_work_panel(user):
    work = selectors.coordinator_work(user)
    shown = [*work["requests"], *(row.escalation.case for row in work["escalations"])]
    log_case_list(user=user, where="Werklijst coördinatie", cases=shown)
    return {"work": work}
