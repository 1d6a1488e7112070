"""Correcting and updating a youth's data during a case: a move, a birth (ongeboren → the child's own BSN),
a typo in a name. Every changed field is on the timeline, old → new (the BSN masked)."""

import re
from dataclasses import dataclass, fields
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import log_access
from common.landen import LANDEN, NEDERLAND

from .. import guards, selectors
from ..bsn import mask_bsn, normalise_bsn, validate_bsn
from ..dates import nl_date
from ..models import BsnStatus, Case, CaseEvent, CaseUserObjectPermission, EventKind, Geslacht, Jeugdige
from .registration import validate_adres
from .timeline import record_event


@dataclass
class JeugdigeCorrectie:
    """The youth's data as it should be now. `adres_gewijzigd_per`: the day of a move (optional)."""

    voornaam: str
    tussenvoegsel: str
    achternaam: str
    geboortedatum: date
    geslacht: str
    bsn_status: str
    bsn: str
    straat: str = ""
    huisnummer: str = ""
    postcode: str = ""
    woonplaats: str = ""
    land: str = NEDERLAND
    adres_gewijzigd_per: date | None = None


# The fields that can be corrected, in the order the timeline names them, with their Dutch labels.
LABELS = {
    "voornaam": "Voornaam",
    "tussenvoegsel": "Tussenvoegsel",
    "achternaam": "Achternaam",
    "geboortedatum": "Geboortedatum",
    "geslacht": "Geslacht",
    "bsn_status": "BSN-status",
    "bsn": "BSN",
    "straat": "Straat",
    "huisnummer": "Huisnummer",
    "postcode": "Postcode",
    "woonplaats": "Woonplaats",
    "land": "Land",
}
ADDRESS = ("straat", "huisnummer", "postcode", "woonplaats", "land")
# What the other party of an iJw message knows about the youth (the Client of JW315 and JW301): a change
# to these after such a message was sent is flagged for the backoffice.
IN_MESSAGES = ("voornaam", "tussenvoegsel", "achternaam", "geboortedatum", "bsn_status", "bsn", *ADDRESS)
SENT_STATES = ("verzonden", "geaccepteerd", "afgewezen")  # messaging.MessageState, by value (it sits above)
FLAGGED_MESSAGES = ("jw315", "jw301")
MAX_LENGTH = {f.name: f.max_length for f in Jeugdige._meta.fields if f.name in LABELS and f.max_length}


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _shown(field: str, value) -> str:
    """A value as the timeline shows it: dates in Dutch, choices by label, the BSN masked."""
    if value in ("", None):
        return "(leeg)"
    if field == "bsn":
        return mask_bsn(value)
    if field == "geboortedatum":
        return nl_date(value)
    if field == "bsn_status":
        return BsnStatus(value).label
    if field == "geslacht":
        return Geslacht(value).label
    if field == "land":
        return LANDEN.get(value, value)
    return str(value)


def _clean(data: JeugdigeCorrectie) -> dict:
    values = {}
    for f in fields(data):
        value = getattr(data, f.name)
        values[f.name] = value.strip() if isinstance(value, str) else value
    values["bsn"] = normalise_bsn(values["bsn"]) if values["bsn_status"] == BsnStatus.NORMAAL else ""
    values["land"] = (values["land"] or NEDERLAND).upper()
    if values["land"] == NEDERLAND:
        values["postcode"] = _dutch_postcode(values["postcode"])
    return values


def _dutch_postcode(value: str) -> str:
    """A Dutch postcode as "5038 AB"; anything else (an address abroad) as typed."""
    match = re.fullmatch(r"([0-9]{4})\s*([A-Za-z]{2})", value or "")
    return f"{match[1]} {match[2].upper()}" if match else (value or "")


def _may_see(actor: User, case: Case) -> bool:
    if case.jeugdige.bsn_status != BsnStatus.GEHEIM:
        return True
    return CaseUserObjectPermission.objects.filter(
        content_object=case, user=actor, permission__codename="view_identity"
    ).exists()


BSN_OF_AN_UNSEEN_YOUTH = "Dit BSN is al in gebruik bij een andere jeugdige."


def _log_unseen_bsn(actor: User, jeugdige: Jeugdige, bsn: str) -> None:
    """The refusal tells that this BSN is known here, of a youth the actor may not see: the attempt is in the
    access log (after the rollback of the refused change), so that trying BSNs one by one leaves a trace."""
    other = Jeugdige.objects.filter(bsn=bsn).exclude(pk=jeugdige.pk).first()
    log_access(
        user=actor,
        action="geweigerd",
        object_type="jeugdige",
        object_id=other.pk if other else "",
        description=f"BSN {mask_bsn(bsn)} ingevuld bij het wijzigen van jeugdige {jeugdige.pk}: al in gebruik",
    )


