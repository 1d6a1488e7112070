"""Shared set-up for the message traffic tests: a case in care, the people on both sides, quick inputs."""

import itertools
from datetime import timedelta

from django.utils import timezone

from messaging import services
from tests import factories
from tests.factories import build_case

RETOUR_NUMBERS = itertools.count(770000000001)
ADRES = {"straat": "Stationsstraat", "huisnummer": "12a", "postcode": "5038 AB", "woonplaats": "Tilburg"}


def request_input(**kw) -> services.RequestInput:
    today = timezone.localdate()
    values = {
        "categorie": "45",
        "product_code": "45A01",
        "volume": 4,
        "eenheid": "04",
        "frequentie": "2",
        "ingangsdatum": today,
        "einddatum": today + timedelta(days=180),
    }
    values.update(kw)
    return services.RequestInput(**values)


class Parties:
    """Tilburg (gastheergemeente) with its backoffice; Crossroads' aanmeldpunt; Sterk Huis with a regievoerder."""

    def __init__(self):
        self.tilburg = factories.gemeente("Tilburg", "0855")
        self.waalwijk = factories.gemeente("Waalwijk", "0867")
        self.sterk_huis = factories.partner("Sterk Huis", "80000101")
        self.aanmeldpunt = factories.UserFactory(role="aanmeldpunt", organisation=factories.crossroads())
        self.regievoerder = factories.UserFactory(role="regievoerder", organisation=self.sterk_huis)
        self.backoffice = factories.UserFactory(role="backoffice", organisation=self.tilburg)
        self.backoffice_waalwijk = factories.UserFactory(role="backoffice", organisation=self.waalwijk)
        self.toegang = factories.UserFactory(
            role="toegang_medewerker", organisation=factories.toegang_team(self.tilburg)
        )

    def case(self, *, gemeente=None, **kw):
        toegang = self.toegang
        if gemeente is not None and gemeente != self.tilburg:
            toegang = factories.UserFactory(role="toegang_medewerker", organisation=factories.toegang_team(gemeente))
        youth = {**ADRES, **kw}
        return build_case(
            stage="hulpverlenend",
            toegang_user=toegang,
            aanmeldpunt_user=self.aanmeldpunt,
            partner_org=self.sterk_huis,
            **youth,
        )

    def sent_request(self, case, **kw):
        message = services.create_jw315(actor=self.aanmeldpunt, case=case, data=request_input(**kw))
        return services.send_message(actor=self.aanmeldpunt, message=message)

    def granted(self, case, **kw):
        jw315 = self.sent_request(case, **kw)
        today = timezone.localdate()
        jw301 = services.accept_jw315(
            actor=self.backoffice,
            message=jw315,
            data=services.AcceptInput(ingangsdatum=today, einddatum=today + timedelta(days=180)),
        )
        return jw315, jw301


def refused_request(parties, case, *, codes=("S329",), on="AangevraagdProduct", **kw):
    """A JW315 sent out through the national traffic and refused by the gemeente's JW316, imported by the
    aanmeldpunt: `codes` on the AangevraagdProduct (or on="Header")."""
    from messaging.builders import build_retour, to_bytes
    from messaging.models import MessageState
    from messaging.parsing import parse_xml
    from messaging.services.base import transition

    jw315 = services.create_jw315(actor=parties.aanmeldpunt, case=case, data=request_input(**kw))
    transition(jw315, MessageState.VERZONDEN, actor=parties.aanmeldpunt)
    heen = parse_xml(jw315.data)
    if on == "Header":
        retour = build_retour(
            heen,
            identificatie=f"{next(RETOUR_NUMBERS):012d}",
            dagtekening=timezone.localdate(),
            header_codes=list(codes),
        )
    else:
        (line,) = heen.xpath(f"//*[local-name()='{on}']")
        retour = build_retour(
            heen,
            identificatie=f"{next(RETOUR_NUMBERS):012d}",
            dagtekening=timezone.localdate(),
            class_codes={line: list(codes)},
        )
    services.import_message(actor=parties.aanmeldpunt, data=to_bytes(retour))
    jw315.refresh_from_db()
    return jw315
