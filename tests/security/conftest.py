"""Two organisations side by side: every role on the Tilburg / Sterk Huis side, and a case of each side.

"Own case": a case of Tilburg in care with Sterk Huis as regievoerder, with a document.
"Other case": a case of Waalwijk in care with Amarant, with a document; only the coalition-wide roles
(aanmeldpunt, manager Crossroads) have any business with it.
"""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from referrals import services
from referrals.models import Case, CaseDocument
from tests import factories
from tests.factories import build_case
from tests.helpers import ALL_ROLES, FAST_HASHERS, NOW

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass
class World:
    users: dict[str, User]
    own: Case
    other: Case
    own_document: CaseDocument
    other_document: CaseDocument


@pytest.fixture(autouse=True)
def _fixed_clock_and_fast_users(time_machine, settings, tmp_path):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path


def user_for(role: str, *, tilburg, sterk_huis) -> User:
    if role in ("toegang_medewerker", "gedragswetenschapper"):
        org = factories.toegang_team(tilburg)
    elif role == "regievoerder":
        org = sterk_huis
    elif role in ("manager_gemeente", "backoffice"):
        org = tilburg
    else:  # aanmeldpunt, manager_crossroads, functioneel_beheerder, privacy_officer
        org = factories.crossroads()
    return factories.UserFactory(
        role=role, organisation=org, username=role.replace("_", "."), is_staff=role == "functioneel_beheerder"
    )


def add_document(case: Case, actor: User, title: str) -> CaseDocument:
    return services.store_document(
        actor=actor, case=case, kind="overig", title=title, uploaded_file=SimpleUploadedFile("verslag.pdf", PDF)
    )


@pytest.fixture
def world(tilburg, waalwijk, sterk_huis) -> World:
    amarant = factories.partner("Amarant", "80000303")
    users = {role: user_for(role, tilburg=tilburg, sterk_huis=sterk_huis) for role in ALL_ROLES}
    toegang_waalwijk = factories.UserFactory(role="toegang_medewerker", organisation=factories.toegang_team(waalwijk))
    ap = users["aanmeldpunt"]
    own = build_case(
        stage="hulpverlenend",
        toegang_user=users["toegang_medewerker"],
        aanmeldpunt_user=ap,
        partner_org=sterk_huis,
        voornaam="Eigen",
        achternaam="Tilburger",
    )
    other = build_case(
        stage="hulpverlenend",
        toegang_user=toegang_waalwijk,
        aanmeldpunt_user=ap,
        partner_org=amarant,
        voornaam="Ander",
        achternaam="Waalwijker",
    )
    return World(
        users=users,
        own=own,
        other=other,
        own_document=add_document(own, ap, "Verslag eigen"),
        other_document=add_document(other, ap, "Verslag ander"),
    )
