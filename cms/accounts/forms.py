from functools import wraps

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.webauthn.forms import (
    AddWebAuthnForm,
    AuthenticateWebAuthnForm,
    ReauthenticateWebAuthnForm,
)
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User


class SignupForm(forms.Form):
    """Fields allauth's sign-up form asks for on top of e-mail and password
    (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=150,
        help_text=_("How your name appears on certificates, in forums and on the exchange."),
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "display_name",
            "first_name",
            "last_name",
            "organisation",
            "region",
            "preferred_language",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.fields["organisation"].queryset = self.fields["organisation"].queryset.only(
            "id", "name"
        )


class AccountDeleteForm(forms.Form):
    """Deleting an account asks for the password, so a session left open cannot do it."""

    password = forms.CharField(
        label=_("Your password"), strip=False, max_length=4096, widget=forms.PasswordInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


def _malformed_credential_refused(clean):
    """allauth reads a security key's answer with fido2, which raises KeyError, ValueError or
    TypeError on a forged or truncated one (a 500): the form says the key was not accepted."""

    @wraps(clean)
    def wrapper(self):
        try:
            return clean(self)
        except ValidationError:
            raise
        except (KeyError, ValueError, TypeError, AttributeError, IndexError) as error:
            raise get_mfa_adapter().validation_error("incorrect_code") from error

    return wrapper


class SecurityKeyAddForm(AddWebAuthnForm):
    clean = _malformed_credential_refused(AddWebAuthnForm.clean)


class SecurityKeyAuthenticateForm(AuthenticateWebAuthnForm):
    clean_credential = _malformed_credential_refused(AuthenticateWebAuthnForm.clean_credential)


class SecurityKeyReauthenticateForm(ReauthenticateWebAuthnForm):
    clean_credential = _malformed_credential_refused(ReauthenticateWebAuthnForm.clean_credential)
