"""Demo history for the managers' dashboard: a year of cases whose deadlines were met on time, met late or
missed, across gemeenten and partners, each made through the real services on a travelling clock, so every
case has a true timeline. Called once from `manage.py load_demo`.

The beschikking and the JW305 have no service yet (their events exist); the history writes those two
timeline events with referrals.services.record_event, as those services will."""

from datetime import date, datetime, time, timedelta

import time_machine
from django.utils import timezone

from referrals import services
from referrals.models import Case, EventKind, Leefgebied
from referrals.services import JeugdigeInput

NAMES = [
    ("Sven", "", "Brouwers"),
    ("Lina", "van", "Dijk"),
    ("Jayden", "", "Peeters"),
    ("Noor", "de", "Bruijn"),
    ("Luuk", "", "Verhoeven"),
    ("Roos", "van den", "Broek"),
    ("Mohammed", "", "Amrani"),
    ("Lieke", "", "Schellekens"),
    ("Teun", "van", "Loon"),
    ("Fenna", "", "Donkers"),
    ("Stijn", "", "Rovers"),
    ("Elif", "", "Kaya"),
    ("Hidde", "", "Vermeulen"),
    ("Jasmijn", "", "Timmermans"),
    ("Olivier", "van", "Gestel"),
    ("Hanna", "", "Bogers"),
    ("Niek", "", "Swinkels"),
    ("Sophie", "", "Maas"),
    ("Ryan", "", "Mertens"),
    ("Maud", "", "Hendrickx"),
    ("Cas", "van", "Hal"),
    ("Ilse", "", "Jacobs"),
]

# (days ago of the aanmelding, gemeente, partner, days to the aanmeldgesprek, days to the start of care,
#  days to the beschikking or None, working days to the JW305, age in years). Some late, some missed.
HISTORY = [
    (340, "Tilburg", "Sterk Huis", 9, 30, 45, 2, 11),
    (325, "Waalwijk", "Amarant", 12, 38, 50, 3, 13),
    (310, "Dongen", "De Viersprong", 16, 47, 61, 4, 9),
    (296, "Goirle", "GGZ Breburg", 8, 28, 40, 1, 14),
    (281, "Tilburg", "GGZ Breburg", 11, 35, 58, 6, 12),
    (265, "Heusden", "Sterk Huis", 13, 44, 52, 2, 10),
    (250, "Tilburg", "Amarant", 7, 25, 38, 3, 15),
    (236, "Waalwijk", "De Viersprong", 15, 41, 66, 5, 8),
    (221, "Loon op Zand", "Sterk Huis", 10, 33, 49, 2, 13),
    (205, "Tilburg", "Sterk Huis", 6, 29, 44, 1, 11),
    (190, "Dongen", "GGZ Breburg", 18, 52, 71, 7, 12),
    (176, "Oisterwijk", "Amarant", 9, 36, 55, 3, 14),
    (161, "Tilburg", "De Viersprong", 12, 40, 57, 2, 10),
    (147, "Waalwijk", "Sterk Huis", 14, 45, 60, 4, 13),
    (133, "Tilburg", "GGZ Breburg", 8, 31, 47, 2, 9),
    (119, "Goirle", "Amarant", 11, 39, None, 3, 17),
    (104, "Tilburg", "Sterk Huis", 13, 43, 56, 6, 12),
    (92, "Dongen", "De Viersprong", 9, 34, 50, 2, 15),
    (78, "Waalwijk", "GGZ Breburg", 17, 48, None, 3, 11),
    (70, "Tilburg", "Amarant", 10, 37, None, 8, 14),
    (64, "Heusden", "Sterk Huis", 12, None, None, 0, 13),
    (57, "Tilburg", "GGZ Breburg", 15, None, None, 0, 10),
]
TOEGANG_USERS = {"Tilburg": "toegang.tilburg", "Waalwijk": "toegang.waalwijk", "Dongen": "toegang.dongen"}
REGIEVOERDERS = {
    "Sterk Huis": "regie.sterkhuis",
    "GGZ Breburg": "regie.ggzbreburg",
    "Amarant": "regie.amarant",
    "De Viersprong": "regie.viersprong",
}


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _travel(day: date, hour: int):
    return time_machine.travel(_at(day, hour), tick=False)


