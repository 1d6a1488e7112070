"""The gemeente assigns on a GI's bepaling: a JW301 without a JW315 (another GI than JBB, Leger des Heils
or William Schrikker Groep) [HvB-STAP]."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from referrals.dates import nl_date
from referrals.models import EventKind, GiBepaling
from referrals.services import record_event

from .. import builders, from_case, guards
from ..builders import MessageRefused
from ..data import Omvang, Product, ToegewezenProduct
from ..models import Message, MessageState, SenderCounter
from .base import next_identificatie, require, store, transition, visible_case
from .receiving import deliver


def assign_on_gi_bepaling(*, actor: User, bepaling: GiBepaling, commentaar: str = "") -> Message:
    """The backoffice sends the JW301 on the bepaling: the product it names, from its date to its end date,
    to the provider that delivers the care (the case's regievoerende organisatie)."""
    require(actor, "messaging.answer_request")
    case = visible_case(actor, bepaling.case)
    with transaction.atomic():
        bepaling = GiBepaling.objects.select_for_update().get(pk=bepaling.pk)
        if reasons := guards.bepaling_refusals(case):
            raise MessageRefused(reasons)
        if bepaling.toewijzing_bericht is not None:
            raise MessageRefused(["Op deze bepaling is al een toewijzing (JW301) verzonden."])
        now = timezone.localtime()
        gemeente = case.gemeente.cbs_code
        line = ToegewezenProduct(
            toewijzing_nummer=SenderCounter.next_number(f"TW{gemeente}"),
            toewijzingsdatum=now.date(),
            toewijzingstijd=now.time().replace(microsecond=0, tzinfo=None),
            ingangsdatum=bepaling.bepaald_op,
            product=Product(bepaling.categorie, bepaling.product_code),
            einddatum=bepaling.einddatum,
            omvang=Omvang(bepaling.volume, bepaling.eenheid, bepaling.frequentie)
            if bepaling.volume is not None
            else None,
            commentaar=" ".join(commentaar.split()),
        )
        assignment = from_case.assignment_from_case(
            case,
            producten=[line],
            identificatie=next_identificatie(gemeente),
            dagtekening=now.date(),
            aanbieder=case.regie_organisatie,
        )
        jw301 = store(
            builders.build_jw301(assignment),
            actor=actor,
            case=case,
            summary=f"Toegewezen op GI-bepaling: {line.toewijzing_nummer}",
        )
        transition(jw301, MessageState.VERZONDEN, actor=actor, reason="Verzonden naar de aanbieder.")
        bepaling.toewijzing_bericht = jw301.public_id
        bepaling.save(update_fields=["toewijzing_bericht"])
        record_event(
            case,
            EventKind.TOEWIJZING_OP_BEPALING,
            actor,
            reason=(
                f"Toewijzing (JW301 {jw301.identificatie}) op de bepaling van {bepaling.gi_naam} van "
                f"{nl_date(bepaling.bepaald_op)}"
            ),
            payload={"bepaling": str(bepaling.public_id), "bericht": str(jw301.public_id)},
        )
        deliver(jw301, actor=None)
    jw301.refresh_from_db()
    return jw301
