from django import forms
from django.utils import timezone

from accounts.models import OrganisationKind, User
from accounts.roles import Role

from .models import (
    AfschaalIndicator,
    ConsentGiver,
    ConsentSubject,
    EscalationKind,
    EscalationTopic,
    OpschaalReden,
    RetCriterion,
)


def date_field(label: str, *, required=True, help_text="") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def text_field(label: str, *, required=False, rows=3, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=4000,
    )


def checkboxes(label: str, choices, help_text="") -> forms.MultipleChoiceField:
    # Not required at form level: the service says in Dutch what is missing, at the field.
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class CoordinationRequestForm(forms.Form):
    given_by = forms.ChoiceField(label="Toestemming gegeven door", choices=ConsentGiver.choices)
    given_on = date_field("Toestemming gegeven op")


class DecisionForm(forms.Form):
    decided_on = date_field("Besloten op")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class VaststellenForm(DecisionForm):
    met_gedragswetenschapper = forms.BooleanField(
        label="Besloten samen met de gedragswetenschapper van de Toegang", required=False
    )
    met_crossroads = forms.BooleanField(label="Besloten samen met Crossroads", required=False)
    toelichting = text_field("Toelichting (zoals vastgelegd in het IPVA)")


class ThreeDecideForm(DecisionForm):
    """Opschalen and afschalen: coördinator, gedragswetenschapper and regievoerder decide together [HvB-WI 2.2]."""

    met_coordinator = forms.BooleanField(label="De coördinator besliste mee", required=False)
    met_gedragswetenschapper = forms.BooleanField(
        label="De gedragswetenschapper van de Toegang besliste mee", required=False
    )
    met_regievoerder = forms.BooleanField(label="De regievoerder besliste mee", required=False)


class OpschalenForm(ThreeDecideForm):
    redenen = checkboxes("Redenen om op te schalen", OpschaalReden.choices)
    toelichting = text_field("Toelichting")


class AfschalenForm(ThreeDecideForm):
    indicatoren = checkboxes("Indicatoren om af te schalen", AfschaalIndicator.choices)
    veilig_sinds = date_field(
        "Structureel veilig sinds",
        required=False,
        help_text="Korter dan 6 maanden mag, maar het systeem waarschuwt.",
    )
    toelichting = text_field("Toelichting")


class AfsluitenForm(DecisionForm):
    veilig_sinds = date_field(
        "Structureel veilig sinds",
        required=False,
        help_text="Bij coördinatie zwaar: minstens 6 maanden aaneengesloten structureel veilig.",
    )
    toelichting = text_field("Toelichting")

    def __init__(self, *args, level: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].label = "Afgesloten op"
        if level != "zwaar":
            del self.fields["veilig_sinds"]


LEVEL_FORMS = {
    "vaststellen_licht": VaststellenForm,
    "vaststellen_zwaar": VaststellenForm,
    "opschalen": OpschalenForm,
    "afschalen": AfschalenForm,
    "afsluiten": AfsluitenForm,
}


class ToewijzenForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label="Coördinator", queryset=User.objects.none(), empty_label="Kies een medewerker"
    )
    reason = forms.CharField(label="Toelichting", required=False, max_length=300)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["coordinator"]
        field.queryset = (
            User.objects.filter(
                role=Role.TOEGANG_MEDEWERKER,
                is_active=True,
                organisation__kind=OrganisationKind.TOEGANG,
                organisation__gemeente=case.gemeente_id,
            )
            .select_related("organisation")
            .order_by("last_name", "first_name")
        )
        field.label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.organisation.name})"
        field.help_text = f"Een medewerker van de Toegang van {case.gemeente.name}."


class ConsentForm(forms.Form):
    subject = forms.ChoiceField(label="Toestemming voor", choices=ConsentSubject.choices, widget=forms.RadioSelect)
    given_by = forms.ChoiceField(
        label="Gegeven door",
        choices=ConsentGiver.choices,
        widget=forms.RadioSelect,
        help_text="Onder de 12 de ouders; van 12 tot 16 ouders én jeugdige; vanaf 16 de jeugdige.",
    )
    given_on = date_field("Gegeven op")
    toelichting = forms.CharField(label="Toelichting", required=False, max_length=300)


class WithdrawForm(forms.Form):
    withdrawn_on = date_field("Ingetrokken op")
    reden = forms.CharField(label="Reden of toelichting", required=False, max_length=300)


class EscalationForm(forms.Form):
    kind = forms.ChoiceField(label="Soort escalatie", choices=EscalationKind.choices, widget=forms.RadioSelect)
    topic = forms.ChoiceField(label="Waarover", choices=EscalationTopic.choices, widget=forms.RadioSelect)
    description = text_field("Omschrijving", required=True, rows=4)
    ret_criteria = checkboxes(
        "Criteria voor het RET", RetCriterion.choices, help_text="Alleen bij een inhoudelijke escalatie naar het RET."
    )


class TalkForm(forms.Form):
    held_on = date_field("Gesprek gehouden op")
    participants = forms.CharField(label="Gesprek tussen (hiërarchische lijn)", max_length=300)
    summary = text_field("Samenvatting", required=True)


class CommitmentForm(forms.Form):
    committed_on = date_field("Commitment gegeven op")
    commitment = text_field("Commitment", required=True)
    agreements = text_field("Nieuwe afspraken", required=True)