def _bsn_in_use(actor: User, jeugdige: Jeugdige, bsn: str) -> str:
    """The Dutch error when another youth has this BSN: which case only if the actor may open it."""
    other = Jeugdige.objects.filter(bsn=bsn).exclude(pk=jeugdige.pk).first()
    if other is None:
        return ""
    seen = selectors.openable_cases(actor).filter(jeugdige=other, identity_visible=True).first()
    if seen is not None:
        return f"Dit BSN is al in gebruik bij een andere jeugdige (casus {seen.reference})."
    return BSN_OF_AN_UNSEEN_YOUTH


def _text_errors(values: dict) -> dict[str, str]:
    errors = {}
    for name in ("voornaam", "achternaam"):
        if not values[name]:
            errors[name] = f"Vul de {LABELS[name].lower()} in."
    for name, limit in MAX_LENGTH.items():
        if isinstance(values.get(name), str) and len(values[name]) > limit and name not in errors:
            errors[name] = f"Maximaal {limit} tekens."
    if values["geslacht"] not in Geslacht.values:
        errors["geslacht"] = "Kies een geslacht uit de lijst."
    return errors


def _bsn_errors(actor: User, jeugdige: Jeugdige, values: dict, typed_bsn: str) -> dict[str, str]:
    status = values["bsn_status"]
    if status not in BsnStatus.values:
        return {"bsn_status": "Kies een BSN-status uit de lijst."}
    errors = {}
    if status == BsnStatus.NORMAAL:
        try:
            validate_bsn(values["bsn"])
        except ValidationError as e:
            errors["bsn"] = e.messages[0]
        else:
            # Only a new number is checked: a youth registered again for a later trajectory has its own
            # earlier record with the same BSN, and correcting the address must not be refused for that.
            if values["bsn"] != jeugdige.bsn and (in_use := _bsn_in_use(actor, jeugdige, values["bsn"])):
                errors["bsn"] = in_use
    elif typed_bsn.strip():
        errors["bsn"] = "Laat het BSN leeg bij deze BSN-status."
    if status == BsnStatus.ONGEBOREN and jeugdige.bsn_status != BsnStatus.ONGEBOREN:
        errors["bsn_status"] = "Een kind dat al geboren is, kan niet weer 'ongeboren' worden."
    return errors


def _birth_date_error(jeugdige: Jeugdige, values: dict, cases: list[Case], today: date) -> str:
    born, status = values["geboortedatum"], values["bsn_status"]
    if born is None:
        return "Vul de geboortedatum in."
    if status == BsnStatus.ONGEBOREN:
        if born <= today:
            return (
                "Vul bij een ongeboren kind de verwachte geboortedatum in (na vandaag). Is het kind geboren? "
                "Kies dan de BSN-status van het kind zelf."
            )
        return ""
    if born > today:
        return "De geboortedatum ligt in de toekomst. Vul de werkelijke geboortedatum in."
    if born == jeugdige.geboortedatum and status == jeugdige.bsn_status:
        return ""
    for case in cases:  # segment 1 is for youths under 18 [HvB-S1]: on the day of the aanmelding
        day = case.aanmelddatum or today
        if _age(born, day) >= 18:
            when = f"bij de aanmelding op {nl_date(day)}" if case.aanmelddatum else "vandaag"
            return (
                f"Met deze geboortedatum was de jeugdige {when} al 18 jaar of ouder: segment 1 jeugdhulp is "
                f"voor jongeren onder de 18 ({case.reference}). Controleer de datum."
            )
    return ""


def _move_error(jeugdige: Jeugdige, values: dict, today: date) -> str:
    moved, born = values["adres_gewijzigd_per"], values["geboortedatum"]
    if moved is None:
        return ""
    if not any(values[f] != getattr(jeugdige, f) for f in ADDRESS):
        return "Vul deze datum alleen in als het adres wijzigt."
    if moved > today:
        return "Een verhuizing legt u vast als die heeft plaatsgevonden: niet in de toekomst."
    if born is not None and moved < born and values["bsn_status"] != BsnStatus.ONGEBOREN:
        return f"De verhuisdatum ligt vóór de geboortedatum ({nl_date(born)}). Controleer de datum."
    return ""


