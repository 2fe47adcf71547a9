from django import forms
from django.utils.translation import gettext_lazy as _

from cms.notifications.models import Frequency

from .models import FOLLOW_GROUP, Report, WatchLevel


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


WATCH_LEVEL_CHOICES = [
    (WatchLevel.WATCHING, _("Watching: an e-mail for every new post")),
    (WatchLevel.NORMAL, _("Normal: replies where you took part, quotes and mentions")),
    (WatchLevel.MUTED, _("Muted: nothing, and hidden from the new topics")),
]
WATCH_LEVEL_HELP = _(
    "Normal, as on Discourse: an e-mail when someone replies in a topic you started or posted "
    "in, quotes one of your posts or mentions your @name. Watching: every new post. Muted: "
    "nothing, not even mentions."
)
TOPIC_WATCH_LEVEL_HELP = _(
    "A level chosen for this topic overrides the group's level, for this topic only."
)


class WatchLevelForm(forms.Form):
    """Discourse's notification level of a group or (``kind="topic"``) a topic. A topic may
    also follow its group's level (``group_level``, shown in the choice's name)."""

    level = forms.ChoiceField(
        label=_("Notifications"),
        choices=WATCH_LEVEL_CHOICES,
        help_text=WATCH_LEVEL_HELP,
        error_messages={
            "required": _("Choose a notification level."),
            "invalid_choice": _("Choose a notification level."),
        },
    )

    def __init__(self, *args, kind="group", group_level=WatchLevel.NORMAL, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == "topic":
            follow = _("As the group: %(level)s") % {"level": WatchLevel(group_level).label}
            self.fields["level"].choices = [(FOLLOW_GROUP, follow), *WATCH_LEVEL_CHOICES]
            self.fields["level"].help_text = f"{TOPIC_WATCH_LEVEL_HELP} {WATCH_LEVEL_HELP}"
