"""Read queries, already narrowed to what the user may see (need to know, DOMAIN.md section 9).

Every list, search and figure of case data starts from `visible_cases(user)`: one queryset filter
built from role and organisation, plus django-guardian grants for the exceptions. A case's page, its
parts, documents and letters start from `openable_cases(user)`, the same but for a manager: a manager
sees figures and the lists to act on, and opens only a case they are on themselves.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models import Case as When_
from django.db.models.expressions import Col, Expression
from django.db.models.functions import Coalesce, Upper
from django.db.models.lookups import Contains, Exact, StartsWith
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import OrganisationKind, User, is_gastheergemeente
from accounts.roles import Role
from accounts.services import log_access

from . import guards, letters
from .bsn import normalise_bsn
from .guards import related
from .models import (
    OPEN_PHASES,
    Behandelplan,
    BsnStatus,
    Case,
    CaseDocument,
    CaseEvent,
    CaseRoleHolder,
    CaseUserObjectPermission,
    Crisis,
    DocumentJob,
    DocumentKind,
    Evaluatie,
    FamilyLetterSent,
    Gezin,
    GiBepaling,
    Jeugdige,
    MeldcodeStap,
    Overbrugging,
    Phase,
    Route,
    Signaal,
    Substitution,
    VerwijzerType,
)
from .pagination import CappedPaginator

BACKOFFICE_SIGHT_AFTER_ENDING = timedelta(days=7)


def visibility_q(user: User) -> Q:
    role = user.role
    org_id = user.organisation_id
    if not user.is_authenticated or not role or org_id is None:
        return Q(pk__in=[])
    if role in (Role.TOEGANG_MEDEWERKER, Role.GEDRAGSWETENSCHAPPER):
        gemeente = user.organisation.own_gemeente_id
        own_gemeente = Q(gemeente_id=gemeente) & (~Q(phase=Phase.CONCEPT) | Q(created_by_organisation=org_id))
        # A verwijzer keeps sight of a referral for a youth living in another gemeente.
        return own_gemeente | Q(verwijzer_user=user.pk)
    if role in (Role.AANMELDPUNT, Role.MANAGER_CROSSROADS):
        return ~Q(phase=Phase.CONCEPT) | Q(created_by_organisation=org_id)
    if role == Role.REGIEVOERDER:
        return Q(regie_organisatie=org_id)
    if role == Role.MANAGER_GEMEENTE:
        return Q(gemeente=org_id) & ~Q(phase=Phase.CONCEPT)
    if role == Role.BACKOFFICE and user.organisation.kind == OrganisationKind.GEMEENTE:
        # Another GI sends its bepaling to the gemeente, which assigns on it without a JW315 [HvB-STAP]: on
        # those cases the backoffice needs the case (ADR 0019); Tilburg, the gastheergemeente, for all.
        gi_cases = Q(route=Route.GI, verwijzer_type=VerwijzerType.GI_ANDERS, phase__in=OPEN_PHASES)
        # A toewijzing in segment 2 to 4 that still runs is ended by the gemeente [HvB-S1] (ADR 0021): the
        # case while it waits for that, and for a week after, to check what was recorded. By its reverse
        # name: messaging sits above referrals.
        since = timezone.now() - BACKOFFICE_SIGHT_AFTER_ENDING
        waiting = Case.objects.filter(
            Q(lopende_toewijzingen__beeindigd_at__isnull=True) | Q(lopende_toewijzingen__beeindigd_at__gte=since),
            lopende_toewijzingen__isnull=False,
        ).values("pk")
        cases = (gi_cases | Q(pk__in=waiting)) & ~Q(phase=Phase.CONCEPT)
        if is_gastheergemeente(user.organisation):
            return cases
        return cases & Q(gemeente=org_id)
    return Q(pk__in=[])


def _identity_visible(user: User, case: str = ""):
    """True where the user may see who the youth is: always, except a geheim BSN without a grant.
    `case` is the path to the case from the model queried ("case__" for a row of a case), "" for Case."""
    granted = CaseUserObjectPermission.objects.filter(
        content_object=OuterRef(f"{case}pk"), user=user, permission__codename="view_identity"
    )
    return When_(
        When(~Q(**{f"{case}jeugdige__bsn_status": BsnStatus.GEHEIM}), then=Value(True)),
        default=Exists(granted),
        output_field=BooleanField(),
    )


def visible_cases(user: User) -> QuerySet[Case]:
    """The cases in the user's lists and figures."""
    return Case.objects.filter(visibility_q(user)).annotate(identity_visible=_identity_visible(user))