def validate_correctie(
    actor: User, jeugdige: Jeugdige, values: dict, cases: list[Case], *, reason: str, typed_bsn: str
) -> dict[str, str]:
    """Field errors (Dutch) for the corrected data; empty when valid."""
    today = timezone.localdate()
    errors = {
        **_text_errors(values),
        **_bsn_errors(actor, jeugdige, values, typed_bsn),
        **validate_adres(postcode=values["postcode"], huisnummer=values["huisnummer"], land=values["land"]),
    }
    if message := _birth_date_error(jeugdige, values, cases, today):
        errors["geboortedatum"] = message
    if message := _move_error(jeugdige, values, today):
        errors["adres_gewijzigd_per"] = message
    if not reason.strip():
        errors["reden"] = "Geef de reden van de wijziging (bijvoorbeeld: geboren, verhuisd, typefout)."
    return errors


def correct_jeugdige(*, actor: User, jeugdige: Jeugdige, data: JeugdigeCorrectie, reason: str) -> list[CaseEvent]:
    """Correct the youth's data, all of it or nothing. Each case of the youth gets one timeline event with
    every changed field old → new; the deadlines that hang on the birth date follow it (deadline engine);
    when a JW315 or JW301 with the old data was sent, the backoffice is told (a second event)."""
    if not actor.role or not actor.has_perm("referrals.correct_jeugdige"):
        raise PermissionDenied("U heeft geen rechten voor deze handeling.")
    with transaction.atomic():
        # Lock the cases first (the order every service keeps), then the youth.
        cases = list(Case.objects.select_for_update().filter(jeugdige_id=jeugdige.pk).order_by("pk"))
        stored = Jeugdige.objects.select_for_update().get(pk=jeugdige.pk)
        for case in cases:
            case.jeugdige = stored
            case.identity_visible = _may_see(actor, case)
        if not any(guards.may_correct_jeugdige(case, actor) for case in cases):
            raise PermissionDenied(
                "Alleen het aanmeldpunt en de Toegang van de gemeente van de casus wijzigen de gegevens van de "
                "jeugdige, zolang de casus loopt."
            )
        values = _clean(data)
        if values["postcode"] == _dutch_postcode(stored.postcode):
            values["postcode"] = stored.postcode  # "5038AB" and "5038 AB" are the same postcode: no change
        errors = validate_correctie(actor, stored, values, cases, reason=reason, typed_bsn=data.bsn or "")
        if not errors:
            return _apply_correction(actor, stored, cases, values, reason)
    # Refused: nothing was written. Leaving the transaction first keeps the log of a probing BSN.
    if errors.get("bsn") == BSN_OF_AN_UNSEEN_YOUTH:
        _log_unseen_bsn(actor, jeugdige, values["bsn"])
    raise ValidationError(errors)


def _apply_correction(actor: User, stored: Jeugdige, cases: list[Case], values: dict, reason: str) -> list[CaseEvent]:
    """Write a valid correction (inside correct_jeugdige's transaction, under its locks)."""
    changed = [name for name in LABELS if values[name] != getattr(stored, name)]
    if not changed:
        raise ValidationError({"__all__": "Er is niets gewijzigd: de gegevens zijn gelijk aan wat er stond."})
    changes = [
        {
            "veld": name,
            "label": LABELS[name],
            "oud": _shown(name, getattr(stored, name)),
            "nieuw": _shown(name, values[name]),
        }
        for name in changed
    ]
    for name in changed:
        setattr(stored, name, values[name])
    stored.save(update_fields=changed)
    # The case shows the youth: its last change (and so its ETag in the API) moves with the correction.
    Case.objects.filter(pk__in=[case.pk for case in cases]).update(updated_at=timezone.now())
    payload = {"wijzigingen": changes, "velden": changed}
    if values["adres_gewijzigd_per"] is not None:
        payload["adres_gewijzigd_per"] = values["adres_gewijzigd_per"].isoformat()
        payload["verhuisd_per"] = nl_date(values["adres_gewijzigd_per"])
    events = []
    for case in cases:
        events.append(
            record_event(case, EventKind.JEUGDIGE_GECORRIGEERD, actor, reason=reason.strip(), payload=payload)
        )
        told = [name for name in changed if name in IN_MESSAGES]
        if told:
            sent = list(
                case.messages.filter(message_type__in=FLAGGED_MESSAGES, state__in=SENT_STATES)
                .order_by("created_at", "pk")
                .values_list("message_type", "identificatie")
            )
            if sent:
                record_event(
                    case,
                    EventKind.GEGEVENS_NA_BERICHT,
                    actor,
                    reason=reason.strip(),
                    payload={
                        "velden": [LABELS[name] for name in told],
                        "berichten": [f"{kind.upper()} {ident}" for kind, ident in sent],
                    },
                )
    return events
