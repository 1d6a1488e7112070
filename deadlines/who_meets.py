"""Who records each step that meets a default rule, as the services decide it (the permission they check,
and the roles that hold it). The default rules are checked against it: every rule warns, before and after,
at least one of the people who can actually meet it (DOMAIN.md section 6)."""

from accounts.roles import Role
from referrals.models import EventKind

from .models import COORDINATOR

# event -> (the permission its service checks, the warn targets that hold it on the case)
WHO_MEETS: dict[str, tuple[str, frozenset[str]]] = {
    EventKind.AANMELDGESPREK_GEHOUDEN: ("referrals.record_aanmeldgesprek", frozenset({Role.AANMELDPUNT})),
    EventKind.ZORG_GESTART: ("referrals.record_zorg_gestart", frozenset({Role.REGIEVOERDER})),
    EventKind.BESCHIKKING_AFGEGEVEN: ("referrals.record_beschikking", frozenset({Role.AANMELDPUNT})),
    EventKind.PERSPECTIEFPLAN_GESTART: ("referrals.record_care", frozenset({Role.REGIEVOERDER})),
    EventKind.PERSPECTIEFPLAN_GEREED: ("referrals.record_care", frozenset({Role.REGIEVOERDER})),
    EventKind.ESCALATIE_GESPREK: (
        "coordination.escaleren",
        frozenset({Role.AANMELDPUNT, Role.REGIEVOERDER, COORDINATOR}),
    ),
    EventKind.ESCALATIE_COMMITMENT: (
        "coordination.escaleren",
        frozenset({Role.AANMELDPUNT, Role.REGIEVOERDER, COORDINATOR}),
    ),
    EventKind.LICHTE_HULP_GESTOPT: ("referrals.record_care", frozenset({Role.REGIEVOERDER})),
    EventKind.FOA_VASTGELEGD: ("referrals.record_care", frozenset({Role.REGIEVOERDER})),
    EventKind.JW315_BEANTWOORD: ("messaging.answer_request", frozenset({Role.BACKOFFICE})),
    EventKind.JW315_IN_ONDERZOEK: ("messaging.answer_request", frozenset({Role.BACKOFFICE})),
    EventKind.JW317_BEANTWOORD: ("messaging.answer_request", frozenset({Role.BACKOFFICE})),
    EventKind.JW317_IN_ONDERZOEK: ("messaging.answer_request", frozenset({Role.BACKOFFICE})),
    # The retour on a JW305/JW307 is the receiving gemeente's; the system makes it on receipt.
    EventKind.RETOUR_VERZONDEN: ("messaging.import_message", frozenset({Role.BACKOFFICE})),
    EventKind.JW305_VERZONDEN: ("messaging.send_request", frozenset({Role.REGIEVOERDER, Role.AANMELDPUNT})),
    EventKind.JW307_VERZONDEN: ("messaging.send_request", frozenset({Role.REGIEVOERDER, Role.AANMELDPUNT})),
}


def who_can_meet(rule) -> frozenset[str]:
    return frozenset().union(*(WHO_MEETS.get(kind, ("", frozenset()))[1] for kind in rule.meeting_events))


def warned_who_can_meet(rule, kind: str) -> frozenset[str]:
    """Of the people the rule warns (before: 'reminder', after: 'breach'), those who can meet it."""
    return who_can_meet(rule) & frozenset(rule.warned(kind))
