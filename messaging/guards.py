"""Who may do what with a case's iJw messages, and when a case goes the manual route. Plain reads, no
state changes: the pages ask here what to offer, the services ask here before they act.

The manual route: without a usable BSN (geen BSN, ongeboren, geheim BSN) there is no iJw message traffic
at all; the toewijzing is agreed by hand with the gemeente and recorded (DOMAIN.md section 8).
"""

from accounts.models import User
from accounts.roles import Role
from referrals.models import BsnStatus, Case

from .selectors import CaseTraffic


def manual_route(case: Case) -> bool:
    """The case goes the manual route: its youth has no usable BSN, so no JW315/JW301 traffic."""
    return case.jeugdige.bsn_status != BsnStatus.NORMAAL


def is_regie_party(user: User, case: Case) -> bool:
    """A regievoerder acts on a case's messages only for the case's regievoerende organisatie."""
    return user.role != Role.REGIEVOERDER or case.regie_organisatie_id == user.organisation_id


def may_send(user: User, case: Case) -> bool:
    """The user may make and send messages (JW315, JW305, JW307) for this open case."""
    return user.has_perm("messaging.send_request") and case.is_open and is_regie_party(user, case)


def message_permissions(user: User, case: Case, traffic: CaseTraffic) -> dict[str, bool]:
    """What the case's message page offers the user: {"jw315", "start", "stop", "manual", "import": bool}.
    `traffic` is the case's `selectors.case_traffic`."""
    sending = may_send(user, case)
    manual = manual_route(case)
    # The stop is reported within 5 working days after the care stopped, which is often the closing itself
    # [iJw OP288]: also on a closed case.
    stopping = user.has_perm("messaging.send_request") and is_regie_party(user, case)
    return {
        "jw315": sending and not manual and case.regie_organisatie_id is not None,
        "start": sending and any(not t.started and t.source == "jw301" for t in traffic.toewijzingen),
        "stop": stopping and any(t.started for t in traffic.toewijzingen),
        "manual": manual and user.has_perm("messaging.record_manual_toewijzing") and case.is_open,
        "import": user.has_perm("messaging.import_message"),
    }