# A manager aggregates and has the lists needed to act, not the files [DOMAIN 9]. No consent the family
# gives covers a manager (ConsentSubject: coordination, IPVA, WAT-brief), so being on the case is the only way.
FIGURES_ROLES = (Role.MANAGER_CROSSROADS, Role.MANAGER_GEMEENTE)


def on_case_q(user: User) -> Q:
    """The cases the user is on: as coördinator or regievoerder, standing in for one today, or as verwijzer."""
    today = timezone.localdate()
    standing_in = Substitution.objects.filter(case=OuterRef("pk"), substitute=user, start__lte=today, end__gte=today)
    return Q(coordinator=user.pk) | Q(regievoerder=user.pk) | Q(verwijzer_user=user.pk) | Q(Exists(standing_in))


def case_access_q(user: User) -> Q:
    """The cases whose page, parts, documents and letters the user may open: those in their lists, except
    that a manager opens only a case they are on."""
    q = visibility_q(user)
    if user.role in FIGURES_ROLES:
        q &= on_case_q(user)
    return q


def openable_cases(user: User) -> QuerySet[Case]:
    return Case.objects.filter(case_access_q(user)).annotate(identity_visible=_identity_visible(user))


def closed_case_ids(user: User, cases) -> set[int]:
    """Of these listed cases, the ones the user may not open (a manager's not on them): a list shows their
    number without a link. One query, and none for a role that opens every case it lists."""
    pks = {case.pk for case in cases}
    if user.role not in FIGURES_ROLES or not pks:
        return set()
    return pks - set(Case.objects.filter(case_access_q(user), pk__in=pks).values_list("pk", flat=True))


