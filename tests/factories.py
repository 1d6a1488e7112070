"""Test data: organisations and users by factory; cases through the real services (see `build_case`)."""

from datetime import date, datetime, time, timedelta

import factory
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, User
from coordination.models import required_consent_giver
from coordination.services import request_coordination
from referrals import services
from referrals.bsn import valid_bsns
from referrals.models import Case, Leefgebied
from referrals.services import JeugdigeInput

PASSWORD = "test-wachtwoord-1"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    kind = OrganisationKind.CROSSROADS
    name = factory.Sequence(lambda n: f"Organisatie {n}")


def gemeente(name="Tilburg", cbs="0855") -> Organisation:
    return OrganisationFactory(kind=OrganisationKind.GEMEENTE, name=f"Gemeente {name}", cbs_code=cbs)


def toegang_team(gem: Organisation) -> Organisation:
    return OrganisationFactory(kind=OrganisationKind.TOEGANG, name=f"Toegang {gem.name[9:]}", gemeente=gem)


def partner(name="Sterk Huis", agb="80000101") -> Organisation:
    return OrganisationFactory(kind=OrganisationKind.PARTNER, name=name, agb_code=agb)


def crossroads() -> Organisation:
    return OrganisationFactory(kind=OrganisationKind.CROSSROADS, name="Crossroads (aanmeldpunt)")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    role = "aanmeldpunt"
    organisation = factory.LazyFunction(crossroads)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


_bsns = valid_bsns(123456700)


def youth(*, age_years=12, bsn_status="normaal", segment="1", voornaam="Noah", achternaam="Jansen", **extra):
    today = timezone.localdate()
    born = today.replace(year=today.year - age_years) - timedelta(days=30)
    return JeugdigeInput(
        bsn_status=bsn_status,
        bsn=next(_bsns) if bsn_status == "normaal" else "",
        voornaam=voornaam,
        tussenvoegsel=extra.pop("tussenvoegsel", ""),
        achternaam=achternaam,
        geboortedatum=extra.pop("geboortedatum", born),
        geslacht="1",
        segment=segment,
        **extra,
    )


