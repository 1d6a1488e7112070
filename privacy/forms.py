from django import forms

from . import selectors


class LogFilterForm(forms.Form):
    persoon = forms.CharField(
        label="Persoon", required=False, max_length=100, help_text="Gebruikersnaam, voornaam of achternaam."
    )
    casus = forms.CharField(
        label="Casus", required=False, max_length=64, help_text="Casusnummer, bijvoorbeeld S1-000012."
    )
    actie = forms.ChoiceField(label="Handeling", required=False)
    van = forms.DateField(
        label="Vanaf", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    tot = forms.DateField(
        label="Tot en met", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actie"].choices = [("", "Alle handelingen"), *((a, a) for a in selectors.actions())]
        for field in self.fields.values():
            field.error_messages.setdefault("invalid", "Vul een geldige waarde in.")
        self.fields["van"].error_messages["invalid"] = "Vul een geldige datum in, bijvoorbeeld 03-03-2026."
        self.fields["tot"].error_messages["invalid"] = "Vul een geldige datum in, bijvoorbeeld 03-03-2026."
        self.fields["actie"].error_messages["invalid_choice"] = "Kies een handeling uit de lijst."

    def clean_casus(self):
        term = self.cleaned_data["casus"].strip()
        if not term:
            return None
        case = selectors.find_case(term)
        if case is None:
            raise forms.ValidationError("Er is geen casus met dit nummer.")
        return case

    def _clean_day(self, name: str):
        day = self.cleaned_data[name]
        # The log holds moments since the system began; a day far outside that (year 1 or 9999) cannot
        # become a moment in Amsterdam time at all.
        if day and not 2000 <= day.year <= 2999:
            raise forms.ValidationError("Vul een datum tussen 2000 en 2999 in.")
        return day

    def clean_van(self):
        return self._clean_day("van")

    def clean_tot(self):
        return self._clean_day("tot")

    def clean(self):
        data = super().clean()
        van, tot = data.get("van"), data.get("tot")
        if van and tot and tot < van:
            self.add_error("tot", "De einddatum ligt voor de begindatum.")
        return data

    def filters(self) -> selectors.LogFilters:
        if not self.is_bound or not self.is_valid():
            return selectors.LogFilters()
        d = self.cleaned_data
        return selectors.LogFilters(
            persoon=d["persoon"], casus=d["casus"], actie=d["actie"], van=d["van"], tot=d["tot"]
        )
