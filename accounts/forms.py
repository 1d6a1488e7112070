from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Gebruikersnaam of wachtwoord klopt niet. Let op hoofdletters.",
        "inactive": "Dit account is niet actief. Neem contact op met de functioneel beheerder.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Gebruikersnaam"
        self.fields["password"].label = "Wachtwoord"
        # AuthenticationForm sets max_length after the field is made, so nothing checks it: check it here.
        limit = self.fields["username"].max_length
        self.fields["username"].validators.append(
            MaxLengthValidator(limit, f"Een gebruikersnaam is hoogstens {limit} tekens lang.")
        )


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app, checked against the user's TOTP device."""

    code = forms.CharField(
        label="Code uit de authenticator-app",
        max_length=12,
        help_text="Zes cijfers; de code verandert elke 30 seconden.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Vul de code uit uw authenticator-app in."},
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Een code bestaat uit zes cijfers.")
        if self.device is not None and not self.device.verify_is_allowed()[0]:
            raise forms.ValidationError("Te veel verkeerde codes na elkaar. Wacht even en probeer het dan opnieuw.")
        if self.device is None or not self.device.verify_token(code):
            raise forms.ValidationError("Deze code klopt niet of is verlopen. Probeer de code die nu in de app staat.")
        return code
