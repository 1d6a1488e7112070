"""Use cases of coordination, consent, sharing and escalation. The only place that changes them.

Each service checks the actor's permission, validates its input (ValidationError with a Dutch message per
field, nothing stored), runs in one transaction with the case row locked, and writes its timeline event
through `referrals.services.record_event`. A level transition that is not allowed raises TransitionRefused
with the Dutch reasons; a change on a level the user did not see raises StaleCase.

One module per part of the process: the level machine (`level`), who coordinates (`assignments`), consent
and sharing (`consent`), escalation (`escalations`).
"""

from .assignments import assign_coordinator, assign_default_coordinator, request_coordination
from .common import NO_RIGHTS
from .consent import record_consent, share_documents, withdraw_consent
from .escalations import (
    open_escalation,
    record_escalation_commitment,
    record_escalation_step,
    record_escalation_talk,
)
from .level import JointDecision, afschalen, afsluiten, opschalen, vaststellen

__all__ = [
    "NO_RIGHTS",
    "JointDecision",
    "afschalen",
    "afsluiten",
    "assign_coordinator",
    "assign_default_coordinator",
    "open_escalation",
    "opschalen",
    "record_consent",
    "record_escalation_commitment",
    "record_escalation_step",
    "record_escalation_talk",
    "request_coordination",
    "share_documents",
    "vaststellen",
    "withdraw_consent",
]
