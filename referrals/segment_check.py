"""The segment check for the Toegang (DOMAIN.md section 3, [HvB-S1]).

Rule of thumb: more than about 300 hours begeleiding or about 230 hours behandeling means segment 1;
for a mix the two are weighed by ratio. Some product kinds are segment 1 whatever the hours. Without a
development perspective the Wet langdurige zorg applies instead of jeugdhulp: the advice is a Wlz
indication (CIZ), whatever the hours. The check advises; it never blocks.
"""

from dataclasses import dataclass
from decimal import Decimal

BEGELEIDING_THRESHOLD = Decimal(300)
BEHANDELING_THRESHOLD = Decimal(230)
# Within this band around 1.0 the advice is to consult Crossroads.
CONSULT_MARGIN = Decimal("0.15")

ALWAYS_SEGMENT1_PRODUCTS = {
    "jeugdzorgplus": "Jeugdzorg+",
    "lta": "LTA",
    "mst": "MST",
    "jim": "JIM",
    "transforensisch": "Transforensische zorg",
    "dagbehandeling": "Dagbehandeling",
}


@dataclass(frozen=True)
class SegmentAdvice:
    score: Decimal | None
    segment1: bool
    consult: bool
    text: str
    wlz: bool = False


WLZ_ADVICE = (
    "Zonder ontwikkelperspectief is jeugdhulp niet de weg: de jeugdige heeft dan een Wlz-indicatie nodig "
    "(aan te vragen bij het CIZ). Overleg met het aanmeldpunt van Crossroads voordat u aanmeldt."
)


def segment_advice(
    *,
    hours_begeleiding: Decimal | None,
    hours_behandeling: Decimal | None,
    products: list[str] | None,
    development_perspective: bool | None = None,
) -> SegmentAdvice:
    """`development_perspective`: whether the youth has one (None: not answered)."""
    if development_perspective is False:
        return SegmentAdvice(None, False, False, WLZ_ADVICE, wlz=True)
    products = [p for p in (products or []) if p in ALWAYS_SEGMENT1_PRODUCTS]
    if products:
        names = ", ".join(ALWAYS_SEGMENT1_PRODUCTS[p] for p in products)
        return SegmentAdvice(None, True, False, f"{names} valt altijd in segment 1: verwijs naar Crossroads.")
    if hours_begeleiding is None and hours_behandeling is None:
        return SegmentAdvice(None, False, False, "Vul de verwachte uren in voor een segmentadvies.")
    score = (hours_begeleiding or 0) / BEGELEIDING_THRESHOLD + (hours_behandeling or 0) / BEHANDELING_THRESHOLD
    score = score.quantize(Decimal("0.01"))
    shown = f"{score:.2f}".replace(".", ",")
    if abs(score - 1) <= CONSULT_MARGIN:
        return SegmentAdvice(
            score,
            score > 1,
            True,
            f"Score {shown}: dicht bij de grens. Overleg met het aanmeldpunt van Crossroads.",
        )
    if score > 1:
        return SegmentAdvice(score, True, False, f"Score {shown}: boven de vuistregel, segment 1 ligt voor de hand.")
    return SegmentAdvice(
        score, False, False, f"Score {shown}: onder de vuistregel, een ander segment ligt meer voor de hand."
    )
