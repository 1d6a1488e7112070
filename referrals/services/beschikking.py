"""The beschikking and the Perspectiefplan 18-/18+."""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import guards
from ..dates import nl_date
from ..guards import related
from ..models import (
    PERSPECTIEF_ASPECTEN,
    Beschikking,
    Case,
    EventKind,
    PerspectiefDomein,
    Perspectiefplan,
    ProductCategorie,
)
from .timeline import CARE_PHASES, _locked, _require, _require_phase, _require_regievoerder, record_event

# --- Beschikking [HvB-STAP] and Perspectiefplan 18-/18+ [HvB-QA 3] ------------------------------------

PRODUCTCODE = re.compile(r"^\d{2}[A-Z0-9]{3}$")


def record_beschikking(
    *,
    actor: User,
    case: Case,
    afgegeven_op: date,
    resultaat: str,
    productcategorie: str,
    productcode: str,
    activiteiten: str,
    frequentie: str,
    ingangsdatum: date,
) -> Beschikking:
    """Crossroads decides the care and records the beschikking it sends to the family (without end date)."""
    _require(actor, "referrals.record_beschikking")
    code = productcode.strip().upper()
    errors = {}
    if productcategorie not in ProductCategorie.values:
        errors["productcategorie"] = "Kies de productcategorie."
    if not PRODUCTCODE.match(code):
        errors["productcode"] = "Een productcode is twee cijfers en drie tekens, bijvoorbeeld 45A01."
    elif code == "43A12":
        errors["productcode"] = "Voor Jeugdzorgplus (43A12) wordt geen beschikking afgegeven."
    elif productcategorie in ProductCategorie.values and not code.startswith(productcategorie):
        errors["productcode"] = f"Deze productcode hoort niet bij categorie {productcategorie}."
    for field, value, what in (
        ("resultaat", resultaat, "het resultaat"),
        ("activiteiten", activiteiten, "de activiteiten"),
        ("frequentie", frequentie, "de frequentie"),
    ):
        if not value.strip():
            errors[field] = f"Vul {what} in."
    if afgegeven_op > timezone.localdate():
        errors["afgegeven_op"] = "De beschikking kan niet in de toekomst zijn afgegeven."
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, *CARE_PHASES)
        if guards.no_beschikking_reason(case):
            errors["__all__"] = guards.no_beschikking_reason(case)
        elif related(case, "beschikking") is not None:
            errors["__all__"] = (
                "Deze casus heeft al een beschikking. Segment 1 kent geen herindicatie: een andere zorgbehoefte "
                "verandert het plan, niet de beschikking."
            )
        if "afgegeven_op" not in errors and afgegeven_op < case.aanmelddatum:
            errors["afgegeven_op"] = (
                f"De beschikking kan niet vóór de aanmelddatum ({nl_date(case.aanmelddatum)}) liggen."
            )
        if ingangsdatum < case.aanmelddatum:
            errors["ingangsdatum"] = (
                f"De ingangsdatum kan niet vóór de aanmelddatum ({nl_date(case.aanmelddatum)}) liggen."
            )
        if errors:
            raise ValidationError(errors)
        beschikking = Beschikking.objects.create(
            case=case,
            beschikkingsnummer=f"S1B-{afgegeven_op.year}-{case.pk:06d}",
            afgegeven_op=afgegeven_op,
            resultaat=resultaat.strip(),
            aanbieder=case.regie_organisatie,
            productcategorie=productcategorie,
            productcode=code,
            activiteiten=activiteiten.strip(),
            frequentie=frequentie.strip(),
            ingangsdatum=ingangsdatum,
            recorded_by=actor,
        )
        moment = timezone.make_aware(datetime.combine(afgegeven_op, datetime.min.time()))
        record_event(
            case,
            EventKind.BESCHIKKING_AFGEGEVEN,
            actor,
            reason=f"Beschikking {beschikking.beschikkingsnummer}: {beschikking.resultaat}",
            payload={"nummer": beschikking.beschikkingsnummer, "moment": moment.isoformat()},
        )
    return beschikking


def save_perspectiefplan(*, actor: User, case: Case, texts: dict[str, str], gereed: bool = False) -> Perspectiefplan:
    """The regievoerder starts and fills the Perspectiefplan 18-/18+; it is finished when every life domain
    has its state of affairs and the results still to reach."""
    _require_regievoerder(actor, case)
    domeinen = {
        d: {a: (texts.get(f"{d}__{a}") or "").strip() for a in PERSPECTIEF_ASPECTEN} for d in PerspectiefDomein.values
    }
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, *CARE_PHASES)
        today = timezone.localdate()
        plan = related(case, "perspectiefplan")
        started = plan is None
        if plan is None:
            plan = Perspectiefplan(case=case, gestart_op=today)
        if plan.gereed_op is not None:
            raise ValidationError({"__all__": f"Het perspectiefplan is al gereed sinds {nl_date(plan.gereed_op)}."})
        plan.domeinen = domeinen
        plan.updated_by = actor
        if gereed:
            missing = plan.missing()
            if missing:
                raise ValidationError(
                    {
                        "__all__": "Het plan is pas gereed als elk leefdomein een stand van zaken en nog te bereiken "
                        f"resultaten heeft. Nog leeg: {', '.join(m.lower() for m in missing)}."
                    }
                )
            plan.gereed_op = today
        plan.save()
        if started:
            record_event(case, EventKind.PERSPECTIEFPLAN_GESTART, actor)
        if gereed:
            record_event(case, EventKind.PERSPECTIEFPLAN_GEREED, actor)
    return plan
