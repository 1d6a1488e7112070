import copy

from django import forms

from accounts.models import Organisation, OrganisationKind
from referrals.dates import nl_date
from referrals.forms import date_field
from referrals.models import Route

from . import codes, guards
from .models import BeeindigingWijze, MessageState, MessageType, Toewijzing, ToewijzingSource


def _choices(mapping: dict, blank: str | None = "— kies —"):
    items = [(k, f"{k} – {v}") for k, v in mapping.items()]
    return ([("", blank)] if blank is not None else []) + items


class ProductFields(forms.Form):
    categorie = forms.ChoiceField(label="Productcategorie", choices=_choices(codes.CATEGORIEEN))
    product_code = forms.CharField(
        label="Productcode",
        max_length=5,
        required=False,
        help_text="Uit de productcodelijst van de regio, bijvoorbeeld 43A12 voor Jeugdzorgplus. Leeg: aspecifiek.",
    )
    volume = forms.IntegerField(label="Volume", min_value=0, max_value=99_999_999, required=False)
    eenheid = forms.ChoiceField(label="Eenheid", choices=_choices(codes.EENHEDEN, "— geen —"), required=False)
    frequentie = forms.ChoiceField(label="Frequentie", choices=_choices(codes.FREQUENTIES, "— geen —"), required=False)
    ingangsdatum = date_field("Ingangsdatum")
    einddatum = date_field("Einddatum", required=False, help_text="Verplicht bij frequentie 'per week' (regel CD076).")

    def clean(self):
        data = super().clean()
        given = [data.get("volume") is not None, bool(data.get("eenheid")), bool(data.get("frequentie"))]
        if any(given) and not all(given):
            for name, ok in zip(("volume", "eenheid", "frequentie"), given, strict=True):
                if not ok:
                    self.add_error(name, "Vul volume, eenheid en frequentie samen in (de omvang).")
        return data


class Jw315Form(ProductFields):
    aanbieder = forms.ModelChoiceField(
        label="Aanbieder (afzender)",
        queryset=Organisation.objects.none(),
        help_text="De regievoerende aanbieder; voor Jeugdzorgplus Pactum of Icarus.",
    )
    verwijzer_soort = forms.ChoiceField(label="Verwijzer", required=False)

    field_order = [
        "aanbieder",
        "verwijzer_soort",
        "categorie",
        "product_code",
        "volume",
        "eenheid",
        "frequentie",
        "ingangsdatum",
        "einddatum",
    ]

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aanbieder"].queryset = guards.jw315_senders(case)
        self.fields["aanbieder"].initial = case.regie_organisatie_id
        as_on_case = ("", f"Zoals in de casus: {case.get_verwijzer_type_display()} ({case.verwijzer_naam})")
        if case.route == Route.LTA:
            # The LTA provider sends the JW315 with verwijzer gemeente [HvB-S1].
            self.fields["aanbieder"].label_from_instance = lambda org: f"{org.name} (LTA-aanbieder)"
            self.fields["aanbieder"].help_text = (
                "Bij de LTA-route verstuurt de LTA-aanbieder het verzoek, met als verwijzer de gemeente. "
                "De LTA-aanbieder is de regievoerende aanbieder van de casus."
            )
            self.fields["verwijzer_soort"].choices = [as_on_case]
        else:
            self.fields["verwijzer_soort"].choices = [
                as_on_case,
                ("raad_kinderbescherming", "Raad voor de Kinderbescherming (alleen bij Jeugdzorgplus)"),
            ]