def _with_list_relations(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("jeugdige", "gemeente", "regie_organisatie")


@dataclass
class CaseFilters:
    q: str = ""
    fase: str = ""
    gemeente: int | None = None
    partner: int | None = None
    route: str = ""
    urgent: bool = False


def search_cases(user: User, filters: CaseFilters) -> QuerySet[Case]:
    qs = visible_cases(user)
    term = filters.q.strip()
    if term:
        bsn = normalise_bsn(term)
        if bsn.isdigit() and len(bsn) == 9:
            match = Q(jeugdige__bsn=bsn)
        elif term.upper().startswith("S1-") and term[3:].isascii() and term[3:].isdigit():
            match = Q(pk=int(term[3:]))
        else:
            match = Q()
            for word in term.split():
                match &= _name_matches(word)
        # Nobody finds a geheim-BSN youth by name or number without being allowed to see it.
        qs = qs.filter(match).filter(identity_visible=True)
    if filters.fase:
        qs = qs.filter(phase=filters.fase)
    if filters.gemeente:
        qs = qs.filter(gemeente_id=filters.gemeente)
    if filters.partner:
        qs = qs.filter(regie_organisatie_id=filters.partner)
    if filters.route:
        qs = qs.filter(route=filters.route)
    if filters.urgent:
        qs = qs.filter(urgent=True)
    return _with_list_relations(qs).order_by("-urgent", "-aanmelddatum", "-pk")


def references_text(refs: list[str], limit: int = 260) -> str:
    """Case references for the access log, as many as fit its description, then how many more."""
    refs = list(dict.fromkeys(refs))
    shown: list[str] = []
    for ref in refs:
        if len(", ".join([*shown, ref])) > limit:
            break
        shown.append(ref)
    more = len(refs) - len(shown)
    return (", ".join(shown) or "geen") + (f" en {more} meer" if more else "")


def log_case_list(*, user: User, where: str, cases, search: str = "", channel: str = "") -> None:
    """A list that shows youths' names is a view of personal data too: log which cases it showed, and the
    search term that found them (`channel`: "API" when the REST API was asked)."""
    refs = [case.reference for case in cases]
    if refs:
        text = references_text(refs)
        log_access(user=user, action="lijst", object_type="casussen", object_id="-", description=f"{where}: {text}")
    if search:
        label = f"Zoekterm ({channel})" if channel else "Zoekterm"
        log_access(user=user, action="zoeken", object_type="casussen", object_id="-", description=f"{label}: {search}")


def case_list_page(user: User, filters: CaseFilters, number, *, where: str, per_page: int = 25):
    """One page of the case list or search, its rows (and the search term) logged."""
    page = CappedPaginator(search_cases(user, filters), per_page).get_page(number)
    log_case_list(user=user, where=where, cases=page.object_list, search=filters.q)
    return page


class _CaseSearchName(Expression):
    """One of the case row's copies of the youth's names (referrals migration 0010, PostgreSQL only),
    uppercased; a column outside the model, so it is named here and resolved against the case table's
    alias of the query (also when the query becomes a subquery)."""

    def __init__(self, column: str):
        super().__init__(output_field=TextField())
        self.column = column

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        target = TextField()
        target.set_attributes_from_name(self.column)
        target.model = Case
        return Col(query.get_initial_alias(), target)


# A search word this short is a tussenvoegsel ("de", "te") or the start of a name ("Jo"): matching it
# anywhere inside names would find most youths ("de" is in Hendriks) and no index can serve it.
SHORT_WORD = 2


def _name_matches(word: str) -> Q:
    """A word of a name search: part of the first or last name (the start of it for a short word), or
    the tussenvoegsel itself. On PostgreSQL it is matched on the case row's copies of the names, whose
    trigram indexes are intersected with the visibility's before any row is read (docs/performance.md);
    elsewhere on the youth."""
    short = len(word) <= SHORT_WORD
    if connection.vendor != "postgresql":
        lookup = "istartswith" if short else "icontains"
        return (
            Q(**{f"jeugdige__voornaam__{lookup}": word})
            | Q(**{f"jeugdige__achternaam__{lookup}": word})
            | Q(jeugdige__tussenvoegsel__iexact=word)
        )
    upper = Upper(Value(word))
    part = StartsWith if short else Contains
    return (
        Q(part(_CaseSearchName("zoek_voornaam"), upper))
        | Q(part(_CaseSearchName("zoek_achternaam"), upper))
        | Q(Exact(_CaseSearchName("zoek_tussenvoegsel"), upper))
    )


# Sharing that needs the family's consent [HvB-QA 9]: the IPVA goes to the regievoerder, the WAT-brief and
# the adviesverslag to the coördinator (the Toegang), each only while consent holds (mirrored on the case).
TOEGANG_ROLES = (Role.TOEGANG_MEDEWERKER, Role.GEDRAGSWETENSCHAPPER)


def documents_q(user: User) -> Q:
    """The documents of a (visible) case that this user may open. The backoffice assigns on a GI's bepaling:
    of the file, it opens the bepaling (the verwijzing), not the IPVA or the care's reports."""
    if user.role == Role.BACKOFFICE:
        return Q(kind=DocumentKind.VERWIJZING)
    if user.role == Role.REGIEVOERDER:
        return ~Q(kind=DocumentKind.IPVA) | Q(case__ipva_delen_toegestaan=True)
    if user.role in TOEGANG_ROLES:
        return (
            ~Q(kind__in=[DocumentKind.WAT_BRIEF, DocumentKind.ADVIESVERSLAG])
            | Q(case__wat_advies_delen_toegestaan=True)
            | Q(uploaded_by__organisation=user.organisation_id)
        )
    return Q()


def ipva_shared_with(user: User, case: Case) -> bool:
    return user.role != Role.REGIEVOERDER or case.ipva_delen_toegestaan


def _find_case(user: User, qs: QuerySet, public_id, *, shown: str) -> Case:
    """The case from `qs` (already narrowed to what `user` may see). A case that exists but is not the
    user's is a refused attempt: logged as such, then 404 exactly as for a case that does not exist, so the
    answer does not tell the one from the other."""
    try:
        return qs.get(public_id=public_id)
    except Case.DoesNotExist:
        pk = Case.objects.filter(public_id=public_id).values_list("pk", flat=True).first()
        if pk is not None:
            description = f"{Case.reference_of(pk)}: geen toegang ({shown})"
            log_access(user=user, action="geweigerd", object_type="casus", object_id=public_id, description=description)
        raise Http404("Deze casus bestaat niet of u heeft er geen toegang toe.") from None


def _read_case(
    user: User, qs: QuerySet, public_id, *, shown: str, description: str = "", action: str = "inzien"
) -> Case:
    """`_find_case`, with the read written to the access log as `shown` (what the page or endpoint shows
    of the case: "casus", "coördinatie", "berichten", ...) and `action` ("inzien", "downloaden", ...)."""
    case = _find_case(user, qs, public_id, shown=shown)
    log_access(
        user=user,
        action=action,
        object_type=shown,
        object_id=case.public_id,
        description=f"{case.reference}: {description}" if description else case.reference,
    )
    return case


def visible_case(user: User, public_id, *, shown: str, description: str = "", action: str = "inzien") -> Case:
    """One case with what a page about one part of it needs (youth, gemeente, partner), read and logged."""
    qs = openable_cases(user).select_related("jeugdige__gezin", "gemeente", "regie_organisatie")
    return _read_case(user, qs, public_id, shown=shown, description=description, action=action)


def case_detail(
    user: User, public_id, *, shown: str = "casus", description: str = "", action: str = "inzien", logged: bool = True
) -> Case:
    """The case with everything its page shows, read and logged (see `_read_case`)."""
    qs = (
        openable_cases(user)
        .select_related(
            "jeugdige__gezin",
            "gemeente",
            "regie_organisatie",
            "verwijzer_user",
            "regievoerder__organisation",
            "coordinator__organisation",
            "ipva",
            "aanmeldgesprek",
            "aanmeldtafel_advies__regie_partner",
            "eindevaluatie",
            "vervolg__lichte_hulp_gestopt_door",
            "beschikking__aanbieder",
            "perspectiefplan",
        )
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=CaseDocument.objects.filter(documents_q(user)).select_related("uploaded_by"),
            ),
            "phone_consultations",
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
            Prefetch("jeugdige__gezin__jeugdigen", queryset=family_members(user)),
            Prefetch("substitutions", queryset=Substitution.objects.select_related("absent", "substitute")),
            Prefetch("role_history", queryset=CaseRoleHolder.objects.select_related("user", "assigned_by")),
            Prefetch("behandelplannen", queryset=Behandelplan.objects.select_related("created_by")),
            Prefetch("evaluaties", queryset=Evaluatie.objects.select_related("recorded_by")),
            Prefetch("signalen", queryset=Signaal.objects.select_related("created_by", "opgepakt_door")),
            Prefetch("crises", queryset=Crisis.objects.select_related("reported_by", "plan_by")),
            Prefetch("gi_bepalingen", queryset=GiBepaling.objects.select_related("gi", "recorded_by", "document")),
            Prefetch("family_letters_sent", queryset=FamilyLetterSent.objects.select_related("sent_by")),
            Prefetch("overbruggingen", queryset=Overbrugging.objects.select_related("recorded_by")),
            Prefetch("meldcode_stappen", queryset=MeldcodeStap.objects.select_related("recorded_by")),
        )
    )
    if logged:
        case = _read_case(user, qs, public_id, shown=shown, description=description, action=action)
    else:  # what is shown of it is logged by the caller once it is made (a letter)
        case = _find_case(user, qs, public_id, shown=shown)
    today = timezone.localdate()
    case.current_substitutions = {s.role: s for s in case.substitutions.all() if s.covers(today)}
    case.open_crisis = guards.open_crisis(case)
    # The structured IPVA follows the same consent as the IPVA document; the page reads only this attribute.
    case.shared_ipva = related(case, "ipva") if ipva_shared_with(user, case) else None
    return case


