from django import forms
from django.utils.translation import gettext_lazy as _


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
