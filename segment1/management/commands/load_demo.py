"""Fill an empty database with the demo region: organisations, an account for every role and
about 25 cases over all routes and phases, each made through the real services (so every case has
a true timeline). Safe to run twice: it does nothing when the demo accounts exist."""

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import BaseCommand, call_command
from django.db import transaction
from django.utils import timezone

from accounts.demo import load_contact_directory
from accounts.models import Organisation, User
from coordination import demo as coordination_demo
from coordination.services import request_coordination
from deadlines.demo import load_history
from messaging.demo import load_demo_messages
from referrals import guards, services
from referrals.bsn import valid_bsns
from referrals.models import Case, Leefgebied
from referrals.services import JeugdigeInput
from segment1.names import FIRST_NAMES

DEMO_PASSWORD = "demo-segment1"
REGIEVOERDERS = {
    "Sterk Huis": "regie.sterkhuis",
    "GGZ Breburg": "regie.ggzbreburg",
    "Amarant": "regie.amarant",
    "De Viersprong": "regie.viersprong",
}
LAST_NAMES = [
    ("", "Jansen"),
    ("de", "Boer"),
    ("van", "Leeuwen"),
    ("", "Aydın"),
    ("", "Visser"),
    ("van der", "Heijden"),
    ("", "Smulders"),
    ("", "Bouzid"),
    ("de", "Kort"),
    ("van", "Gils"),
    ("", "Willems"),
    ("", "Kuijpers"),
    ("van", "Rooij"),
    ("", "Maas"),
    ("", "Verschuren"),
    ("", "Hoogland"),
    ("van", "Oers"),
    ("", "Claassen"),
    ("", "Martens"),
    ("de", "Jong"),
    ("", "Pijnenburg"),
    ("van", "Beek"),
    ("", "Aerts"),
    ("", "Mutsaers"),
]