def document_job(user: User, public_id, job_id, *, polled: bool = False) -> DocumentJob:
    """A document in the making, for the person who asked for it, on a case they still see. Its page is
    logged; its progress, `polled` every second, shows no personal data and is not."""
    job = get_object_or_404(
        DocumentJob.objects.select_related("case__jeugdige", "document")
        .filter(case__in=Case.objects.filter(case_access_q(user)), requested_by=user)
        .annotate(identity_visible=_identity_visible(user, case="case__")),
        case__public_id=public_id,
        public_id=job_id,
    )
    job.case.identity_visible = job.identity_visible
    if not polled:
        log_access(
            user=user,
            action="inzien",
            object_type="brief",
            object_id=job.case.public_id,
            description=f"{job.case.reference} {letters.BY_KIND[job.kind].title} (voortgang)",
        )
    return job


def visible_document(user: User, case: Case, document_id) -> CaseDocument:
    """A document of `case` the user may open (consent and role, DOMAIN.md section 9). One of the case that
    the user may not open is a refused attempt, logged as such."""
    try:
        return CaseDocument.objects.filter(documents_q(user)).get(case=case, public_id=document_id)
    except CaseDocument.DoesNotExist:
        if CaseDocument.objects.filter(case=case, public_id=document_id).exists():
            what = f"{case.reference}: geen toegang (document)"
            log_access(user=user, action="geweigerd", object_type="document", object_id=document_id, description=what)
        raise Http404("Dit document bestaat niet of u heeft er geen toegang toe.") from None


