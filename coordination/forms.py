from django import forms

from .models import ConsentGiver


class CoordinationRequestForm(forms.Form):
    given_by = forms.ChoiceField(label="Toestemming gegeven door", choices=ConsentGiver.choices)
    given_on = forms.DateField(
        label="Toestemming gegeven op",
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
