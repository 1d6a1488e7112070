"""Coordination data for the demo (called at the end of `manage.py load_demo`, inside its transaction).

Every Toegang referral that was aangemeld already has its verwijzer as coördinator licht. On top of that,
through the real services: one case jointly scaled up to zwaar (with consent and the IPVA shared), one case
whose level the Toegang set with the gedragswetenschapper, an escalation waiting for its talk and one waiting
for its commitment, and an overgangscliënt in Tilburg for which Crossroads asked the Toegang to coordinate.
"""

from datetime import date, datetime, time, timedelta

import time_machine
from django.utils import timezone

from accounts.models import Organisation, User
from referrals import services as case_services
from referrals.bsn import valid_bsns
from referrals.models import Case

from . import services


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _toegang_case(gemeente: str, partner: str, phase: str) -> Case | None:
    return (
        Case.objects.filter(
            route="toegang", phase=phase, gemeente__name=f"Gemeente {gemeente}", regie_organisatie__name=partner
        )
        .order_by("-aanmelddatum", "-pk")
        .first()
    )


def load(users: dict[str, User]) -> None:
    today = timezone.localdate()
    ap, gw = users["aanmeldpunt"], users["gw.tilburg"]

    # Zwaar: the coördinator, the gedragswetenschapper and the regievoerder decided together to scale up.
    zwaar = _toegang_case("Tilburg", "Sterk Huis", "hulpverlenend")
    if zwaar is not None:
        coordinator = zwaar.coordinator
        day = max(today - timedelta(days=6), zwaar.aanmelddatum)
        with time_machine.travel(_at(day, 11), tick=False):
            services.record_consent(
                actor=coordinator, case=zwaar, subject="ipva_delen", given_by="ouders_en_jeugdige", given_on=day
            )
            services.share_documents(actor=coordinator, case=zwaar, subject="ipva_delen")
        with time_machine.travel(_at(today - timedelta(days=2), 15), tick=False):
            services.opschalen(
                actor=coordinator,
                case=zwaar,
                expected_level="licht",
                decision=services.JointDecision(
                    decided_on=today - timedelta(days=2),
                    met_coordinator=True,
                    met_gedragswetenschapper=True,
                    met_regievoerder=True,
                    redenen=["veiligheidsrisico", "domeinoverstijgend"],
                    toelichting="Melding van de school over onveiligheid thuis; schuldhulp en huisvesting nodig.",
                ),
            )
            escalation = services.open_escalation(
                actor=users["regie.sterkhuis"],
                case=zwaar,
                kind="inhoud",
                topic="geadviseerde_zorg",
                description="De coördinator wil een uithuisplaatsing onderzoeken; Sterk Huis ziet meer in "
                "intensieve ambulante hulp thuis.",
                ret_criteria=["uithuisplaatsing", "meerdere_aanbieders"],
            )
        with time_machine.travel(_at(today - timedelta(days=1), 16), tick=False):
            services.record_escalation_talk(
                actor=coordinator,
                case=zwaar,
                escalation_id=escalation.pk,
                held_on=today - timedelta(days=1),
                participants="Teamleider Toegang Tilburg en manager zorg Sterk Huis",
                summary="Beide lijnen zien de zorgen; het RET wordt gevraagd mee te kijken.",
            )

    # A process escalation on a case in care in Waalwijk, waiting for the talk in the hierarchical lines.
    waalwijk = _toegang_case("Waalwijk", "Amarant", "hulpverlenend")
    if waalwijk is not None:
        with time_machine.travel(_at(today - timedelta(days=3), 10), tick=False):
            services.record_consent(
                actor=users["regie.amarant"],
                case=waalwijk,
                subject="wat_advies_delen",
                given_by="ouders_en_jeugdige",
                given_on=today - timedelta(days=3),
            )
            services.open_escalation(
                actor=users["regie.amarant"],
                case=waalwijk,
                kind="proces",
                topic="afspraken",
                description="De afgesproken schuldhulp is na vier weken nog niet gestart.",
            )

    # In the aanmeldfase in Tilburg: the Toegang set the level licht with the gedragswetenschapper and Crossroads.
    aanmeld = (
        Case.objects.filter(route="toegang", phase="aanmeld", gemeente__name="Gemeente Tilburg", urgent=True)
        .order_by("pk")
        .first()
    )
    if aanmeld is not None:
        services.vaststellen(
            actor=gw,
            case=aanmeld,
            level="licht",
            expected_level="licht",
            decision=services.JointDecision(
                decided_on=today,
                met_gedragswetenschapper=True,
                met_crossroads=True,
                toelichting="Licht: de verwijzer volgt op afstand; vastgelegd in het IPVA.",
            ),
        )

    # An overgangscliënt in Tilburg: Crossroads asked the Toegang to coordinate; no coördinator yet.
    with time_machine.travel(_at(today - timedelta(days=4), 9), tick=False):
        born = today.replace(year=today.year - 16) - timedelta(days=70)
        (case,) = case_services.register_case(
            actor=ap,
            gezin_naam="Kramer",
            jeugdigen=[
                case_services.JeugdigeInput(
                    bsn_status="normaal",
                    bsn=next(
                        bsn for bsn in valid_bsns(333444550) if not Case.objects.filter(jeugdige__bsn=bsn).exists()
                    ),
                    voornaam="Sanne",
                    tussenvoegsel="",
                    achternaam="Kramer",
                    geboortedatum=born,
                    geslacht="2",
                    segment="1",
                )
            ],
            gemeente=Organisation.objects.get(name="Gemeente Tilburg"),
            route="overgangsclient",
            verwijzer_type="gemeente",
            verwijzer_naam="Toegang Tilburg",
            hulpvraag="Overgang uit de behandeling van een andere regio; veel wisselingen in zorg.",
        )
        case_services.aanmelden(actor=ap, case=case, aanmelddatum=today - timedelta(days=4))
    with time_machine.travel(_at(today - timedelta(days=1), 11), tick=False):
        services.request_coordination(
            actor=ap, case=Case.objects.get(pk=case.pk), given_by="jeugdige", given_on=today - timedelta(days=1)
        )