def log_letter(user: User, case: Case, title: str, *, action: str) -> None:
    """A letter made from the case and shown (preview) or downloaded: only once it was made."""
    log_access(
        user=user, action=action, object_type="brief", object_id=case.public_id, description=f"{case.reference} {title}"
    )


def read_document(user: User, case_id, document_id, *, action: str = "inzien") -> CaseDocument:
    """A document of a case the user sees, its read (or download) logged once."""
    case = _find_case(user, openable_cases(user), case_id, shown="document")
    document = visible_document(user, case, document_id)
    document.case = case
    log_access(
        user=user,
        action=action,
        object_type="document",
        object_id=document.public_id,
        description=f"{case.reference} {document.get_kind_display()} v{document.version}",
    )
    return document


@dataclass
class TransitionOption:
    name: str
    label: str
    allowed: bool
    permitted: bool
    reasons: list[str] = field(default_factory=list)
    secondary: bool = False


def transition_options(case: Case, user: User) -> list[TransitionOption]:
    """The phase transitions from the current phase: which the user can fire now, and for the
    others, in Dutch, why not yet."""
    options = []
    for t in case.get_all_phase_transitions():
        if t.source not in (case.phase, "*"):
            continue
        permitted = t.has_perm(case, user)
        reasons = [c.reason for c in t.conditions if not c(case)]
        if not permitted:
            reasons = [guards.role_reason(t)]
        options.append(
            TransitionOption(
                name=t.name,
                label=t.custom["label"],
                allowed=permitted and not reasons,
                permitted=permitted,
                reasons=reasons,
                secondary=t.custom.get("secondary", False),
            )
        )
    return options


# --- Work lists -----------------------------------------------------------------------------------


def intake_queue(user: User) -> QuerySet[Case]:
    """The aanmeldpunt's incoming referrals: urgent first, then oldest first."""
    return (
        _with_list_relations(visible_cases(user).filter(phase=Phase.AANMELD))
        .select_related("aanmeldgesprek", "aanmeldtafel_advies")
        .order_by("-urgent", "aanmelddatum", "pk")
    )


