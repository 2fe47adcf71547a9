from django import forms
from django.utils.translation import gettext_lazy as _

from . import badges

MAX_CREDENTIAL_UPLOAD_BYTES = 2 * 1024 * 1024


class EnrolForm(forms.Form):
    enrolment_key = forms.CharField(
        label=_("Enrolment key"),
        max_length=64,
        required=False,
        help_text=_("The course provider gives you this key."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public verification page."),
    )


class CredentialVerifyForm(forms.Form):
    credential = forms.CharField(
        label=_("Credential"),
        required=False,
        max_length=badges.MAX_CREDENTIAL_BYTES,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("Paste the credential: the JWT, or the JSON file's content."),
    )
    file = forms.FileField(
        label=_("or upload the badge"),
        required=False,
        help_text=_(
            "The badge image (PNG) with the credential baked in, or the .json or .jwt file."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        content = b""
        if upload is not None:
            if upload.size > MAX_CREDENTIAL_UPLOAD_BYTES:
                raise forms.ValidationError(_("The file is larger than 2 MB."))
            content = upload.read()
        try:
            cleaned["jwt"] = badges.extract_jwt(text=cleaned.get("credential", ""), upload=content)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        return cleaned
