"""The verzoek om wijziging (VOW): the provider asks to change its current toewijzingen (JW317); the gemeente
grants it with a JW301 that carries all current toewijzingen for the youth and provider (OP087), or answers
with a JW319 (afgewezen, or in onderzoek). For a VOW the decision covers the whole request (OP344).

How a granted change is recorded (OP033x1, IV066; docs/decisions/0022-verzoek-om-wijziging.md):
- a new einddatum, a new budget, or a new volume with frequentie 6 (totaal): the same toewijzing (same
  ToewijzingNummer) with RedenWijziging 12, its row updated;
- any other change of the omvang: the current toewijzing ends the day before the gewenste ingangsdatum
  (or is deleted, reden 13, when the change counts from its own ingangsdatum) and a new toewijzing with a
  new ToewijzingNummer starts on the gewenste ingangsdatum.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from referrals.dates import nl_date
from referrals.models import Case, EventKind
from referrals.services import record_event

from .. import builders, from_case, guards
from ..data import BerichtHeader, NieuwProduct, Omvang, Product, TeWijzigenProduct, ToegewezenProduct
from ..data import VerzoekOmWijziging as Vow
from ..models import Message, SenderCounter, Toewijzing
from ..parsing import parse_jw317, parse_xml
from ..selectors import current_toewijzingen, pending_requests
from .answering import (
    RefuseInput,
    answerable,
    antwoord_summary,
    antwoordbericht,
    check_refuse_input,
    refuse_in_onderzoek_once,
    send_answer,
)
from .base import ProductInput, next_identificatie, require, store, visible_case
from .receiving import deliver
from .requesting import _referentie

REDEN_WIJZIGING_AANBIEDER = "12"  # JZ002: geïnitieerd door de aanbieder (after a VOW)
REDEN_VERWIJDERD = "13"


@dataclass
class Wijziging:
    """One current toewijzing in the request: kept as it is, or changed from `ingangsdatum` on."""

    toewijzing: Toewijzing
    wijzigen: bool = False
    ingangsdatum: date | None = None  # GewensteIngangsdatum of the change
    einddatum: date | None = None  # None: the toewijzing's own einddatum stays
    volume: int | None = None  # None: the toewijzing's own volume stays
    budget: int | None = None  # eurocent; only for a toewijzing with a budget


@dataclass
class WijzigingInput:
    reden: str  # WJ758: 1 verandering cliëntsituatie, 2 wijziging zorgplan
    wijzigingen: list[Wijziging] = field(default_factory=list)
    nieuw: list[ProductInput] = field(default_factory=list)


def _current(case: Case, on: date) -> list[Toewijzing]:
    """The case's current toewijzingen from its regievoerende aanbieder, of one gemeente (the first's)."""
    aanbieder = case.regie_organisatie
    if aanbieder is None:
        return []
    rows = list(
        current_toewijzingen(gemeente=None, aanbieder=aanbieder, bsn=case.jeugdige.bsn, on=on)
        .filter(case=case)
        .select_related("gemeente", "aanbieder")
    )
    return [t for t in rows if t.gemeente_id == rows[0].gemeente_id] if rows else []


def wijzigbare_toewijzingen(case: Case) -> list[Toewijzing]:
    """What the form lists: every current toewijzing the request must name (TR349)."""
    return _current(case, timezone.localdate())


def wijziging_refusal(user: User, case: Case) -> str:
    """Why the user cannot ask for a change on this case, in Dutch; '' when they can."""
    if not guards.may_send(user, case) or guards.manual_route(case):
        return "U kunt voor deze casus geen verzoek om wijziging sturen."
    if not wijzigbare_toewijzingen(case):
        return "Deze casus heeft geen actuele toewijzing (JW301) van de regievoerende aanbieder om te wijzigen."
    return ""


def _changed_line(w: Wijziging, today: date, errors: dict) -> TeWijzigenProduct | None:
    t, key = w.toewijzing, w.toewijzing.pk
    if w.ingangsdatum is None:
        errors[f"ingangsdatum_{key}"] = "Vul de gewenste ingangsdatum van de wijziging in."
        return None
    if w.ingangsdatum < t.ingangsdatum or (t.einddatum and w.ingangsdatum > t.einddatum):
        errors[f"ingangsdatum_{key}"] = "De gewenste ingangsdatum ligt buiten de periode van de toewijzing."
    elif w.ingangsdatum <= today and w.ingangsdatum != t.ingangsdatum:  # TR357
        errors[f"ingangsdatum_{key}"] = (
            "Een wijziging gaat in na vandaag, of geldt vanaf de ingangsdatum van de toewijzing "
            f"({nl_date(t.ingangsdatum)})."
        )
    einddatum = w.einddatum or t.einddatum
    if einddatum and einddatum < w.ingangsdatum:
        errors[f"einddatum_{key}"] = "De einddatum ligt vóór de gewenste ingangsdatum."
    if w.volume is not None and w.volume < 0:
        errors[f"volume_{key}"] = "Het volume is 0 of meer."
    if w.volume is not None and t.volume is None:
        errors[f"volume_{key}"] = "Deze toewijzing heeft geen omvang; wijzig het budget of de einddatum."
    if w.budget is not None:
        if t.budget is None:
            errors[f"budget_{key}"] = "Deze toewijzing heeft geen budget; wijzig de omvang of de einddatum."
        elif w.budget != t.budget and w.ingangsdatum != t.ingangsdatum:  # TR373
            errors[f"budget_{key}"] = (
                "Een nieuw budget geldt voor de hele toewijzing: de gewenste ingangsdatum is dan de "
                f"ingangsdatum van de toewijzing ({nl_date(t.ingangsdatum)})."
            )
    volume = w.volume if w.volume is not None else t.volume
    budget = w.budget if w.budget is not None else t.budget
    if (einddatum, volume, budget) == (t.einddatum, t.volume, t.budget):
        errors[f"wijzigen_{key}"] = (
            "Er verandert niets aan deze toewijzing; kies 'ongewijzigd' of vul een wijziging in."
        )
    omvang = Omvang(volume, t.eenheid, t.frequentie) if t.volume is not None else None
    return TeWijzigenProduct(
        toewijzing_nummer=t.toewijzing_nummer,
        gewenste_ingangsdatum=w.ingangsdatum,
        einddatum=einddatum,
        omvang=omvang,
        budget=budget if omvang is None else None,
    )


def _new_line(p: ProductInput, errors: dict) -> NieuwProduct:
    if p.einddatum and p.einddatum < p.ingangsdatum:
        errors["nieuw_einddatum"] = "De einddatum ligt vóór de ingangsdatum."
    if p.volume is not None and p.volume < 0:
        errors["nieuw_volume"] = "Het volume is 0 of meer."
    omvang = None
    if p.volume is not None or p.eenheid or p.frequentie:
        omvang = Omvang(p.volume if p.volume is not None else -1, p.eenheid, p.frequentie)
    return NieuwProduct(
        gewenste_ingangsdatum=p.ingangsdatum,
        product=Product(p.categorie, p.product_code.strip()) if p.categorie else None,
        einddatum=p.einddatum,
        omvang=omvang,
    )


def create_jw317(*, actor: User, case: Case, data: WijzigingInput) -> Message:
    """Store the JW317 (concept, validated again from its bytes) for the case's current toewijzingen: ready to
    send. Every current toewijzing is named, unchanged or to change (TR349); a toewijzing left out of
    `data.wijzigingen` stays unchanged."""
    require(actor, "messaging.send_request")
    case = visible_case(actor, case)
    if not guards.is_regie_party(actor, case):
        raise PermissionDenied("Alleen de regievoerende organisatie vraagt een wijziging van de toewijzing aan.")
    if not case.is_open:
        raise ValidationError("Voor deze casus (niet open) wordt geen verzoek om wijziging meer gestuurd.")
    today = timezone.localdate()
    with transaction.atomic():
        current = {t.pk: t for t in _current(case, today)}
        if not current:
            raise ValidationError(
                "Deze casus heeft geen actuele toewijzing (JW301) van de regievoerende aanbieder om te wijzigen."
            )
        first = next(iter(current.values()))
        if pending_requests(sender=first.aanbieder.agb_code, bsn=case.jeugdige.bsn):  # TR374
            raise ValidationError(
                "Er loopt al een verzoek voor deze jeugdige dat de gemeente nog niet definitief heeft beantwoord; "
                "wacht dat antwoord af."
            )
        if data.reden not in builders.REDENEN_VERZOEK:
            raise ValidationError({"reden": "Kies de reden van het verzoek."})
        errors: dict = {}
        changed, kept = [], []
        chosen = {w.toewijzing.pk: w for w in data.wijzigingen}
        if chosen.keys() - current.keys():
            errors["__all__"] = "Een gekozen toewijzing is niet (meer) actueel; laad de pagina opnieuw."
        for pk, t in current.items():
            w = chosen.get(pk)
            if w is not None and w.wijzigen:
                line = _changed_line(Wijziging(**{**w.__dict__, "toewijzing": t}), today, errors)
                if line is not None:
                    changed.append(line)
            else:
                kept.append(t.toewijzing_nummer)
        # TR349 counts every current toewijzing for this youth and provider, also one on an earlier case of the
        # youth: those are named as unchanged (not offered for change here).
        elsewhere = current_toewijzingen(
            gemeente=first.gemeente, aanbieder=first.aanbieder, bsn=case.jeugdige.bsn, on=today
        ).exclude(pk__in=current.keys())
        kept += list(elsewhere.values_list("toewijzing_nummer", flat=True))
        nieuw = [_new_line(p, errors) for p in data.nieuw]
        if not changed and not nieuw and not errors:
            errors["__all__"] = "Kies minstens één toewijzing om te wijzigen, of vraag een nieuw product aan."
        if errors:
            raise ValidationError(errors)
        agb = first.aanbieder.agb_code
        referentie = _referentie(case)
        request = Vow(
            header=BerichtHeader(agb, first.gemeente.cbs_code, next_identificatie(agb), today),
            bsn=case.jeugdige.bsn,
            referentie_aanbieder=referentie,
            reden_verzoek=data.reden,
            ongewijzigd=tuple(kept),
            te_wijzigen=tuple(changed),
            nieuw=tuple(nieuw),
            bsn_status=case.jeugdige.bsn_status,
        )
        root = builders.build_jw317(request)
        summary = f"Wijziging: {len(changed)} te wijzigen, {len(nieuw)} nieuw, {len(kept)} ongewijzigd"
        return store(root, actor=actor, case=case, referentie=referentie, summary=summary)


# --- The gemeente's answer -----------------------------------------------------------------------------------


@dataclass
class AcceptWijzigingInput:
    commentaar: str = ""


def _product_of(t: Toewijzing) -> Product | None:
    return Product(t.categorie, t.product_code) if t.categorie else None


def _omvang_of(t: Toewijzing) -> Omvang | None:
    return Omvang(t.volume, t.eenheid, t.frequentie) if t.volume is not None else None


def accept_jw317(*, actor: User, message: Message, data: AcceptWijzigingInput | None = None) -> Message:
    """The gemeente grants the whole request (OP344): one JW301 with every current toewijzing for the youth and
    provider (OP087), the changed ones with RedenWijziging 12 and the VOW's ReferentieAanbieder, and the new
    products with a new ToewijzingNummer. Delivered to the provider, whose side records the toewijzingen."""
    data = data or AcceptWijzigingInput()
    with transaction.atomic():
        message = answerable(actor, message, "jw317")
        request = parse_jw317(parse_xml(message.data))
        case = message.case
        now = timezone.localtime()
        today = now.date()
        stamp = {"toewijzingsdatum": today, "toewijzingstijd": now.time().replace(microsecond=0, tzinfo=None)}
        commentaar = " ".join(data.commentaar.split())
        ref = request.referentie_aanbieder
        current = {
            t.toewijzing_nummer: t
            for t in current_toewijzingen(
                gemeente=message.gemeente, aanbieder=message.aanbieder, bsn=request.bsn, on=request.header.dagtekening
            )
        }

        def next_nummer() -> int:
            return SenderCounter.next_number(f"TW{request.header.ontvanger}")

        def same(t: Toewijzing, **changes) -> ToegewezenProduct:
            values = {
                "toewijzing_nummer": t.toewijzing_nummer,
                "ingangsdatum": t.ingangsdatum,
                "product": _product_of(t),
                "einddatum": t.einddatum,
                "omvang": _omvang_of(t),
                "budget": t.budget,
                **stamp,
            }
            values.update(changes)
            return ToegewezenProduct(**values)

        changes = {line.toewijzing_nummer: line for line in request.te_wijzigen}
        producten = []
        for nummer, t in current.items():
            line = changes.get(nummer)
            if line is None:
                producten.append(same(t))
                continue
            wijziging = {"reden_wijziging": REDEN_WIJZIGING_AANBIEDER, "referentie_aanbieder": ref}
            new_omvang = line.omvang if line.omvang is not None else _omvang_of(t)
            einddatum = line.einddatum if line.einddatum is not None else t.einddatum
            budget = line.budget if line.budget is not None else t.budget
            omvang_changes = (
                new_omvang is not None
                and (new_omvang.volume, new_omvang.eenheid, new_omvang.frequentie)
                != (t.volume, t.eenheid, t.frequentie)
                and t.frequentie != "6"
            )
            if not omvang_changes:  # einddatum, budget, or a volume "totaal": the same toewijzing changes
                producten.append(
                    same(t, einddatum=einddatum, omvang=new_omvang, budget=budget, commentaar=commentaar, **wijziging)
                )
                continue
            # Another omvang: end the toewijzing (delete it when the change counts from its start) and assign anew.
            if line.gewenste_ingangsdatum <= t.ingangsdatum:
                producten.append(
                    same(t, einddatum=t.ingangsdatum, reden_wijziging=REDEN_VERWIJDERD, referentie_aanbieder=ref)
                )
            else:
                producten.append(same(t, einddatum=line.gewenste_ingangsdatum - timedelta(days=1), **wijziging))
            producten.append(
                ToegewezenProduct(
                    toewijzing_nummer=next_nummer(),
                    ingangsdatum=line.gewenste_ingangsdatum,
                    product=_product_of(t),
                    referentie_aanbieder=ref,
                    einddatum=einddatum,
                    omvang=new_omvang,
                    commentaar=commentaar,
                    **stamp,
                )
            )
        for line in request.nieuw:
            producten.append(
                ToegewezenProduct(
                    toewijzing_nummer=next_nummer(),
                    ingangsdatum=line.gewenste_ingangsdatum,
                    product=line.product,
                    referentie_aanbieder=ref,
                    einddatum=line.einddatum,
                    omvang=line.omvang,
                    budget=line.budget,
                    commentaar=commentaar,
                    **stamp,
                )
            )
        assignment = from_case.assignment_from_case(
            case,
            producten=producten,
            identificatie=next_identificatie(request.header.ontvanger),
            dagtekening=today,
            reply_to=request.header,
        )
        jw301 = send_answer(
            builders.build_jw301(assignment),
            actor=actor,
            request=message,
            referentie=ref,
            summary="Wijziging toegewezen: " + ", ".join(str(p.toewijzing_nummer) for p in producten),
        )
        record_event(
            case,
            EventKind.JW317_BEANTWOORD,
            actor,
            reason=f"Toewijzing (JW301 {jw301.identificatie}) op verzoek om wijziging {message.identificatie}",
            payload={"ref": str(message.public_id), "antwoord": "JW301", "bericht": str(jw301.public_id)},
        )
        deliver(jw301, actor=None)
    jw301.refresh_from_db()
    return jw301


def refuse_jw317(*, actor: User, message: Message, data: RefuseInput) -> Message:
    """The gemeente answers the whole request without a toewijzing: one JW319 on its ReferentieAanbieder
    ('afgewezen' with its reason, or 'in onderzoek' and later the final answer)."""
    check_refuse_input(data)
    with transaction.atomic():
        message = answerable(actor, message, "jw317")
        refuse_in_onderzoek_once(message, data)
        request = parse_jw317(parse_xml(message.data))
        in_onderzoek = data.verzoek_antwoord == "2"
        summary = antwoord_summary(data)
        jw319 = send_answer(
            builders.build_jw319(antwoordbericht(request.header, request.referentie_aanbieder, data)),
            actor=actor,
            request=message,
            referentie=request.referentie_aanbieder,
            summary=summary,
        )
        # "In onderzoek" answers within the 5 working days and starts the 8 weeks for the final answer [OP274].
        record_event(
            message.case,
            EventKind.JW317_IN_ONDERZOEK if in_onderzoek else EventKind.JW317_BEANTWOORD,
            actor,
            reason=f"Antwoordbericht (JW319) op verzoek om wijziging {message.identificatie}: {summary}",
            payload={
                "ref": str(message.public_id),
                "antwoord": "JW319",
                "verzoek_antwoord": data.verzoek_antwoord,
                "bericht": str(jw319.public_id),
            },
        )
        deliver(jw319, actor=None)
    jw319.refresh_from_db()
    return jw319