def toegang_work_list(user: User) -> dict[str, QuerySet[Case]]:
    mine = visible_cases(user).filter(Q(verwijzer_user=user) | Q(created_by=user))
    return {
        "concepten": _with_list_relations(mine.filter(phase=Phase.CONCEPT)).order_by("-created_at"),
        "aangemeld": _with_list_relations(mine.filter(phase=Phase.AANMELD))
        .select_related("aanmeldgesprek")
        .order_by("-urgent", "aanmelddatum"),
        "terugverwezen": _with_list_relations(mine.filter(phase=Phase.TERUGVERWEZEN)).order_by("-updated_at")[:20],
    }


def _with_care_state(qs: QuerySet[Case]) -> QuerySet[Case]:
    """What the care work lists need to say what waits, in the same query."""
    open_signals = (
        Signaal.objects.filter(case=OuterRef("pk"), opgepakt_op__isnull=True)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        _with_list_relations(qs)
        .select_related("regievoerder", "coordinator", "eindevaluatie", "vervolg")
        .annotate(
            has_plan=Exists(Behandelplan.objects.filter(case=OuterRef("pk"))),
            crisis_plan=Exists(
                Crisis.objects.filter(case=OuterRef("pk"), afgesloten_op__isnull=True, plan_vastgelegd_op__isnull=False)
            ),
            open_signalen=Coalesce(Subquery(open_signals), 0),
        )
    )


def _standing_in_for(user: User, role: str) -> Exists:
    today = timezone.localdate()
    return Exists(
        Substitution.objects.filter(case=OuterRef("pk"), role=role, substitute=user, start__lte=today, end__gte=today)
    )


CARE_PHASES = [Phase.CRISIS, Phase.HULPVERLENEND, Phase.AFRONDEND]


# Closed, with light help that continues up to 3 months [HvB-WI 2.1]: the regievoerder still records its end.
LICHTE_HULP_LOOPT = Q(
    phase=Phase.AFGESLOTEN, vervolg__lichte_hulp_loopt_door=True, vervolg__lichte_hulp_gestopt_op__isnull=True
)


