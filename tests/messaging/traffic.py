"""Shared set-up for the message traffic tests: a case in care, the people on both sides, quick inputs."""

from datetime import timedelta

from django.utils import timezone

from messaging import services
from tests import factories
from tests.factories import build_case

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
