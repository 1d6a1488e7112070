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


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.TOEGANG_MEDEWERKER: frozenset(
        {
            "referrals.register_case",
            "referrals.aanmelden",
            "referrals.record_phone_consultation",
            "referrals.edit_ipva",
            "referrals.upload_document",
            "referrals.view_full_bsn",
        }
    ),
    Role.GEDRAGSWETENSCHAPPER: frozenset(),
    Role.AANMELDPUNT: frozenset(
        {
            "referrals.register_case",
            "referrals.aanmelden",
            "referrals.plan_aanmeldgesprek",
            "referrals.record_aanmeldgesprek",
            "referrals.record_aanmeldtafel_advies",
            "referrals.start_hulpverlening",
            "referrals.terugverwijzen",
            "referrals.voortijdig_beeindigen",
            "referrals.upload_document",
            "referrals.view_full_bsn",
        }
    ),
    Role.REGIEVOERDER: frozenset(
        {
            "referrals.record_zorg_gestart",
            "referrals.voortijdig_beeindigen",
            "referrals.upload_document",
            "referrals.view_full_bsn",
        }
    ),
    Role.MANAGER_CROSSROADS: frozenset(),
    Role.MANAGER_GEMEENTE: frozenset(),
    Role.BACKOFFICE: frozenset({"referrals.view_full_bsn"}),
    # Configuration, not case content: organisations (with their contact directory) and accounts.
    Role.FUNCTIONEEL_BEHEERDER: frozenset(
        {
            "accounts.view_organisation",
            "accounts.add_organisation",
            "accounts.change_organisation",
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
        }
    ),
}


def role_label(role: str) -> str:
    return Role(role).label if role in Role.values else ""