def bsn_numbers():
    """Deterministic valid BSNs (elfproef) for the demo."""
    return valid_bsns(111222330)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class Command(BaseCommand):
    help = "Laadt de demogegevens (organisaties, demo-accounts, casussen)."

    def handle(self, *args, **options):
        if User.objects.filter(username="aanmeldpunt").exists():
            self.stdout.write("Demogegevens zijn al geladen.")
            return
        call_command("loaddata", "regio", verbosity=0)
        with transaction.atomic():
            load_contact_directory()
            self.users = self._users()
            self.orgs = {o.name: o for o in Organisation.objects.all()}
            self.bsns = bsn_numbers()
            self.names = 0
            self._cases()
            load_demo_messages(self.users)
            load_history(users=self.users, orgs=self.orgs, bsns=self.bsns)
        self.stdout.write(
            self.style.SUCCESS(f"Demo geladen: {Case.objects.count()} casussen, {User.objects.count()} accounts.")
        )

    def _users(self):
        users = {}
        orgs = {o.name: o for o in Organisation.objects.all()}
        for row in json.loads((settings.BASE_DIR / "fixtures" / "demo_users.json").read_text()):
            user = User(
                username=row["username"],
                first_name=row["first_name"],
                last_name=row["last_name"],
                role=row["role"],
                organisation=orgs[row["organisation"]],
                email=f"{row['username']}@demo.example",
                is_staff=row["role"] == "functioneel_beheerder",  # keeps the configuration in the beheerscherm
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            users[row["username"]] = user
        admin = User(username="admin", first_name="Beheer", last_name="Technisch", is_staff=True, is_superuser=True)
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        return users

    def _youth(self, *, age_days, segment="1", bsn_status="normaal", geslacht=None, uren=(Decimal(320), None)):
        voornaam = FIRST_NAMES[self.names % len(FIRST_NAMES)]
        # FIRST_NAMES alternates boys' and girls' names.
        geslacht = geslacht or ("1" if self.names % 2 == 0 else "2")
        tussen, achter = LAST_NAMES[self.names % len(LAST_NAMES)]
        self.names += 1
        today = timezone.localdate()
        return JeugdigeInput(
            bsn_status=bsn_status,
            bsn=next(self.bsns) if bsn_status == "normaal" else "",
            voornaam=voornaam,
            tussenvoegsel=tussen,
            achternaam=achter,
            geboortedatum=today - timedelta(days=age_days),
            geslacht=geslacht,
            segment=segment,
            uren_begeleiding=uren[0],
            uren_behandeling=uren[1],
            straat="Stationsstraat",
            huisnummer=str(10 + self.names),
            postcode="5038 AA",
            woonplaats="Tilburg",
        )

    def _register(
        self,
        *,
        day,
        actor,
        gemeente,
        route="toegang",
        verwijzer_type="gemeente",
        youths=None,
        urgent=False,
        verwijzer_naam=None,
        verwijzer_organisatie="",
        verwijzer_code="",
    ):
        with time_machine.travel(at(day, 9), tick=False):
            youths = youths or [self._youth(age_days=365 * 12 + 40)]
            cases = services.register_case(
                actor=actor,
                gezin_naam=youths[0].achternaam,
                jeugdigen=youths,
                gemeente=self.orgs[f"Gemeente {gemeente}"],
                route=route,
                verwijzer_type=verwijzer_type,
                verwijzer_naam=verwijzer_naam or actor.get_full_name(),
                verwijzer_organisatie=verwijzer_organisatie or (actor.organisation.name if route == "toegang" else ""),
                verwijzer_code=verwijzer_code,
                urgent=urgent,
                urgentie_motivatie="Acute veiligheidsrisico's thuis; het gezin kan niet wachten." if urgent else "",
                hulpvraag="Ernstige gedragsproblemen thuis en op school, zorgen over de veiligheid; "
                "eerdere ambulante hulp was onvoldoende.",
            )
        return cases

    def _prepare_toegang(self, case, actor, day):
        with time_machine.travel(at(day, 11), tick=False):
            services.save_ipva(
                actor=actor,
                case=case,
                texts={
                    v: f"Analyse {label.lower()}: zorgen en sterke kanten besproken met het gezin."
                    for v, label in Leefgebied.choices
                },
            )
            services.record_phone_consultation(
                actor=actor,
                case=case,
                datum=day,
                contactpersoon="Ellen Verhoeven",
                samenvatting="Casus besproken; segment 1 lijkt passend. Aanmelding volgt.",
            )

    def _aanmelden(self, case, actor, day):
        with time_machine.travel(at(day, 14), tick=False):
            case.refresh_from_db()
            services.aanmelden(actor=actor, case=case, aanmelddatum=day)

    def _intake(self, case, day, *, held=True, advies=True, segment1=True, partner="Sterk Huis", start=True):
        ap = self.users["aanmeldpunt"]
        with time_machine.travel(at(day, 9), tick=False):
            services.plan_aanmeldgesprek(
                actor=ap,
                case=case,
                gepland_op=at(day + timedelta(days=7), 10),
                locatie="Crossroads, Tilburg",
                jeugdige_uitgenodigd=True,
                verwijzer_uitgenodigd=True,
            )
        if not held:
            return
        held_day = day + timedelta(days=7)
        with time_machine.travel(at(held_day, 12), tick=False):
            services.record_aanmeldgesprek_gehouden(
                actor=ap,
                case=case,
                gehouden_op=at(held_day, 10),
                aanwezigen="jeugdige, moeder, verwijzer",
                verslag="Hulpvraag verkend; gezin gemotiveerd.",
            )
        if not advies:
            return
        advies_day = held_day + timedelta(days=2)
        with time_machine.travel(at(advies_day, 15), tick=False):
            services.record_aanmeldtafel_advies(
                actor=ap,
                case=case,
                datum=advies_day,
                segment1_nodig=segment1,
                regie_partner=self.orgs[partner] if segment1 else None,
                hulpvorm="intensief_ambulant" if segment1 else "",
                geadviseerd_segment="" if segment1 else "3",
                toelichting="Multidisciplinair besproken aan de aanmeldtafel.",
                te_behalen_resultaten="Weer dagelijks naar school; rust en veiligheid thuis; "
                "ouders weten hoe zij spanningen opvangen."
                if segment1
                else "",
                verwijzer_geraadpleegd_op=advies_day,
            )
        if not start:
            return
        with time_machine.travel(at(advies_day + timedelta(days=1), 10), tick=False):
            case.refresh_from_db()
            if segment1:
                services.start_hulpverlening(actor=ap, case=case)
            else:
                services.terugverwijzen(
                    actor=ap, case=case, toelichting="Segment 3 past beter; besproken met de verwijzer."
                )
        # The regievoerder records the start of care about two weeks later, when that day has come.
        care_day = advies_day + timedelta(days=14)
        if segment1 and care_day <= timezone.localdate():
            with time_machine.travel(at(care_day, 16), tick=False):
                case.refresh_from_db()
                late = care_day > case.aanmelddatum + timedelta(weeks=services.START_JEUGDHULP_WEEKS)
                services.record_zorg_gestart(
                    actor=self.users[REGIEVOERDERS[partner]],
                    case=case,
                    datum=care_day,
                    overbruggingszorg="Wekelijkse ambulante begeleiding door het wijkteam tot de start."
                    if late
                    else "",
                )

    def _toegang_case(self, *, worker, gemeente, day, steps, urgent=False, youths=None, **intake):
        actor = self.users[worker]
        cases = self._register(day=day, actor=actor, gemeente=gemeente, urgent=urgent, youths=youths)
        for case in cases:
            if steps >= 1:
                self._prepare_toegang(case, actor, day)
            if steps >= 2:
                self._aanmelden(case, actor, day + timedelta(days=1))
            if steps >= 3:
                self._intake(case, day + timedelta(days=2), **intake)
        return cases

    def _cases(self):
        today = timezone.localdate()
        d = lambda n: today - timedelta(days=n)  # noqa: E731

        # Concepts at the Toegang.
        self._toegang_case(worker="toegang.tilburg", gemeente="Tilburg", day=d(2), steps=0)
        self._toegang_case(worker="toegang.tilburg", gemeente="Tilburg", day=d(3), steps=1)
        self._toegang_case(worker="toegang.waalwijk", gemeente="Waalwijk", day=d(5), steps=1)
        # A family with two youths in segment 1 and one in segment 2, with one coördinator for the family.
        family = [
            self._youth(age_days=365 * 14 + 100),
            self._youth(age_days=365 * 9 + 20),
            self._youth(age_days=365 * 6, segment="2", uren=(Decimal(80), None)),
        ]
        for y in family[1:]:
            y.achternaam, y.tussenvoegsel = family[0].achternaam, family[0].tussenvoegsel
        self.family_cases = self._toegang_case(
            worker="toegang.tilburg", gemeente="Tilburg", day=d(20), steps=3, youths=family, partner="GGZ Breburg"
        )

        # In the aanmeldfase, at each step.
        self._toegang_case(worker="toegang.tilburg", gemeente="Tilburg", day=d(4), steps=2, urgent=True)
        self._toegang_case(worker="toegang.waalwijk", gemeente="Waalwijk", day=d(6), steps=2)
        self._toegang_case(worker="toegang.dongen", gemeente="Dongen", day=d(12), steps=3, held=False)
        self._toegang_case(worker="toegang.tilburg", gemeente="Tilburg", day=d(15), steps=3, advies=False)
        self._toegang_case(worker="toegang.waalwijk", gemeente="Waalwijk", day=d(16), steps=3, start=False)
        # A geheim BSN, and an unborn child (care on the mother's BSN).
        self._toegang_case(
            worker="toegang.tilburg",
            gemeente="Tilburg",
            day=d(9),
            steps=2,
            youths=[self._youth(age_days=365 * 15, bsn_status="geheim")],
        )
        self._toegang_case(
            worker="toegang.dongen",
            gemeente="Dongen",
            day=d(8),
            steps=2,
            youths=[self._youth(age_days=-60, bsn_status="ongeboren", geslacht="0")],
        )

        # Hulpverlenend, across the partners.
        for n, (worker, gem, partner) in enumerate(
            [
                ("toegang.tilburg", "Tilburg", "Sterk Huis"),
                ("toegang.waalwijk", "Waalwijk", "Amarant"),
                ("toegang.dongen", "Dongen", "De Viersprong"),
                ("toegang.tilburg", "Tilburg", "GGZ Breburg"),
                ("toegang.tilburg", "Tilburg", "Sterk Huis"),
            ]
        ):
            self._toegang_case(worker=worker, gemeente=gem, day=d(40 + 25 * n), steps=3, partner=partner)

        # Terugverwezen.
        self._toegang_case(worker="toegang.tilburg", gemeente="Tilburg", day=d(30), steps=3, segment1=False)
        self._toegang_case(worker="toegang.waalwijk", gemeente="Waalwijk", day=d(50), steps=3, segment1=False)

        # Other routes, registered by the aanmeldpunt.
        ap = self.users["aanmeldpunt"]
        medisch = self._register(
            day=d(10),
            actor=ap,
            gemeente="Goirle",
            route="medisch_domein",
            verwijzer_type="huisarts",
            verwijzer_naam="Dr. A. Huisman",
            verwijzer_organisatie="Huisartsenpraktijk Goirle",
            verwijzer_code="01012345",
        )[0]
        self._aanmelden(medisch, ap, d(10))
        self._intake(medisch, d(9), start=False)
        with time_machine.travel(at(d(1), 10), tick=False):
            medisch.refresh_from_db()
            request_coordination(actor=ap, case=medisch, given_by="ouders_en_jeugdige", given_on=d(1))
        coa = self._register(
            day=d(7),
            actor=ap,
            gemeente="Gilze en Rijen",
            route="medisch_domein",
            verwijzer_type="ggd_jeugdarts_coa",
            verwijzer_naam="J. de Laat, jeugdarts",
            verwijzer_organisatie="GGD Hart voor Brabant, COA-locatie Gilze",
            verwijzer_code="01054321",
        )[0]
        self._aanmelden(coa, ap, d(7))
        gi = self._register(
            day=d(60),
            actor=ap,
            gemeente="Heusden",
            route="gi",
            verwijzer_type="gi_jbb",
            verwijzer_naam="M. Rovers",
            verwijzer_organisatie="Jeugdbescherming Brabant",
        )[0]
        self._aanmelden(gi, ap, d(60))
        self._intake(gi, d(59), partner="Amarant")
        overgang = self._register(
            day=d(11),
            actor=ap,
            gemeente="Oisterwijk",
            route="overgangsclient",
            verwijzer_type="gemeente",
            verwijzer_naam="Toegang Oisterwijk",
        )[0]
        self._aanmelden(overgang, ap, d(11))
        lta = self._register(
            day=d(90),
            actor=ap,
            gemeente="Loon op Zand",
            route="lta",
            verwijzer_type="gemeente",
            verwijzer_naam="Toegang Loon op Zand",
        )[0]
        self._aanmelden(lta, ap, d(90))
        self._intake(lta, d(89), partner="De Viersprong")

        # Ended early: moved to another gemeente.
        moved = self._toegang_case(
            worker="toegang.tilburg", gemeente="Tilburg", day=d(120), steps=3, partner="Sterk Huis"
        )[0]
        with time_machine.travel(at(d(20), 10), tick=False):
            moved.refresh_from_db()
            services.voortijdig_beeindigen(
                actor=self.users["regie.sterkhuis"],
                case=moved,
                expected_phase=moved.phase,
                reden="verhuisd",
                toelichting="Gezin verhuisd naar Breda; warme overdracht aan de Toegang Breda op 2 november.",
            )
        self._care()
        self._family_coordinator(d(8))
        # A document on one case.
        with time_machine.travel(at(d(3), 12), tick=False):
            case = Case.objects.filter(route="toegang", phase="concept").order_by("pk").last()
            services.store_document(
                actor=self.users["toegang.tilburg"]
                if case.gemeente.name.endswith("Tilburg")
                else self.users["toegang.waalwijk"],
                case=case,
                kind="ipva",
                title="IPVA (scan)",
                uploaded_file=SimpleUploadedFile("ipva.pdf", PDF, content_type="application/pdf"),
            )
        coordination_demo.load(self.users)

    def _family_coordinator(self, day):
        """The family's one coördinator [HvB-QA 6]: a Toegang worker of her own, not the worker who referred."""
        coordinator = self.users["coordinator.tilburg"]
        with time_machine.travel(at(day, 11), tick=False):
            for case in self.family_cases:
                case.refresh_from_db()
                services.assign_coordinator(
                    actor=self.users["toegang.tilburg"],
                    case=case,
                    coordinator=coordinator,
                    reason="Eén coördinator voor het hele gezin.",
                )

    def _beschikking(self, case):
        services.record_beschikking(
            actor=self.users["aanmeldpunt"],
            case=case,
            afgegeven_op=case.zorg_gestart_op,
            resultaat="Toegekend: hoog specialistische jeugdhulp (segment 1)",
            productcategorie="45",
            productcode="45A01",
            activiteiten="Intensieve ambulante gezinsbehandeling en begeleiding van de jeugdige.",
            frequentie="6 uur per week",
            ingangsdatum=case.zorg_gestart_op,
        )

    def _care(self):
        """The hulpverlenende fase: named regievoerders and coördinatoren, plans, an evaluation, a signal,
        a crisis, an afronding and a case closed after its eindevaluatie."""
        today = timezone.localdate()
        in_care = list(
            Case.objects.filter(phase="hulpverlenend", zorg_gestart_op__isnull=False)
            .select_related("regie_organisatie", "verwijzer_user")
            .order_by("aanmelddatum", "pk")
        )
        for case in in_care:
            regievoerder = self.users[REGIEVOERDERS[case.regie_organisatie.name]]
            with time_machine.travel(at(case.zorg_gestart_op, 17), tick=False):
                services.assign_regievoerder(actor=regievoerder, case=case, regievoerder=regievoerder)
                if case.verwijzer_user:
                    services.assign_coordinator(
                        actor=case.verwijzer_user, case=case, coordinator=case.verwijzer_user, reason="Verwijzer"
                    )
                if not guards.no_beschikking_reason(case):  # none on the GI route, none for Jeugdzorgplus
                    self._beschikking(case)
                services.record_behandelplan(
                    actor=regievoerder,
                    case=case,
                    doelen="Veilig en stabiel thuis wonen; weer naar school.",
                    resultaten="Geen crisisopnames meer; 4 dagen per week naar school; ouders hanteren de "
                    "afspraken uit de gezinsbehandeling.",
                    afspraken="Wekelijks gezinsbehandeling; maandelijks overleg met school en coördinator.",
                )
        toegang_cases = [c for c in in_care if c.verwijzer_user]
        closed, closing, crisis, signal, revised = (toegang_cases + [None] * 5)[:5]

        def regie(case):
            return self.users[REGIEVOERDERS[case.regie_organisatie.name]]

        for case in (closed, closing):
            if case is None:
                continue
            with time_machine.travel(at(today - timedelta(days=6), 11), tick=False):
                case.refresh_from_db()
                services.record_evaluatie(
                    actor=regie(case),
                    case=case,
                    datum=today - timedelta(days=6),
                    aanwezigen="jeugdige, moeder, coördinator",
                    verslag="Doelen grotendeels bereikt; school gaat goed.",
                )
                services.record_resultaten_bereikt(actor=regie(case), case=case)
                services.record_resultaten_bereikt(actor=case.verwijzer_user, case=case)
                services.afronding_starten(actor=regie(case), case=Case.objects.get(pk=case.pk))
        if closed is not None:
            with time_machine.travel(at(today - timedelta(days=2), 14), tick=False):
                closed.refresh_from_db()
                services.record_eindevaluatie(
                    actor=regie(closed),
                    case=closed,
                    datum=today - timedelta(days=2),
                    jeugdige_aanwezig=True,
                    verwijzer_aanwezig=True,
                    coordinator_aanwezig=True,
                    verslag="Samen teruggekeken: de doelen zijn bereikt. Het gezin kan verder met lichte hulp.",
                )
                services.record_vervolg(
                    actor=regie(closed), case=closed, besluit="geen_vervolg", lichte_hulp_loopt_door=True
                )
                services.record_einddatum(
                    actor=regie(closed),
                    case=closed,
                    einddatum=today - timedelta(days=2),
                    afgesproken_met_coordinator=True,
                )
                services.afsluiten(actor=regie(closed), case=Case.objects.get(pk=closed.pk))
        if crisis is not None:
            with time_machine.travel(at(today - timedelta(days=1), 22), tick=False):
                crisis.refresh_from_db()
                services.crisis_melden(
                    actor=regie(crisis),
                    case=crisis,
                    expected_phase="hulpverlenend",
                    gesignaleerd_door="moeder (telefonisch)",
                    reden="Jeugdige is na een conflict thuis weggelopen en bij een vriend opgevangen.",
                    cit_gecontacteerd=True,
                    geinformeerd="ouders, coördinator, aanmeldpunt",
                )
        if signal is not None:
            with time_machine.travel(at(today - timedelta(days=3), 10), tick=False):
                signal.refresh_from_db()
                services.record_signaal(
                    actor=regie(signal),
                    case=signal,
                    domein="schulden",
                    beschrijving="Moeder heeft betalingsachterstanden; aanmelding schuldhulpverlening nodig.",
                )
        if revised is not None:
            with time_machine.travel(at(today - timedelta(days=4), 15), tick=False):
                revised.refresh_from_db()
                services.record_behandelplan(
                    actor=regie(revised),
                    case=revised,
                    doelen="Veilig en stabiel thuis wonen; weer naar school; dagbesteding voor vader.",
                    resultaten="Geen crisisopnames meer; 4 dagen per week naar school.",
                    afspraken="Wekelijks gezinsbehandeling; tweewekelijks overleg met school.",
                    wijziging="Dagbesteding vader toegevoegd na de tussentijdse evaluatie.",
                )
