from django import forms

from referrals.widgets import FastSelect


class PauseForm(forms.Form):
    reason = forms.CharField(
        label="Reden van de opschorting",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # the service says in Dutch what is missing
        help_text="Bijvoorbeeld: het gezin is op vakantie, of er wordt gewacht op toestemming. "
        "Zolang de termijn is opgeschort, staat de klok stil.",
    )


class ExtendForm(forms.Form):
    until = forms.DateField(
        label="Nieuwe uiterste datum",
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Kies de nieuwe uiterste datum.", "invalid": "Vul een geldige datum in."},
    )
    reason = forms.CharField(label="Reden van de verlenging", widget=forms.Textarea(attrs={"rows": 3}), required=False)


MONTH_INPUT = {"input_formats": ["%Y-%m"], "widget": forms.DateInput(attrs={"type": "month"}, format="%Y-%m")}


def _month_field(label: str, example: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        error_messages={"invalid": f"Vul een maand in als jjjj-mm, bijvoorbeeld {example}."},
        **MONTH_INPUT,
    )


def _filter_field(label: str, empty_label: str, what: str, **extra) -> forms.ModelChoiceField:
    """A filter over one of a list (its queryset is given to the form)."""
    return forms.ModelChoiceField(
        label=label,
        queryset=None,
        required=False,
        empty_label=empty_label,
        error_messages={"invalid_choice": f"Kies {what} uit de lijst."},
        **extra,
    )


class DashboardFilterForm(forms.Form):
    van = _month_field("Van (maand)", "2026-01")
    tot = _month_field("Tot en met (maand)", "2026-12")
    gemeente = _filter_field("Gemeente", "Alle gemeenten", "een gemeente", widget=FastSelect)
    partner = _filter_field("Regievoerder (partner)", "Alle partners", "een partner")
    regel = _filter_field("Soort termijn", "Alle termijnen", "een soort termijn")

    def __init__(self, *args, gemeenten, partners, rules, max_months: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].queryset = gemeenten
        self.fields["partner"].queryset = partners
        self.fields["regel"].queryset = rules
        self.max_months = max_months

    def clean(self):
        data = super().clean()
        van, tot = data.get("van"), data.get("tot")
        if van and tot:
            if van > tot:
                self.add_error("tot", "De laatste maand ligt vóór de eerste maand. Kies een latere maand.")
            elif (tot.year - van.year) * 12 + tot.month - van.month >= self.max_months:
                self.add_error("van", f"Kies een periode van hoogstens {self.max_months} maanden.")
        return data