def load_history(*, users: dict, orgs: dict, bsns) -> list[Case]:
    """Add the history cases; `users` by username, `orgs` by name, `bsns` an iterator of unused BSNs."""
    today = timezone.localdate()
    ap = users["aanmeldpunt"]
    cases = []
    for n, (ago, gemeente, partner, gesprek, zorg, beschikking, jw305, age) in enumerate(HISTORY):
        aanmelddatum = today - timedelta(days=ago)
        voornaam, tussen, achter = NAMES[n % len(NAMES)]
        # The 17-year-old turns 18 within a few months: the work lists flag the missing perspectiefplan.
        born = aanmelddatum - timedelta(days=365 * age + 40) if age < 17 else today - timedelta(days=365 * 18 - 75)
        youth = JeugdigeInput(
            bsn_status="normaal",
            bsn=next(bsns),
            voornaam=voornaam,
            tussenvoegsel=tussen,
            achternaam=achter,
            geboortedatum=born,
            geslacht="1" if n % 2 == 0 else "2",
            segment="1",
            woonplaats=gemeente,
        )
        toegang = users.get(TOEGANG_USERS.get(gemeente, ""))
        with _travel(aanmelddatum - timedelta(days=1), 10):
            if toegang:
                (case,) = services.register_case(
                    actor=toegang,
                    gezin_naam=achter,
                    jeugdigen=[youth],
                    gemeente=orgs[f"Gemeente {gemeente}"],
                    route="toegang",
                    verwijzer_type="gemeente",
                    verwijzer_naam=toegang.get_full_name(),
                    verwijzer_organisatie=toegang.organisation.name,
                    hulpvraag="Ernstige gedragsproblemen en zorgen over de veiligheid thuis.",
                )
                services.save_ipva(
                    actor=toegang,
                    case=case,
                    texts={v: f"Analyse {label.lower()} besproken met het gezin." for v, label in Leefgebied.choices},
                )
                services.record_phone_consultation(
                    actor=toegang,
                    case=case,
                    datum=aanmelddatum - timedelta(days=1),
                    contactpersoon="Ellen Verhoeven",
                    samenvatting="Casus besproken; segment 1 lijkt passend.",
                )
            else:
                (case,) = services.register_case(
                    actor=ap,
                    gezin_naam=achter,
                    jeugdigen=[youth],
                    gemeente=orgs[f"Gemeente {gemeente}"],
                    route="gi",
                    verwijzer_type="gi_jbb",
                    verwijzer_naam="M. Rovers",
                    verwijzer_organisatie="Jeugdbescherming Brabant",
                    hulpvraag="Bepaling jeugdhulp na een ondertoezichtstelling.",
                )
        with _travel(aanmelddatum, 14):
            case.refresh_from_db()
            services.aanmelden(actor=toegang or ap, case=case, aanmelddatum=aanmelddatum)
        held = aanmelddatum + timedelta(days=gesprek)
        with _travel(aanmelddatum + timedelta(days=1), 9):
            services.plan_aanmeldgesprek(
                actor=ap,
                case=case,
                gepland_op=_at(held, 10),
                locatie="Crossroads, Tilburg",
                jeugdige_uitgenodigd=True,
                verwijzer_uitgenodigd=True,
            )
        with _travel(held, 15):
            services.record_aanmeldgesprek_gehouden(
                actor=ap, case=case, gehouden_op=_at(held, 10), aanwezigen="jeugdige, ouders, verwijzer", verslag=""
            )
        advies = held + timedelta(days=2)
        with _travel(advies, 15):
            services.record_aanmeldtafel_advies(
                actor=ap,
                case=case,
                datum=advies,
                segment1_nodig=True,
                regie_partner=orgs[partner],
                hulpvorm="intensief_ambulant",
                geadviseerd_segment="",
                toelichting="Multidisciplinair besproken aan de aanmeldtafel.",
                verwijzer_geraadpleegd_op=advies,
            )
        with _travel(advies + timedelta(days=1), 10):
            case.refresh_from_db()
            services.start_hulpverlening(actor=ap, case=case)
        regie = users[REGIEVOERDERS[partner]]
        if zorg is not None:
            started = aanmelddatum + timedelta(days=zorg)
            with _travel(started, 16):
                case.refresh_from_db()
                services.record_zorg_gestart(
                    actor=regie,
                    case=case,
                    datum=started,
                    overbruggingszorg="Ambulante begeleiding door het wijkteam tot de start." if zorg > 42 else "",
                )
            sent = started + timedelta(days=jw305 + 2 * (jw305 // 5))  # roughly that many working days
            with _travel(sent, 11):
                moment = _at(sent, 11).isoformat()
                services.record_event(case, EventKind.JW305_VERZONDEN, regie, payload={"moment": moment})
        if beschikking is not None:
            issued = aanmelddatum + timedelta(days=beschikking)
            with _travel(issued, 12):
                services.record_event(
                    case,
                    EventKind.BESCHIKKING_AFGEGEVEN,
                    ap,  # Crossroads makes the beschikking (DOMAIN.md section 8)
                    payload={"moment": _at(issued, 12).isoformat()},
                )
        cases.append(case)
    return cases
