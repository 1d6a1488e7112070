from django import forms
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind
from common.landen import LAND_CHOICES, NEDERLAND

from .bsn import normalise_bsn, validate_bsn
from .models import (
    PERSPECTIEF_ASPECTEN,
    AdvisedSegment,
    BsnStatus,
    CaseDocument,
    CaseRole,
    DocumentKind,
    Eenheid,
    EndReason,
    FoaBesluit,
    Frequentie,
    Geslacht,
    GiMaatregel,
    Hulpvorm,
    Leefgebied,
    LichteHulpAfloop,
    MeldcodeSoort,
    PerspectiefDomein,
    Phase,
    ProductCategorie,
    Route,
    Segment,
    SendMethod,
    SignaalDomein,
    VerwijzerType,
)
from .segment_check import ALWAYS_SEGMENT1_PRODUCTS, segment_advice
from .services import JeugdigeInput, validate_jeugdige
from .widgets import FastSelect

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def date_field(label, **kwargs):
    return forms.DateField(label=label, input_formats=DATE_FORMATS, widget=DateInput(), **kwargs)


def datetime_field(label, **kwargs):
    return forms.DateTimeField(label=label, input_formats=DATETIME_FORMATS, widget=DateTimeInput(), **kwargs)


def _perspective(value) -> bool | None:
    return {"ja": True, "nee": False}.get(value)


PERSPECTIVE_CHOICES = [("ja", "Ja"), ("nee", "Nee"), ("", "Weet ik (nog) niet")]


