"""Roles and what each role may do.

A role's permissions are code, not rows: the RoleBackend answers `user.has_perm("referrals.x")`
from this table without a query. Which *cases* a user may see is a separate question, answered
by the selectors (organisation and role -> queryset filter) and django-guardian grants.
"""

from django.db import models


class Role(models.TextChoices):
    TOEGANG_MEDEWERKER = "toegang_medewerker", "Toegang medewerker"
    GEDRAGSWETENSCHAPPER = "gedragswetenschapper", "Gedragswetenschapper Toegang"
    AANMELDPUNT = "aanmeldpunt", "Crossroads aanmeldpunt"
    REGIEVOERDER = "regievoerder", "Regievoerder"
    MANAGER_CROSSROADS = "manager_crossroads", "Manager Crossroads"
    MANAGER_GEMEENTE = "manager_gemeente", "Manager gemeente"
    BACKOFFICE = "backoffice", "Backoffice gemeente"
    FUNCTIONEEL_BEHEERDER = "functioneel_beheerder", "Functioneel beheerder"


class OversightRole(models.TextChoices):
    """Roles that watch over the chain without a part in it: never warned about deadlines, no case content."""

    PRIVACY_OFFICER = "privacy_officer", "Privacyfunctionaris"


# Every role a user can have.
ROLE_CHOICES = [*Role.choices, *OversightRole.choices]
ROLE_LABELS = dict(ROLE_CHOICES)


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.TOEGANG_MEDEWERKER: frozenset(
        {
            "referrals.register_case",
            "referrals.correct_jeugdige",
            "referrals.aanmelden",
            "referrals.record_phone_consultation",
            "referrals.edit_ipva",
            "referrals.upload_document",
            "referrals.view_full_bsn",
            # As coördinator of a case (checked per case by referrals.guards.is_coordinator).
            "referrals.crisis_melden",
            "referrals.crisis_afsluiten",
            "referrals.record_substitution",
            # Coordination (coordination app): the coördinator is a Toegang worker.
            "coordination.toewijzen",
            "coordination.vaststellen",
            "coordination.opschalen",
            "coordination.afschalen",
            "coordination.afsluiten",
            "coordination.record_consent",
            "coordination.delen",
            "coordination.escaleren",
        }
    ),
    Role.GEDRAGSWETENSCHAPPER: frozenset({"coordination.toewijzen", "coordination.vaststellen"}),
    Role.AANMELDPUNT: frozenset(
        {
            "referrals.register_case",
            "referrals.correct_jeugdige",
            "referrals.aanmelden",
            "referrals.plan_aanmeldgesprek",
            "referrals.record_aanmeldgesprek",
            "referrals.record_aanmeldtafel_advies",
            "referrals.start_hulpverlening",
            "referrals.terugverwijzen",
            "referrals.voortijdig_beeindigen",
            "referrals.upload_document",
            "referrals.view_full_bsn",
            "referrals.assign_regievoerder",
            "referrals.crisis_melden",
            "referrals.record_substitution",
            "referrals.record_beschikking",
            "referrals.record_gi_bepaling",
            *("messaging.send_request", "messaging.import_message", "messaging.record_manual_toewijzing"),
            "messaging.view_traffic",
            "coordination.aanvragen",
            "coordination.record_consent",
            "coordination.delen",
            "coordination.escaleren",
        }
    ),
    Role.REGIEVOERDER: frozenset(
        {
            "referrals.record_zorg_gestart",
            "referrals.voortijdig_beeindigen",
            "referrals.record_care",
            "referrals.assign_regievoerder",
            "referrals.record_substitution",
            "referrals.crisis_melden",
            "referrals.afronding_starten",
            "referrals.hervatten",
            "referrals.afsluiten",
            "referrals.upload_document",
            "referrals.view_full_bsn",
            *("messaging.send_request", "messaging.import_message", "messaging.record_manual_toewijzing"),
            "messaging.view_traffic",
            "coordination.aanvragen",
            "coordination.record_consent",
            "coordination.delen",
            "coordination.escaleren",
        }
    ),
    Role.MANAGER_CROSSROADS: frozenset(),
    Role.MANAGER_GEMEENTE: frozenset(),
    Role.BACKOFFICE: frozenset(
        {
            "referrals.view_full_bsn",
            "referrals.record_gi_bepaling",
            "messaging.answer_request",
            "messaging.import_message",
            "messaging.view_traffic",
        }
    ),
    # Configuration, not case content: organisations (with their contact directory), accounts and deadline rules.
    Role.FUNCTIONEEL_BEHEERDER: frozenset(
        {
            "accounts.view_organisation",
            "accounts.add_organisation",
            "accounts.change_organisation",
            "accounts.view_escalationcontact",
            "accounts.add_escalationcontact",
            "accounts.change_escalationcontact",
            "accounts.delete_escalationcontact",
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            # The region's deadline rules (DOMAIN.md section 6), each change kept with its reason.
            "deadlines.view_deadlinerule",
            "deadlines.add_deadlinerule",
            "deadlines.change_deadlinerule",
            "deadlines.view_deadlinerulechange",
            # A lost phone: remove the account's authenticator app so that it links a new one.
            "otp_totp.view_totpdevice",
            "otp_totp.delete_totpdevice",
        }
    ),
    # The access log, not case content: who looked at which file (per person, per case, AVG inzage).
    OversightRole.PRIVACY_OFFICER: frozenset({"accounts.view_accesslog"}),
}


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, "")
