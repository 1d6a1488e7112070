"""Who may do what with a case's iJw messages, and when a case goes the manual route. Plain reads, no
state changes: the pages ask here what to offer, the services ask here before they act.

The manual route: without a usable BSN (geen BSN, ongeboren, geheim BSN) there is no iJw message traffic
at all; the toewijzing is agreed by hand with the gemeente and recorded (DOMAIN.md section 8).
"""

from django.db.models import QuerySet

from accounts.models import Organisation, OrganisationKind, User, is_gastheergemeente
from accounts.roles import Role
from referrals.models import BsnStatus, Case, Route, VerwijzerType

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


# Another GI than JBB, Leger des Heils or William Schrikker Groep sends its bepaling to provider and gemeente;
# the gemeente sends a JW301 without a JW315 [HvB-STAP].
NO_JW315_ON_GI_ANDERS = (
    "Bij een andere GI dan JBB, Leger des Heils of William Schrikker Groep stuurt de aanbieder geen verzoek om "
    "toewijzing (JW315): de GI stuurt haar bepaling naar aanbieder en gemeente, en de gemeente wijst toe met "
    "een JW301 op die bepaling."
)


def jw315_refusal(case: Case) -> str:
    """Why the case's route has no JW315, in Dutch; '' when it has one."""
    return NO_JW315_ON_GI_ANDERS if case.verwijzer_type == VerwijzerType.GI_ANDERS else ""


def bepaling_refusals(case: Case) -> list[str]:
    """Why the gemeente cannot assign on a GI's bepaling of this case, in Dutch; [] when it can."""
    reasons = []
    if case.route != Route.GI or case.verwijzer_type != VerwijzerType.GI_ANDERS:
        reasons.append(
            "Alleen bij een andere GI dan JBB, Leger des Heils of William Schrikker Groep wijst de gemeente toe op "
            "de bepaling; bij deze GI vraagt de aanbieder de toewijzing aan met een JW315."
        )
    if manual_route(case):
        reasons.append("Deze jeugdige heeft geen bruikbaar BSN: de toewijzing wordt handmatig afgesproken.")
    if not case.is_open:
        reasons.append("De casus is niet meer open.")
    if case.regie_organisatie is None or not case.regie_organisatie.agb_code:
        reasons.append(
            "Er is nog geen regievoerende aanbieder met een AGB-code: de toewijzing gaat naar de aanbieder die de "
            "jeugdhulp levert. Wacht tot de hulpverlening is gestart."
        )
    return reasons


def may_assign_on_bepaling(user: User, case: Case) -> bool:
    """The gemeente's backoffice may make the JW301 on a GI's bepaling of this case."""
    return user.has_perm("messaging.answer_request") and not bepaling_refusals(case)


def lta_provider(case: Case) -> Organisation | None:
    """The provider that delivers LTA on an LTA-route case: the case records no other provider, so it is
    the partner the aanmeldtafel made regievoerder (the case's regievoerende organisatie), ADR 0019."""
    return case.regie_organisatie if case.route == Route.LTA else None


def jw315_senders(case: Case) -> QuerySet[Organisation]:
    """Who may be the sender (Afzender) of a case's JW315. On the LTA route only the LTA provider, with
    verwijzer gemeente [HvB-S1]; otherwise the regievoerende partner, or for Jeugdzorgplus (43A12) one of
    its three providers [HvB-STAP]."""
    own = Organisation.objects.filter(pk=case.regie_organisatie_id) if case.regie_organisatie_id else None
    if case.route == Route.LTA:
        return own if own is not None else Organisation.objects.none()
    jeugdzorgplus = Organisation.objects.filter(kind=OrganisationKind.JEUGDZORGPLUS)
    return (own | jeugdzorgplus) if own is not None else jeugdzorgplus


def message_permissions(user: User, case: Case, traffic: CaseTraffic) -> dict[str, bool]:
    """What the case's message page offers the user: {"jw315", "correct", "start", "stop", "manual", "import",
    "bepaling": bool}.
    `traffic` is the case's `selectors.case_traffic`."""
    sending = may_send(user, case)
    manual = manual_route(case)
    # The stop is reported within 5 working days after the care stopped, which is often the closing itself
    # [iJw OP288]: also on a closed case.
    stopping = user.has_perm("messaging.send_request") and is_regie_party(user, case)
    return {
        "jw315": sending and not manual and case.regie_organisatie_id is not None and not jw315_refusal(case),
        # A refused JW315 of the case corrected and sent again (ADR 0024); which one, the row says.
        "correct": sending and not manual and not jw315_refusal(case),
        "start": sending and any(not t.started and t.source == "jw301" for t in traffic.toewijzingen),
        "stop": stopping and any(t.started for t in traffic.toewijzingen),
        "manual": manual and user.has_perm("messaging.record_manual_toewijzing") and case.is_open,
        "import": user.has_perm("messaging.import_message"),
        "bepaling": may_assign_on_bepaling(user, case),
        **{f"lopend_{k}": v for k, v in lopende_toewijzing_permissions(user, case).items()},
    }


# --- A running toewijzing in segment 2 to 4 [HvB-S1] ---------------------------------------------------------


def handles_gemeente(user: User, case: Case) -> bool:
    """The user is the backoffice of the case's gemeente, or of the gastheergemeente (Tilburg), through which
    all iJw messages of the region run."""
    if user.role != Role.BACKOFFICE or user.organisation is None:
        return False
    return user.organisation_id == case.gemeente_id or is_gastheergemeente(user.organisation)


def may_record_lopende_toewijzing(user: User, case: Case) -> bool:
    """The aanmeldpunt, the case's regievoerder or the gemeente's backoffice records that the youth still has a
    running toewijzing in segment 2 to 4, at any open phase of the case."""
    if not case.is_open:
        return False
    if user.role == Role.AANMELDPUNT:
        return True
    if user.role == Role.REGIEVOERDER:
        return case.regie_organisatie_id == user.organisation_id
    return handles_gemeente(user, case)


def may_end_lopende_toewijzing(user: User, case: Case) -> bool:
    """Only the gemeente that assigned it ends a running toewijzing, through its backoffice (or the
    gastheergemeente's); also after the case closed, for a toewijzing must not run on."""
    return handles_gemeente(user, case)


def lopende_toewijzing_permissions(user: User, case: Case) -> dict[str, bool]:
    """What the case's message page offers about running toewijzingen: {"record", "end": bool}."""
    return {"record": may_record_lopende_toewijzing(user, case), "end": may_end_lopende_toewijzing(user, case)}