def at(day: date, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


STAGES = ["concept", "voorbereid", "aanmeld", "gepland", "gehouden", "advies", "hulpverlenend", "terugverwezen"]


def build_case(
    *,
    stage: str,
    toegang_user=None,
    aanmeldpunt_user=None,
    route="toegang",
    partner_org=None,
    segment1=True,
    hulpvorm="intensief_ambulant",
    verwijzer_type=None,
    verwijzer_organisatie="",
    **youth_kw,
) -> Case:
    """A case taken to `stage` by the real services, as the people who do each step."""
    assert stage in STAGES, stage
    gem = (toegang_user.organisation.own_gemeente if toegang_user else None) or gemeente()
    if toegang_user is None and route == "toegang":
        toegang_user = UserFactory(role="toegang_medewerker", organisation=toegang_team(gem))
    aanmeldpunt_user = aanmeldpunt_user or UserFactory(role="aanmeldpunt", organisation=crossroads())
    registrar = toegang_user if route == "toegang" else aanmeldpunt_user
    verwijzer_type = verwijzer_type or {"toegang": "gemeente", "medisch_domein": "huisarts", "gi": "gi_jbb"}.get(
        route, "gemeente"
    )
    (case,) = services.register_case(
        actor=registrar,
        gezin_naam="Jansen",
        jeugdigen=[youth(**youth_kw)],
        gemeente=gem,
        route=route,
        verwijzer_type=verwijzer_type,
        verwijzer_naam="Verwijzer",
        verwijzer_organisatie=verwijzer_organisatie,
    )
    if stage == "concept":
        return case
    today = timezone.localdate()
    if route == "toegang":
        services.save_ipva(actor=registrar, case=case, texts=dict.fromkeys(Leefgebied.values, "Analyse."))
        services.record_phone_consultation(
            actor=registrar, case=case, datum=today, contactpersoon="Aanmeldpunt", samenvatting="Besproken."
        )
    if stage == "voorbereid":
        return case
    case = services.aanmelden(actor=registrar, case=case, aanmelddatum=today - timedelta(days=3))
    if stage == "aanmeld":
        return case
    services.plan_aanmeldgesprek(
        actor=aanmeldpunt_user,
        case=case,
        gepland_op=at(today - timedelta(days=1)),
        locatie="Tilburg",
        jeugdige_uitgenodigd=True,
        verwijzer_uitgenodigd=True,
    )
    if stage == "gepland":
        return Case.objects.get(pk=case.pk)
    services.record_aanmeldgesprek_gehouden(
        actor=aanmeldpunt_user,
        case=case,
        gehouden_op=at(today - timedelta(days=1)),
        aanwezigen="jeugdige, verwijzer",
        verslag="",
    )
    if stage == "gehouden":
        return Case.objects.get(pk=case.pk)
    partner_org = partner_org or partner()
    services.record_aanmeldtafel_advies(
        actor=aanmeldpunt_user,
        case=case,
        datum=today,
        segment1_nodig=segment1,
        regie_partner=partner_org if segment1 else None,
        hulpvorm=hulpvorm if segment1 else "",
        geadviseerd_segment="" if segment1 else "3",
        te_behalen_resultaten="Weer naar school; rust thuis." if segment1 else "",
        verwijzer_geraadpleegd_op=today,
    )
    case = Case.objects.get(pk=case.pk)
    if stage == "advies":
        return case
    if stage == "hulpverlenend":
        if route in ("medisch_domein", "overgangsclient"):
            # Crossroads first asks the Toegang to coordinate, with the consent the youth's age requires.
            age = case.jeugdige.age_on(today)
            request_coordination(
                actor=aanmeldpunt_user, case=case, given_by=required_consent_giver(age), given_on=today
            )
            case = Case.objects.get(pk=case.pk)
        return services.start_hulpverlening(actor=aanmeldpunt_user, case=case)
    return services.terugverwijzen(actor=aanmeldpunt_user, case=case)


CARE_STAGES = ["in_zorg", "crisis", "resultaten", "afrondend", "afsluitbaar", "afgesloten"]


def build_care_case(
    *,
    stage: str,
    regievoerder=None,
    coordinator=None,
    toegang_user=None,
    coordinated=True,
    lichte_hulp=False,
    **kw,
) -> Case:
    """A toegang-route case in care, taken to `stage` by the real services: a named regievoerder and
    coördinator, care started today and a behandelplan; then crisis, results reached by both, afronding,
    eindevaluatie with everyone, no FOA needed, end date, closed.

    `coordinated=False`: a GI-route case (unless `route` says otherwise) that has no coördinator."""
    assert stage in CARE_STAGES, stage
    if regievoerder is not None:
        kw.setdefault("partner_org", regievoerder.organisation)
    if not coordinated:
        kw.setdefault("route", "gi")
    if toegang_user is None and coordinator is not None:
        toegang_user = coordinator
    case = build_case(stage="hulpverlenend", toegang_user=toegang_user, **kw)
    regievoerder = regievoerder or UserFactory(role="regievoerder", organisation=case.regie_organisatie)
    coordinator = (coordinator or case.verwijzer_user) if coordinated else None
    today = timezone.localdate()
    services.assign_regievoerder(actor=regievoerder, case=case, regievoerder=regievoerder)
    if coordinator is not None:
        services.assign_coordinator(actor=coordinator, case=case, coordinator=coordinator)
    services.record_zorg_gestart(actor=regievoerder, case=case, datum=today)
    services.record_behandelplan(
        actor=regievoerder, case=case, doelen="Rust thuis.", resultaten="Naar school.", afspraken="Wekelijks."
    )
    case = Case.objects.get(pk=case.pk)
    if stage == "in_zorg":
        return case
    if stage == "crisis":
        return services.crisis_melden(
            actor=regievoerder,
            case=case,
            expected_phase="hulpverlenend",
            gesignaleerd_door="moeder",
            reden="Escalatie thuis.",
            cit_gecontacteerd=True,
            geinformeerd="ouders, coördinator",
        )
    services.record_resultaten_bereikt(actor=regievoerder, case=case)
    if coordinator is not None:
        services.record_resultaten_bereikt(actor=coordinator, case=case)
    case = Case.objects.get(pk=case.pk)
    if stage == "resultaten":
        return case
    case = services.afronding_starten(actor=regievoerder, case=case)
    if stage == "afrondend":
        return case
    services.record_eindevaluatie(
        actor=regievoerder,
        case=case,
        datum=today,
        jeugdige_aanwezig=True,
        verwijzer_aanwezig=True,
        coordinator_aanwezig=coordinator is not None,
        verslag="Doelen bereikt.",
    )
    services.record_vervolg(actor=regievoerder, case=case, besluit="geen_vervolg", lichte_hulp_loopt_door=lichte_hulp)
    services.record_einddatum(
        actor=regievoerder, case=case, einddatum=today, afgesproken_met_coordinator=coordinator is not None
    )
    case = Case.objects.get(pk=case.pk)
    if stage == "afsluitbaar":
        return case
    return services.afsluiten(actor=regievoerder, case=case)