class AcceptForm(forms.Form):
    ingangsdatum = date_field("Ingangsdatum toewijzing")
    einddatum = date_field("Einddatum toewijzing", required=False)
    volume = forms.IntegerField(label="Volume", min_value=0, required=False, help_text="Leeg: het gevraagde volume.")
    commentaar = forms.CharField(
        label="Commentaar voor de aanbieder", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BepalingToewijzingForm(forms.Form):
    commentaar = forms.CharField(
        label="Commentaar voor de aanbieder", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RefuseForm(forms.Form):
    verzoek_antwoord = forms.ChoiceField(
        label="Antwoord",
        choices=[("1", "Verzoek afwijzen"), ("2", "Aanvraag in onderzoek (definitief antwoord volgt binnen 8 weken)")],
        widget=forms.RadioSelect,
    )
    reden = forms.ChoiceField(label="Reden van afwijzing", choices=_choices(codes.REDENEN_AFWIJZING), required=False)
    woonplaats_gemeente = forms.ModelChoiceField(
        label="Verantwoordelijke gemeente (bij woonplaatsbeginsel)",
        queryset=Organisation.objects.filter(kind=OrganisationKind.GEMEENTE),
        required=False,
    )


class ToewijzingChoice(forms.ModelChoiceField):
    def label_from_instance(self, t):
        return f"{t.toewijzing_nummer}: {t.product_label}, vanaf {t.ingangsdatum:%d-%m-%Y}"


class StartForm(forms.Form):
    toewijzing = ToewijzingChoice(label="Toewijzing", queryset=Toewijzing.objects.none())
    begindatum = date_field("Begindatum jeugdhulp")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["toewijzing"].queryset = Toewijzing.objects.filter(case=case, source=ToewijzingSource.JW301)


class StopForm(forms.Form):
    toewijzing = ToewijzingChoice(label="Toewijzing", queryset=Toewijzing.objects.none())
    einddatum = date_field("Einddatum jeugdhulp")
    reden = forms.ChoiceField(label="Reden beëindiging", choices=_choices(codes.REDENEN_BEEINDIGING))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["toewijzing"].queryset = Toewijzing.objects.filter(case=case, source=ToewijzingSource.JW301)


class ManualForm(ProductFields):
    contactpersoon_gemeente = forms.CharField(label="Afgesproken met (gemeente)", max_length=200)
    toelichting = forms.CharField(
        label="Afspraak en toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ImportForm(forms.Form):
    bestand = forms.FileField(
        label="Berichtbestand (XML)", help_text="Een iJw-bericht zoals de landelijke berichtenstroom het aflevert."
    )


class TrafficFilterForm(forms.Form):
    gemeente = forms.ModelChoiceField(
        label="Gemeente", queryset=Organisation.objects.none(), required=False, empty_label="Alle gemeenten"
    )
    bericht = forms.ChoiceField(label="Bericht", choices=[("", "Alle berichten"), *MessageType.choices], required=False)
    status = forms.ChoiceField(label="Status", choices=[("", "Alle statussen"), *MessageState.choices], required=False)

    def __init__(self, *args, gemeenten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].queryset = gemeenten


class LopendeToewijzingForm(forms.Form):
    """A toewijzing in segment 2 to 4 that still runs [HvB-S1]; the service checks the values."""

    aanbieder_naam = forms.CharField(label="Aanbieder", max_length=200, help_text="Bij wie de toewijzing loopt.")
    aanbieder_agb = forms.CharField(label="AGB-code aanbieder", max_length=8, required=False, help_text="8 cijfers.")
    product_code = forms.CharField(label="Productcode", max_length=5, required=False)
    toewijzing_nummer = forms.CharField(label="Toewijzingnummer", max_length=20, required=False)
    sinds = date_field("Loopt sinds")


class BeeindigingForm(forms.Form):
    beeindigd_per = date_field("Beëindigd per", help_text="De einddatum van de toewijzing.")
    wijze = forms.ChoiceField(label="Hoe beëindigd", choices=BeeindigingWijze.choices, widget=forms.RadioSelect)
    toelichting = forms.CharField(
        label="Toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Verplicht als het zonder bericht met de aanbieder is afgesproken.",
    )


class Jw317Form(forms.Form):
    """Verzoek om wijziging: each current toewijzing kept or changed (fields named after the toewijzing's id),
    and optionally one new product (fields named nieuw_*)."""

    KEEP, CHANGE = "ongewijzigd", "wijzigen"

    reden = forms.ChoiceField(label="Reden van het verzoek", choices=_choices(codes.REDENEN_VERZOEK))

    def __init__(self, *args, toewijzingen, **kwargs):
        super().__init__(*args, **kwargs)
        self.toewijzingen = list(toewijzingen)
        for t in self.toewijzingen:
            start = nl_date(t.ingangsdatum)
            period = f"{start} tot en met {nl_date(t.einddatum)}" if t.einddatum else f"vanaf {start}, open einde"
            omvang = t.omvang_label or (f"budget € {t.budget / 100:.2f}" if t.budget is not None else "")
            self.fields[f"wijzigen_{t.pk}"] = forms.ChoiceField(
                label=f"Toewijzing {t.toewijzing_nummer}: {t.product_label}, {omvang}, {period}",
                choices=[(self.KEEP, "Ongewijzigd laten"), (self.CHANGE, "Wijzigen")],
                initial=self.KEEP,
                widget=forms.RadioSelect,
            )
            nr = t.toewijzing_nummer
            self.fields[f"ingangsdatum_{t.pk}"] = date_field(
                f"Wijziging gaat in op (toewijzing {nr})",
                required=False,
                help_text="Na vandaag, of de ingangsdatum van de toewijzing als de wijziging de hele periode geldt.",
            )
            self.fields[f"einddatum_{t.pk}"] = date_field(f"Nieuwe einddatum (toewijzing {nr})", required=False)
            if t.volume is not None:
                self.fields[f"volume_{t.pk}"] = forms.IntegerField(
                    label=f"Nieuw volume (toewijzing {nr}, nu {t.omvang_label})",
                    min_value=0,
                    max_value=99_999_999,
                    required=False,
                )
            if t.budget is not None:
                self.fields[f"budget_{t.pk}"] = forms.DecimalField(
                    label=f"Nieuw budget in euro (toewijzing {nr})",
                    min_value=0,
                    max_digits=9,
                    decimal_places=2,
                    required=False,
                )
        for name, field in ProductFields.base_fields.items():
            field = copy.deepcopy(field)
            field.required = False
            field.label = f"Nieuw product: {field.label.lower()}"
            self.fields[f"nieuw_{name}"] = field

    def clean(self):
        data = super().clean()
        for t in self.toewijzingen:
            if data.get(f"wijzigen_{t.pk}") == self.CHANGE and not data.get(f"ingangsdatum_{t.pk}"):
                self.add_error(f"ingangsdatum_{t.pk}", "Vul in vanaf wanneer de wijziging moet gelden.")
        given = [
            data.get("nieuw_volume") is not None,
            bool(data.get("nieuw_eenheid")),
            bool(data.get("nieuw_frequentie")),
        ]
        if any(given) and not all(given):
            for name, ok in zip(("volume", "eenheid", "frequentie"), given, strict=True):
                if not ok:
                    self.add_error(f"nieuw_{name}", "Vul volume, eenheid en frequentie samen in (de omvang).")
        if data.get("nieuw_categorie") and not data.get("nieuw_ingangsdatum"):
            self.add_error("nieuw_ingangsdatum", "Vul de gewenste ingangsdatum van het nieuwe product in.")
        if not data.get("nieuw_categorie") and (data.get("nieuw_product_code") or any(given)):
            self.add_error("nieuw_categorie", "Kies de productcategorie van het nieuwe product.")
        return data


class Jw317AcceptForm(forms.Form):
    commentaar = forms.CharField(
        label="Commentaar voor de aanbieder", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
