"""A few messages in the demo: one request granted (with its start of care reported), one refused,
one waiting in Tilburg's inbox. Called at the end of `load_demo`, through the real services."""

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
    refused = request(cases[1], volume=40)
    services.refuse_jw315(actor=backoffice, message=refused, data=services.RefuseInput(verzoek_antwoord="1", reden="4"))
    request(cases[2], volume=3)
    return 3
