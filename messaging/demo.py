"""A few messages in the demo, at least one of every message type we support: one request granted (with its
start of care reported, and a verzoek om wijziging that extends it, granted), one refused, one waiting in
Tilburg's inbox, and one product granted, started and stopped. Called at the end of `load_demo`, through the
real services."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from referrals.models import BsnStatus, Case, Phase

from . import services


def load_demo_messages(users: dict[str, User]) -> int:
    aanmeldpunt, backoffice = users["aanmeldpunt"], users["backoffice.tilburg"]
    today = timezone.localdate()
    cases = list(
        Case.objects.filter(
            phase=Phase.HULPVERLENEND, jeugdige__bsn_status=BsnStatus.NORMAAL, regie_organisatie__isnull=False
        )
        .exclude(jeugdige__postcode="")
        .select_related("jeugdige", "gemeente", "regie_organisatie")
        .order_by("pk")
    )
    if len(cases) < 3:
        return 0
    cases.sort(key=lambda c: c.zorg_gestart_op is None)  # the granted one also gets its start reported

    def request(case, **kw):
        data = services.RequestInput(
            categorie=kw.get("categorie", "45"),
            product_code=kw.get("code", "45A01"),
            volume=kw.get("volume", 6),
            eenheid="04",
            frequentie="2",
            ingangsdatum=today - timedelta(days=kw.get("days_ago", 0)),
            einddatum=today + timedelta(days=180),
        )
        message = services.create_jw315(actor=aanmeldpunt, case=case, data=data)
        return services.send_message(actor=aanmeldpunt, message=message)

    granted = request(cases[0], days_ago=10)
    services.accept_jw315(
        actor=backoffice,
        message=granted,
        data=services.AcceptInput(ingangsdatum=today - timedelta(days=10), einddatum=today + timedelta(days=180)),
    )
    if cases[0].zorg_gestart_op:
        toewijzing = cases[0].toewijzingen.first()
        regie = User.objects.filter(role="regievoerder", organisation=cases[0].regie_organisatie).first()
        begin = max(cases[0].zorg_gestart_op, toewijzing.ingangsdatum)
        if regie is not None and begin <= today:
            services.send_jw305(actor=regie, case=cases[0], toewijzing=toewijzing, begindatum=begin)
    toewijzing = cases[0].toewijzingen.order_by("pk").first()
    wijziging = services.create_jw317(
        actor=aanmeldpunt,
        case=cases[0],
        data=services.WijzigingInput(
            reden="2",
            wijzigingen=[
                services.Wijziging(
                    toewijzing=toewijzing,
                    wijzigen=True,
                    ingangsdatum=toewijzing.ingangsdatum,
                    einddatum=toewijzing.einddatum + timedelta(days=90),
                )
            ],
        ),
    )
    wijziging = services.send_message(actor=aanmeldpunt, message=wijziging)
    services.accept_jw317(actor=backoffice, message=wijziging)
    refused = request(cases[1], volume=40)
    services.refuse_jw315(actor=backoffice, message=refused, data=services.RefuseInput(verzoek_antwoord="1", reden="4"))
    request(cases[2], volume=3)
    _started_and_stopped(cases[3] if len(cases) > 3 else cases[0], aanmeldpunt, backoffice, request)
    return 3


def _started_and_stopped(case: Case, aanmeldpunt: User, backoffice: User, request) -> None:
    """A product granted 60 days ago, started 55 days ago and stopped yesterday as planned (JW305, JW307)."""
    today = timezone.localdate()
    asked = request(case, categorie="45", code="45A02", volume=2, days_ago=60)
    services.accept_jw315(
        actor=backoffice,
        message=asked,
        data=services.AcceptInput(ingangsdatum=today - timedelta(days=60), einddatum=today + timedelta(days=30)),
    )
    toewijzing = case.toewijzingen.order_by("-pk").first()
    services.send_jw305(actor=aanmeldpunt, case=case, toewijzing=toewijzing, begindatum=today - timedelta(days=55))
    services.send_jw307(
        actor=aanmeldpunt, case=case, toewijzing=toewijzing, einddatum=today - timedelta(days=1), reden="31"
    )
