from django import forms
from django.utils.translation import gettext_lazy as _

from cms.notifications.models import Frequency

from .models import Report


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the coordinators (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say who you are and what you would bring to the group."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}


class NotificationPrefsForm(forms.Form):
    """How often to hear of new posts (the "forum.posts" notification topic)."""

    frequency = forms.ChoiceField(
        label=_("E-mail me about new posts"),
        choices=[
            (Frequency.INSTANT, _("One e-mail per new post")),
            (Frequency.DAILY, _("A daily digest")),
            (Frequency.OFF, _("No e-mail")),
        ],
        widget=forms.RadioSelect,
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the working groups"), max_length=200, required=False)