class JeugdigeForm(forms.Form):
    voornaam = forms.CharField(label="Voornaam", max_length=100)
    tussenvoegsel = forms.CharField(label="Tussenvoegsel", max_length=20, required=False)
    achternaam = forms.CharField(label="Achternaam", max_length=100)
    geboortedatum = date_field("Geboortedatum", help_text="Bij een ongeboren kind: de verwachte datum.")
    geslacht = forms.ChoiceField(label="Geslacht", choices=Geslacht.choices, initial=Geslacht.ONBEKEND)
    bsn_status = forms.ChoiceField(label="BSN-status", choices=BsnStatus.choices, initial=BsnStatus.NORMAAL)
    bsn = forms.CharField(
        label="BSN", max_length=12, required=False, help_text="9 cijfers; leeg laten bij geen, ongeboren of geheim BSN."
    )
    straat = forms.CharField(label="Straat", max_length=100, required=False)
    huisnummer = forms.CharField(label="Huisnummer", max_length=20, required=False)
    postcode = forms.CharField(
        label="Postcode", max_length=8, required=False, help_text="In Nederland als 1234 AB; in het buitenland vrij."
    )
    woonplaats = forms.CharField(label="Woonplaats", max_length=100, required=False)
    land = forms.ChoiceField(label="Land", choices=LAND_CHOICES, initial=NEDERLAND, required=False, widget=FastSelect)
    segment = forms.ChoiceField(
        label="Segment van de hulpvraag",
        choices=Segment.choices,
        initial=Segment.SEGMENT_1,
        help_text="Alleen jeugdigen met een hulpvraag in segment 1 worden aangemeld bij Crossroads.",
    )
    uren_begeleiding = forms.DecimalField(
        label="Verwachte uren begeleiding", min_value=0, max_value=99999, decimal_places=1, required=False
    )
    uren_behandeling = forms.DecimalField(
        label="Verwachte uren behandeling", min_value=0, max_value=99999, decimal_places=1, required=False
    )
    producten = forms.MultipleChoiceField(
        label="Zorgvormen die altijd segment 1 zijn",
        choices=list(ALWAYS_SEGMENT1_PRODUCTS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # Asked for the segment advice only; not stored with the youth [HvB-S1].
    ontwikkelperspectief = forms.TypedChoiceField(
        label="Heeft de jeugdige een ontwikkelperspectief?",
        choices=PERSPECTIVE_CHOICES,
        coerce=_perspective,
        empty_value=None,
        required=False,
        initial="",
        widget=forms.RadioSelect,
        help_text="Zonder ontwikkelperspectief is een Wlz-indicatie nodig in plaats van jeugdhulp.",
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        errors = validate_jeugdige(self.as_input(), today=timezone.localdate())
        for name, message in errors.items():
            self.add_error(name, message)
        return data

    def as_input(self) -> JeugdigeInput:
        d = self.cleaned_data
        return JeugdigeInput(
            bsn_status=d["bsn_status"],
            bsn=d.get("bsn", ""),
            voornaam=d["voornaam"],
            tussenvoegsel=d.get("tussenvoegsel", ""),
            achternaam=d["achternaam"],
            geboortedatum=d["geboortedatum"],
            geslacht=d["geslacht"],
            segment=d["segment"],
            uren_begeleiding=d.get("uren_begeleiding"),
            uren_behandeling=d.get("uren_behandeling"),
            producten=d.get("producten") or [],
            straat=d.get("straat", ""),
            huisnummer=d.get("huisnummer", ""),
            postcode=d.get("postcode", ""),
            woonplaats=d.get("woonplaats", ""),
            land=d.get("land") or NEDERLAND,
        )

    def segment_advice(self):
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return segment_advice(
            hours_begeleiding=data.get("uren_begeleiding"),
            hours_behandeling=data.get("uren_behandeling"),
            products=data.get("producten"),
            development_perspective=data.get("ontwikkelperspectief"),
        )


# absolute_max: a forged TOTAL_FORMS must not make the server build and render a thousand forms.
JeugdigeFormSet = forms.formset_factory(JeugdigeForm, extra=0, min_num=1, validate_min=True, max_num=8, absolute_max=8)


class JeugdigeCorrectieForm(forms.Form):
    """The youth's data as it should be now; the service checks it (errors at the field) and records old → new."""

    voornaam = forms.CharField(label="Voornaam", max_length=100)
    tussenvoegsel = forms.CharField(label="Tussenvoegsel", max_length=20, required=False)
    achternaam = forms.CharField(label="Achternaam", max_length=100)
    geboortedatum = date_field(
        "Geboortedatum", help_text="Bij een ongeboren kind: de verwachte datum. Na de geboorte: de werkelijke datum."
    )
    geslacht = forms.ChoiceField(label="Geslacht", choices=Geslacht.choices)
    bsn_status = forms.ChoiceField(
        label="BSN-status",
        choices=BsnStatus.choices,
        help_text="Is een ongeboren kind geboren en heeft het een eigen BSN? Kies 'BSN bekend' en vul het BSN in.",
    )
    bsn = forms.CharField(
        label="BSN", max_length=12, required=False, help_text="9 cijfers; leeg laten bij geen, ongeboren of geheim BSN."
    )
    straat = forms.CharField(label="Straat", max_length=100, required=False)
    huisnummer = forms.CharField(label="Huisnummer", max_length=20, required=False)
    postcode = forms.CharField(
        label="Postcode", max_length=8, required=False, help_text="In Nederland als 1234 AB; in het buitenland vrij."
    )
    woonplaats = forms.CharField(label="Woonplaats", max_length=100, required=False)
    land = forms.ChoiceField(label="Land", choices=LAND_CHOICES, initial=NEDERLAND, required=False, widget=FastSelect)
    adres_gewijzigd_per = date_field(
        "Verhuisd per", required=False, help_text="Alleen bij een nieuw adres: de dag van de verhuizing."
    )
    reden = forms.CharField(
        label="Reden van de wijziging",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bijvoorbeeld: geboren op 2 maart, BSN van de gemeente ontvangen; verhuisd; typefout in de naam.",
        error_messages={"required": "Geef de reden van de wijziging (bijvoorbeeld: geboren, verhuisd, typefout)."},
    )

    INPUT_FIELDS = (
        "voornaam",
        "tussenvoegsel",
        "achternaam",
        "geboortedatum",
        "geslacht",
        "bsn_status",
        "bsn",
        "straat",
        "huisnummer",
        "postcode",
        "woonplaats",
        "land",
        "adres_gewijzigd_per",
    )

    def clean(self):
        # The number itself is checked here too, so that it is said together with a missing reason; the service
        # checks everything again (and what needs the database: a BSN in use, the age at the aanmelding).
        data = super().clean()
        if data.get("bsn_status") == BsnStatus.NORMAAL and "bsn" not in self.errors:
            try:
                validate_bsn(normalise_bsn(data.get("bsn", "")))
            except forms.ValidationError as e:
                self.add_error("bsn", e.messages[0])
        return data

    @classmethod
    def initial_for(cls, jeugdige) -> dict:
        return {name: getattr(jeugdige, name) for name in cls.INPUT_FIELDS if name != "adres_gewijzigd_per"}


class SegmentCheckForm(forms.Form):
    uren_begeleiding = forms.DecimalField(min_value=0, max_value=99999, required=False)
    uren_behandeling = forms.DecimalField(min_value=0, max_value=99999, required=False)
    producten = forms.MultipleChoiceField(choices=list(ALWAYS_SEGMENT1_PRODUCTS.items()), required=False)
    ontwikkelperspectief = forms.TypedChoiceField(
        choices=PERSPECTIVE_CHOICES, coerce=_perspective, empty_value=None, required=False
    )


class RegistrationForm(forms.Form):
    """The aanmelding: family, route, verwijzer, urgency. The youths come in a formset."""

    gezin_naam = forms.CharField(
        label="Gezinsnaam", max_length=200, help_text="Bijvoorbeeld de achternaam van het gezin."
    )
    gemeente = forms.ModelChoiceField(
        label="Gemeente (woonplaatsbeginsel)",
        queryset=Organisation.objects.filter(kind=OrganisationKind.GEMEENTE),
        empty_label="Kies een gemeente",
        error_messages={"required": "Kies de gemeente die volgens het woonplaatsbeginsel verantwoordelijk is."},
    )
    route = forms.ChoiceField(label="Verwijsroute", choices=Route.choices)
    verwijzer_type = forms.ChoiceField(label="Soort verwijzer", choices=VerwijzerType.choices)
    verwijzer_naam = forms.CharField(label="Naam verwijzer", max_length=200)
    verwijzer_organisatie = forms.CharField(
        label="Organisatie verwijzer",
        max_length=200,
        required=False,
        help_text="Bij COA-jeugdigen: noem GGD en COA in de naam.",
    )
    verwijzer_code = forms.RegexField(
        label="AGB-code verwijzer",
        regex=r"^\d{8}$",
        required=False,
        error_messages={"invalid": "Een AGB-code bestaat uit 8 cijfers."},
    )
    hulpvraag = forms.CharField(label="Hulpvraag", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    urgent = forms.BooleanField(label="Urgent", required=False)
    urgentie_motivatie = forms.CharField(
        label="Motivatie urgentie",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Verplicht bij een urgente aanmelding.",
    )

    def __init__(self, *args, user, gezin=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if gezin is not None:  # a youth added to a family that is registered already
            del self.fields["gezin_naam"]
        if user.role == "toegang_medewerker":
            # The Toegang refers on its own route, as itself, for its own gemeente.
            self.fields["route"].choices = [(Route.TOEGANG, Route.TOEGANG.label)]
            self.fields["route"].initial = Route.TOEGANG
            self.fields["verwijzer_type"].choices = [(VerwijzerType.GEMEENTE, VerwijzerType.GEMEENTE.label)]
            self.fields["verwijzer_naam"].initial = user.get_full_name()
            self.fields["verwijzer_organisatie"].initial = user.organisation.name
            self.fields["gemeente"].initial = user.organisation.own_gemeente
        else:
            self.fields["route"].choices = [c for c in Route.choices if c[0] != Route.TOEGANG]

    def clean(self):
        data = super().clean()
        if data.get("urgent") and not (data.get("urgentie_motivatie") or "").strip():
            self.add_error("urgentie_motivatie", "Een urgente aanmelding heeft een schriftelijke motivatie nodig.")
        from .models import ROUTE_VERWIJZERS

        route, kind = data.get("route"), data.get("verwijzer_type")
        if route and kind and kind not in ROUTE_VERWIJZERS[route]:
            self.add_error("verwijzer_type", "Deze soort verwijzer past niet bij de gekozen verwijsroute.")
        return data


class IpvaForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Leefgebied.choices:
            self.fields[value] = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 4}), required=False)


class PhoneConsultationForm(forms.Form):
    datum = date_field("Datum van het overleg")
    contactpersoon = forms.CharField(label="Gesproken met (aanmeldpunt Crossroads)", max_length=200)
    samenvatting = forms.CharField(label="Samenvatting", widget=forms.Textarea(attrs={"rows": 4}))


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Soort document", choices=DocumentKind.choices)
    title = forms.CharField(label="Titel", max_length=200, required=False)
    bestand = forms.FileField(
        label="Bestand", error_messages={"required": "Kies een bestand.", "empty": "Het bestand is leeg."}
    )

    def __init__(self, *args, kinds=None, **kwargs):
        """`kinds`: the kinds this case still takes (None: every kind), e.g. only the light help's on a
        closed case."""
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, label) for k, label in DocumentKind.choices if k in kinds]