def regie_work_list(user: User) -> QuerySet[Case]:
    """The cases in care of the regievoerder's organisation, and those closed whose light help continues:
    crisis first, then the user's own (and those they stand in for), then those without a regievoerder yet."""
    qs = visible_cases(user).filter(Q(phase__in=CARE_PHASES) | LICHTE_HULP_LOOPT)
    return (
        _with_care_state(qs)
        .annotate(
            is_mine=When_(
                When(Q(regievoerder=user) | _standing_in_for(user, "regievoerder"), then=Value(0)),
                When(regievoerder__isnull=True, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by(
            When_(When(phase=Phase.CRISIS, then=Value(0)), default=Value(1)), "is_mine", "-urgent", "aanmelddatum"
        )
    )


def coordinator_work_list(user: User) -> QuerySet[Case]:
    """The cases in care this Toegang worker coordinates (or stands in for): crisis first, then what waits
    on the coördinator (signals, the results, the end date). Cases still in the aanmeldfase are on the
    Toegang's own list already."""
    qs = visible_cases(user).filter(Q(coordinator=user) | _standing_in_for(user, "coordinator"), phase__in=CARE_PHASES)
    return (
        _with_care_state(qs)
        .annotate(
            pressing=When_(
                When(phase=Phase.CRISIS, then=Value(0)),
                When(open_signalen__gt=0, then=Value(1)),
                When(
                    phase=Phase.HULPVERLENEND,
                    resultaten_bereikt_regievoerder_op__isnull=False,
                    resultaten_bereikt_coordinator_op__isnull=True,
                    then=Value(2),
                ),
                When(phase=Phase.AFRONDEND, einddatum__isnull=True, then=Value(3)),
                default=Value(4),
            )
        )
        .order_by("pressing", "-urgent", "aanmelddatum")
    )


def gemeente_cases_in_intake(user: User) -> QuerySet[Case]:
    return _with_list_relations(visible_cases(user).filter(phase=Phase.AANMELD)).order_by("-urgent", "aanmelddatum")


def phase_counts(user: User) -> dict[str, int]:
    rows = Case.objects.filter(visibility_q(user)).order_by().values("phase").annotate(n=Count("pk"))
    counts = {r["phase"]: r["n"] for r in rows}
    return {label: counts.get(value, 0) for value, label in Phase.choices if value != Phase.CONCEPT}


# --- People and families --------------------------------------------------------------------------


def substitute_candidates(case: Case) -> QuerySet[User]:
    """Who can stand in: Toegang colleagues of the coördinator, regievoerders of the regie organisation."""
    colleagues = Q(role=Role.REGIEVOERDER, organisation=case.regie_organisatie_id)
    if case.coordinator_id:
        colleagues |= Q(role=Role.TOEGANG_MEDEWERKER, organisation=case.coordinator.organisation_id)
    return (
        User.objects.filter(colleagues, is_active=True)
        .exclude(pk__in=[pk for pk in (case.coordinator_id, case.regievoerder_id) if pk])
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name")
    )


def regievoerder_candidates(case: Case) -> QuerySet[User]:
    return (
        User.objects.filter(role=Role.REGIEVOERDER, organisation=case.regie_organisatie_id, is_active=True)
        .select_related("organisation")
        .order_by("last_name", "first_name")
    )


@dataclass
class FamilyMember:
    jeugdige: Jeugdige
    identity_visible: bool
    cases: list[Case]


@dataclass
class Family:
    gezin: object
    members: list[FamilyMember]
    cases: list[Case]
    coordinators: list[User]

    @property
    def coordinator(self):
        return self.coordinators[0] if len(self.coordinators) == 1 else None


def family_members(user: User) -> QuerySet[Jeugdige]:
    """The youths of a family this user may know of: those with a case the user may open (with those cases
    only), and those without a case at all (a question in segment 2 to 4). A sibling whose case is not the
    user's is not there for them."""
    openable = openable_cases(user)
    return (
        Jeugdige.objects.filter(Q(cases__in=openable.values("pk")) | Q(cases__isnull=True))
        .distinct()
        .order_by("geboortedatum", "pk")
        .prefetch_related(Prefetch("cases", queryset=openable.order_by("pk")))
    )


def family(user: User, gezin_public_id) -> Family:
    """The youths of a gezin with the cases of theirs this user may see; 404 when the user sees none."""
    cases = list(
        _with_list_relations(openable_cases(user).filter(jeugdige__gezin__public_id=gezin_public_id))
        .select_related("jeugdige__gezin", "coordinator__organisation")
        .order_by("jeugdige__geboortedatum", "pk")
    )
    if not cases:
        if Gezin.objects.filter(public_id=gezin_public_id).exists():
            log_access(
                user=user,
                action="geweigerd",
                object_type="gezin",
                object_id=gezin_public_id,
                description="geen toegang",
            )
        raise Http404("Dit gezin is niet gevonden.")
    gezin = cases[0].jeugdige.gezin
    by_youth: dict[int, list[Case]] = {}
    for case in cases:
        by_youth.setdefault(case.jeugdige_id, []).append(case)
    members = []
    for jeugdige in family_members(user).filter(gezin=gezin):
        own = by_youth.get(jeugdige.pk, [])
        visible = any(c.identity_visible for c in own) if own else jeugdige.bsn_status != BsnStatus.GEHEIM
        members.append(FamilyMember(jeugdige=jeugdige, identity_visible=visible, cases=own))
    coordinators = {c.coordinator_id: c.coordinator for c in cases if c.coordinator_id and c.is_open}
    log_access(
        user=user,
        action="inzien",
        object_type="gezin",
        object_id=gezin_public_id,
        description=", ".join(c.reference for c in cases),
    )
    return Family(gezin=gezin, members=members, cases=cases, coordinators=list(coordinators.values()))
