"""Representations only: what a client reads. No queries, no rules: the selectors decided what the user
may see, the services decide what may change."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from referrals.templatetags.cases import youth_bsn, youth_name
from referrals.transitions import case_etag


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(read_only=True)
    cbs_code = serializers.CharField(read_only=True)
    agb_code = serializers.CharField(read_only=True)


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(source="get_full_name", read_only=True)


class YouthSerializer(serializers.Serializer):
    """Who the youth is, or only that they have a geheim BSN where the user may not know."""

    identity_visible = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    bsn = serializers.SerializerMethodField()
    bsn_status = serializers.CharField(source="jeugdige.bsn_status", read_only=True)
    geboortedatum = serializers.SerializerMethodField()

    def get_identity_visible(self, case) -> bool:
        return bool(getattr(case, "identity_visible", False))

    def get_name(self, case) -> str:
        return youth_name(case)

    def get_bsn(self, case) -> str:
        return youth_bsn(case, self.context.get("full_bsn", False))

    def get_geboortedatum(self, case) -> str | None:
        if not getattr(case, "identity_visible", False) or case.jeugdige.geboortedatum is None:
            return None
        return case.jeugdige.geboortedatum.isoformat()


class CaseSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    reference = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    phase = serializers.CharField(read_only=True)
    phase_label = serializers.CharField(source="get_phase_display", read_only=True)
    route = serializers.CharField(read_only=True)
    route_label = serializers.CharField(source="get_route_display", read_only=True)
    urgent = serializers.BooleanField(read_only=True)
    aanmelddatum = serializers.DateField(read_only=True, allow_null=True)
    gemeente = OrganisationSerializer(read_only=True)
    regie_organisatie = OrganisationSerializer(read_only=True, allow_null=True)
    jeugdige = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(read_only=True)
    etag = serializers.SerializerMethodField(help_text="goes into If-Match when firing a transition")

    def get_url(self, case) -> str:
        request = self.context.get("request")
        path = f"/api/v1/cases/{case.public_id}/"
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(YouthSerializer)
    def get_jeugdige(self, case):
        return YouthSerializer(case, context=self.context).data

    def get_etag(self, case) -> str:
        return case_etag(case)


class CaseDetailSerializer(CaseSerializer):
    verwijzer_type = serializers.CharField(read_only=True)
    verwijzer_naam = serializers.CharField(read_only=True)
    verwijzer_organisatie = serializers.CharField(read_only=True)
    hulpvraag = serializers.CharField(read_only=True)
    urgentie_motivatie = serializers.CharField(read_only=True)
    geadviseerd_segment = serializers.CharField(read_only=True)
    regievoerder = PersonSerializer(read_only=True, allow_null=True)
    coordinator = PersonSerializer(read_only=True, allow_null=True)
    zorg_gestart_op = serializers.DateField(read_only=True, allow_null=True)
    einddatum = serializers.DateField(read_only=True, allow_null=True)
    afgesloten_op = serializers.DateField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


class EventSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(source="get_kind_display", read_only=True)
    at = serializers.DateTimeField(read_only=True)
    actor = PersonSerializer(read_only=True, allow_null=True)
    actor_role = serializers.CharField(read_only=True)
    from_phase = serializers.CharField(read_only=True)
    to_phase = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True)


class TransitionOptionSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    allowed = serializers.BooleanField(read_only=True)
    permitted = serializers.BooleanField(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, option) -> str:
        return f"/api/v1/cases/{self.context['case'].public_id}/transitions/{option.name}/"


class TransitionsSerializer(serializers.Serializer):
    phase = serializers.CharField(read_only=True)
    etag = serializers.CharField(read_only=True)
    transitions = TransitionOptionSerializer(many=True, read_only=True)


class TransitionInputSerializer(serializers.Serializer):
    """The input of a transition, as the case page's form asks it. Steps without input take an empty body."""

    toelichting = serializers.CharField(
        required=False, help_text="terugverwijzen, crisis_afsluiten, voortijdig_beeindigen"
    )
    reden = serializers.CharField(required=False, help_text="hervatten; voortijdig_beeindigen (een EndReason)")
    aanmelddatum = serializers.DateField(required=False, help_text="aanmelden (alleen het aanmeldpunt)")
    gesignaleerd_door = serializers.CharField(required=False, help_text="crisis_melden")
    cit_gecontacteerd = serializers.BooleanField(required=False, help_text="crisis_melden")
    geinformeerd = serializers.CharField(required=False, help_text="crisis_melden")


class DocumentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    title = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    original_name = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    sha256 = serializers.CharField(read_only=True)
    uploaded_by = PersonSerializer(read_only=True)
    uploaded_at = serializers.DateTimeField(read_only=True)
    download = serializers.SerializerMethodField()

    def get_download(self, document) -> str:
        return f"/api/v1/cases/{document.case.public_id}/documents/{document.public_id}/content/"


class DeadlineSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)
    due_at = serializers.DateTimeField(read_only=True)
    due = serializers.CharField(read_only=True)
    left = serializers.CharField(read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    paused = serializers.BooleanField(read_only=True)
    explanation = serializers.CharField(read_only=True)


class LevelOptionSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    allowed = serializers.BooleanField(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)


class DecisionSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    from_level = serializers.CharField(read_only=True)
    to_level = serializers.CharField(read_only=True)
    decided_on = serializers.DateField(read_only=True)


class ConsentRowSerializer(serializers.Serializer):
    subject = serializers.CharField(read_only=True)
    given_by = serializers.CharField(read_only=True)
    given_on = serializers.DateField(read_only=True)
    withdrawn_on = serializers.DateField(read_only=True, allow_null=True)


class EscalationRowSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    topic = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)
    opened_on = serializers.DateField(read_only=True)
    due = serializers.DateField(read_only=True, allow_null=True)
    overdue = serializers.BooleanField(read_only=True)


class CoordinationSerializer(serializers.Serializer):
    level = serializers.CharField(read_only=True)
    level_label = serializers.CharField(read_only=True)
    coordinator = PersonSerializer(read_only=True, allow_null=True)
    is_open = serializers.BooleanField(read_only=True)
    options = LevelOptionSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    consents = ConsentRowSerializer(many=True, read_only=True)
    escalations = EscalationRowSerializer(many=True, read_only=True)
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)


class MessageSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    message_type = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)
    identificatie = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    direction = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    gemeente = OrganisationSerializer(read_only=True, allow_null=True)
    aanbieder = OrganisationSerializer(read_only=True, allow_null=True)
    dagtekening = serializers.DateField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    xml = serializers.SerializerMethodField()

    def get_direction(self, message) -> str:
        return "ingelezen" if message.imported else "aangemaakt"

    def get_case(self, message) -> str | None:
        return message.case.reference if message.case_id else None

    def get_xml(self, message) -> str:
        return f"/api/v1/messages/{message.public_id}/xml/"


class ImportResultSerializer(serializers.Serializer):
    message = MessageSerializer(read_only=True)
    accepted = serializers.BooleanField(read_only=True)
    codes = serializers.ListField(child=serializers.DictField(child=serializers.CharField()), read_only=True)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False)
    reasons = serializers.ListField(child=serializers.CharField(), required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