class PlanAanmeldgesprekForm(forms.Form):
    gepland_op = datetime_field("Datum en tijd")
    locatie = forms.CharField(label="Locatie", max_length=200)
    jeugdige_uitgenodigd = forms.BooleanField(label="Jeugdige (en ouders) uitgenodigd", required=False)
    verwijzer_uitgenodigd = forms.BooleanField(label="Verwijzer uitgenodigd", required=False)


class AanmeldgesprekGehoudenForm(forms.Form):
    gehouden_op = datetime_field("Gehouden op")
    aanwezigen = forms.CharField(label="Aanwezigen", max_length=300)
    verslag = forms.CharField(label="Korte weergave", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class AdviesForm(forms.Form):
    datum = date_field("Datum aanmeldtafel")
    segment1_nodig = forms.TypedChoiceField(
        label="1. Is hoog specialistische jeugdhulp (segment 1) nodig?",
        choices=[("ja", "Ja, segment 1 is nodig"), ("nee", "Nee, een ander segment is passender")],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": "Beantwoord of segment 1 nodig is."},
    )
    regie_partner = forms.ModelChoiceField(
        label="2. Welke partner wordt regievoerder?",
        queryset=Organisation.objects.filter(kind=OrganisationKind.PARTNER),
        required=False,
        empty_label="Kies een partner",
    )
    hulpvorm = forms.ChoiceField(
        label="3. Welke hulpvorm wordt geadviseerd?",
        choices=[("", "Kies een hulpvorm"), *Hulpvorm.choices],
        required=False,
    )
    geadviseerd_segment = forms.ChoiceField(
        label="Geadviseerd ander segment (als segment 1 niet passend is)",
        choices=[("", "Niet van toepassing"), *AdvisedSegment.choices],
        required=False,
    )
    te_behalen_resultaten = forms.CharField(
        label="Te behalen resultaten",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Wat de hulp moet bereiken; de WAT-brief aan het gezin noemt ze.",
    )
    verwijzer_geraadpleegd_op = date_field("Verwijzer over het advies geraadpleegd op", required=False)
    toelichting = forms.CharField(label="Toelichting", widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Required depending on the first answer: say so instead of "(niet verplicht)".
        for name, when in (("regie_partner", "ja"), ("hulpvorm", "ja"), ("geadviseerd_segment", "nee")):
            self.fields[name].conditional = True
            self.fields[name].help_text = f"Verplicht als het antwoord op vraag 1 “{when}” is."


class ZorgGestartForm(forms.Form):
    datum = date_field("Start jeugdhulp op")
    overbruggingszorg = forms.CharField(
        label="Overbruggingszorg",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Verplicht als de jeugdhulp later dan 6 weken na aanmelding startte.",
    )


class AanmeldenForm(forms.Form):
    aanmelddatum = date_field("Aanmelddatum (meldingsdatum)", required=False, help_text="Leeg laten voor vandaag.")


class TerugverwijzenForm(forms.Form):
    toelichting = forms.CharField(
        label="Toelichting voor de verwijzer", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class BeeindigenForm(forms.Form):
    reden = forms.ChoiceField(label="Reden", choices=[("", "Kies een reden"), *EndReason.choices])
    toelichting = forms.CharField(
        label="Toelichting",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Bij verhuizing: beschrijf de warme overdracht aan de nieuwe gemeente. Bij een Wlz-indicatie: "
        "noem de indicatie van het CIZ en de datum.",
    )

    def clean(self):
        data = super().clean()
        # An empty explanation of a Wlz ending asks for what it must say.
        if data.get("reden") == EndReason.WLZ and "toelichting" in self.errors:
            self.errors["toelichting"] = self.error_class(["Noem de Wlz-indicatie van het CIZ en de datum ervan."])
        return data


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="Zoek op naam, BSN of casusnummer", required=False, max_length=100)
    fase = forms.ChoiceField(label="Fase", choices=[("", "Alle fases"), *Phase.choices], required=False)
    gemeente = forms.ModelChoiceField(
        label="Gemeente",
        queryset=Organisation.objects.filter(kind=OrganisationKind.GEMEENTE).only("pk", "name"),
        required=False,
        empty_label="Alle gemeenten",
        widget=FastSelect,
    )
    partner = forms.ModelChoiceField(
        label="Regievoerende partner",
        queryset=Organisation.objects.filter(kind=OrganisationKind.PARTNER).only("pk", "name"),
        required=False,
        empty_label="Alle partners",
        widget=FastSelect,
    )
    route = forms.ChoiceField(label="Verwijsroute", choices=[("", "Alle routes"), *Route.choices], required=False)
    urgent = forms.BooleanField(label="Alleen urgent", required=False)


# --- Hulpverlenende fase, crisis and afronding ---------------------------------------------------------


def text_field(label, rows=4, **kwargs):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class BehandelplanForm(forms.Form):
    doelen = text_field("Doelen", rows=5)
    resultaten = text_field("Beoogde resultaten", rows=5)
    afspraken = text_field("Afspraken en inzet", required=False)
    wijziging = forms.CharField(
        label="Wat is er gewijzigd en waarom",
        max_length=500,
        required=False,
        help_text="Verplicht bij een nieuwe versie.",
    )


class EvaluatieForm(forms.Form):
    datum = date_field("Datum van de evaluatie")
    aanwezigen = forms.CharField(label="Aanwezigen", max_length=300)
    verslag = text_field("Verslag")


class SignaalForm(forms.Form):
    domein = forms.ChoiceField(label="Leefgebied", choices=[("", "Kies een leefgebied"), *SignaalDomein.choices])
    beschrijving = text_field("Wat is er nodig buiten de jeugdhulp?")


class SignaalOppakkenForm(forms.Form):
    reactie = text_field("Wat doet u met dit signaal?", rows=3)


class CrisisMeldenForm(forms.Form):
    gesignaleerd_door = forms.CharField(label="Wie signaleerde de crisis?", max_length=200)
    reden = text_field("Wat is er aan de hand?")
    cit_gecontacteerd = forms.BooleanField(label="Het crisisinterventieteam (CIT) is ingeschakeld", required=False)
    geinformeerd = forms.CharField(
        label="Wie is geïnformeerd?", max_length=300, help_text="Bijvoorbeeld ouders, coördinator, regievoerder."
    )


class PerspectiefplanCrisisForm(forms.Form):
    plan = text_field("Perspectiefplan Crisis", rows=6)
    met_cit = forms.BooleanField(label="Opgesteld met het CIT", required=False)
    met_jeugdige = forms.BooleanField(label="Opgesteld met de jeugdige", required=False)
    met_crisisaanbieder = forms.BooleanField(label="Opgesteld met de crisisaanbieder", required=False)
    met_regievoerder = forms.BooleanField(label="Opgesteld met de regievoerder", required=False)

    def __init__(self, *args, by_regievoerder: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if by_regievoerder:  # the regievoerder who records the plan made it
            self.fields.pop("met_regievoerder")


class ToelichtingForm(forms.Form):
    toelichting = text_field("Toelichting", rows=3, required=False)


class HervattenForm(forms.Form):
    reden = text_field("Waarom wordt de hulpverlening hervat?", rows=3)


class EindevaluatieForm(forms.Form):
    datum = date_field("Datum van de eindevaluatie")
    jeugdige_aanwezig = forms.BooleanField(label="Jeugdige (en ouders) aanwezig", required=False)
    verwijzer_aanwezig = forms.BooleanField(label="Verwijzer aanwezig", required=False)
    coordinator_aanwezig = forms.BooleanField(label="Coördinator aanwezig", required=False)
    verslag = text_field("Verslag", rows=6)

    def __init__(self, *args, has_coordinator: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_coordinator:  # a case without coördinator (GI, LTA) is not asked about one [HvB-WI 3]
            self.fields.pop("coordinator_aanwezig")


class VervolgForm(forms.Form):
    besluit = forms.ChoiceField(
        label="Gaat de zorg door in een ander segment?",
        choices=FoaBesluit.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies of de zorg doorgaat in een ander segment."},
    )
    toelichting = text_field("Toelichting", rows=3, required=False)
    lichte_hulp_loopt_door = forms.BooleanField(
        label="Lichte hulp loopt na afsluiting door (ten hoogste 3 maanden)", required=False
    )


class LichteHulpGestoptForm(forms.Form):
    gestopt_op = date_field("Gestopt op")
    afloop = forms.ChoiceField(
        label="Hoe is de lichte hulp geëindigd?",
        choices=LichteHulpAfloop.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies hoe de lichte hulp is geëindigd."},
    )
    toelichting = text_field("Toelichting", rows=3, required=False)


class EinddatumForm(forms.Form):
    einddatum = date_field("Einddatum")
    afgesproken_met_coordinator = forms.BooleanField(label="Afgesproken met de coördinator", required=False)

    def __init__(self, *args, has_coordinator: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_coordinator:
            self.fields.pop("afgesproken_met_coordinator")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.organisation})"


class SubstitutionForm(forms.Form):
    role = forms.ChoiceField(label="Wie is afwezig?", choices=CaseRole.choices, widget=forms.RadioSelect)
    substitute = PersonChoiceField(label="Vervanger", queryset=None, empty_label="Kies een vervanger")
    start = date_field("Afwezig van")
    end = date_field("Tot en met")
    gezin_geinformeerd = forms.BooleanField(label="Het gezin is geïnformeerd over de vervanger", required=False)
    andere_partij_geinformeerd = forms.BooleanField(
        label="De andere partij (coördinator of regievoerder) is geïnformeerd", required=False
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = candidates


class RegievoerderForm(forms.Form):
    regievoerder = PersonChoiceField(label="Regievoerder", queryset=None, empty_label="Kies een regievoerder")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regievoerder"].queryset = candidates


class BeschikkingForm(forms.Form):
    afgegeven_op = date_field("Afgegeven op")
    resultaat = forms.CharField(label="Resultaat", max_length=300)
    productcategorie = forms.ChoiceField(
        label="Productcategorie", choices=[("", "Kies een categorie"), *ProductCategorie.choices]
    )
    productcode = forms.CharField(label="Productcode", max_length=5, help_text="Bijvoorbeeld 45A01.")
    activiteiten = text_field("Activiteiten", rows=3)
    frequentie = forms.CharField(label="Frequentie", max_length=200, help_text="Bijvoorbeeld: 4 uur per week.")
    ingangsdatum = date_field("Ingangsdatum", help_text="Segment 1 wordt afgegeven zonder einddatum.")


class GiBepalingForm(forms.Form):
    kind = forms.ChoiceField(label="Maatregel", choices=[("", "Kies de maatregel"), *GiMaatregel.choices])
    gi = forms.ModelChoiceField(
        label="Gecertificeerde instelling",
        queryset=Organisation.objects.filter(kind=OrganisationKind.GI),
        required=False,
        empty_label="Een andere GI: zoals bij de verwijzer",
    )
    bepaald_op = date_field(
        "Datum bepaling", help_text="Na de 18e verjaardag geeft een GI geen bepaling af; jeugdreclassering tot 23 jaar."
    )
    einddatum = date_field("Einddatum", required=False)
    categorie = forms.ChoiceField(
        label="Productcategorie", choices=[("", "Kies een categorie"), *ProductCategorie.choices]
    )
    product_code = forms.CharField(
        label="Productcode", max_length=5, required=False, help_text="Bijvoorbeeld 45A01. Leeg: aspecifiek."
    )
    volume = forms.IntegerField(label="Volume", min_value=0, max_value=99_999_999, required=False)
    eenheid = forms.ChoiceField(label="Eenheid", choices=[("", "— geen —"), *Eenheid.choices], required=False)
    frequentie = forms.ChoiceField(label="Frequentie", choices=[("", "— geen —"), *Frequentie.choices], required=False)
    document = forms.ModelChoiceField(
        label="Bepaling (document)",
        queryset=CaseDocument.objects.none(),
        required=False,
        empty_label="Geen document gekoppeld",
        help_text="Voeg de bepaling eerst toe bij de documenten om haar hier te koppelen.",
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents


class PerspectiefplanForm(forms.Form):
    gereed = forms.BooleanField(label="Het plan is gereed", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        gereed = self.fields.pop("gereed")
        for domein, d_label in PerspectiefDomein.choices:
            for aspect, a_label in PERSPECTIEF_ASPECTEN.items():
                self.fields[f"{domein}__{aspect}"] = forms.CharField(
                    label=f"{d_label}: {a_label.lower()}", widget=forms.Textarea(attrs={"rows": 2}), required=False
                )
        self.fields["gereed"] = gereed


class FamilyLetterSentForm(forms.Form):
    sent_on = date_field("Verstuurd op", initial=timezone.localdate)
    method = forms.ChoiceField(
        label="Hoe is de brief verstuurd?",
        choices=SendMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies hoe de brief is verstuurd."},
    )


class OverbruggingForm(forms.Form):
    door = forms.CharField(
        label="Door wie",
        max_length=200,
        help_text="De organisatie of hulpverlener, bijvoorbeeld het wijkteam.",
        error_messages={"required": "Vul in wie de overbruggingszorg geeft."},
    )
    wat = forms.CharField(
        label="Welke hulp",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Beschrijf welke hulp de wachttijd overbrugt."},
    )
    vanaf = date_field("Vanaf")


class MeldcodeForm(forms.Form):
    soort = forms.ChoiceField(
        label="Welke stap",
        choices=MeldcodeSoort.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies welke stap van de meldcode het is."},
    )
    datum = date_field("Datum")
    met_wie = forms.CharField(
        label="Met wie",
        max_length=200,
        help_text="Bijvoorbeeld: Veilig Thuis Midden- en West-Brabant, met de naam van de consulent.",
        error_messages={"required": "Vul in met wie (bijvoorbeeld Veilig Thuis) of bij wie."},
    )
    uitkomst = forms.CharField(
        label="Uitkomst",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Het advies, wat er gemeld is, of wat er is afgesproken met het gezin.",
        error_messages={"required": "Beschrijf de uitkomst: het advies, wat er gemeld is of wat er is afgesproken."},
    )
