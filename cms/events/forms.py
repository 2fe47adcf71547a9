from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

SHORT_ANSWER_MAX = 200
LONG_ANSWER_MAX = 2000


class RegistrationForm(forms.Form):
    """The organiser's questions. ``questions`` are the event's (original-language) questions;
    ``labels`` optionally the same questions in the visitor's language, in the same order."""

    def __init__(self, *args, questions, labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        translated = list(labels or [])
        if len(translated) != len(self.questions):
            translated = self.questions
        for question, shown in zip(self.questions, translated, strict=True):
            self.fields[self.field_name(question)] = self._field(question, shown)

    @staticmethod
    def field_name(question):
        return f"question_{question.pk}"

    @staticmethod
    def _field(question, shown):
        kind = question.kind
        common = {"label": shown.label, "required": question.required}
        if kind == "long_text":
            return forms.CharField(
                max_length=LONG_ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 4}), **common
            )
        if kind == "choice":
            options = question.option_list
            shown_options = shown.option_list
            if len(shown_options) != len(options):
                shown_options = options
            return forms.ChoiceField(
                choices=[("", _("Choose…")), *zip(options, shown_options, strict=True)], **common
            )
        if kind == "checkbox":
            return forms.BooleanField(**common)
        return forms.CharField(max_length=SHORT_ANSWER_MAX, **common)

    def answers(self):
        """{question id: answer} to store on the registration."""
        return {
            str(question.pk): self.cleaned_data.get(self.field_name(question))
            for question in self.questions
        }


class MeetingProfileForm(forms.Form):
    offer = forms.CharField(
        label=_("What I offer"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Materials, technologies, services or know-how you bring."),
    )
    seek = forms.CharField(
        label=_("What I am looking for"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Partners, materials, buyers or solutions you want to meet."),
    )


class MeetingRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MeetingAcceptForm(forms.Form):
    """The recipient picks one of the times free for both (the earliest by default)."""

    slot = forms.TypedChoiceField(label=_("Time"), coerce=int)

    def __init__(self, *args, free_slots, time_zone, **kwargs):
        super().__init__(*args, **kwargs)
        zone = ZoneInfo(time_zone)
        self.slots = {slot.pk: slot for slot, _table in free_slots}
        self.fields["slot"].choices = [
            (slot.pk, date_format(timezone.localtime(slot.start, zone), "SHORT_DATETIME_FORMAT"))
            for slot, _table in free_slots
        ]


class TimetableForm(forms.Form):
    first_start = forms.DateTimeField(
        label=_("First meeting starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    last_end = forms.DateTimeField(
        label=_("Last meeting ends"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    minutes = forms.IntegerField(
        label=_("Minutes per meeting"), min_value=5, max_value=240, initial=20
    )
    break_minutes = forms.IntegerField(
        label=_("Minutes between meetings"), min_value=0, max_value=120, initial=5
    )
    tables = forms.IntegerField(label=_("Tables"), min_value=1, max_value=200, initial=10)

    def __init__(self, *args, time_zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone

    def clean(self):
        cleaned = super().clean()
        zone = ZoneInfo(self.time_zone)
        for name in ("first_start", "last_end"):
            value = cleaned.get(name)
            if value is not None:
                cleaned[name] = value.replace(tzinfo=zone)
        first, last = cleaned.get("first_start"), cleaned.get("last_end")
        minutes = cleaned.get("minutes")
        if first and last and minutes:
            if last <= first:
                raise forms.ValidationError(_("The last meeting must end after the first starts."))
            if (last - first).total_seconds() / 60 / minutes > 500:
                raise forms.ValidationError(_("That makes more than 500 meeting times."))
        return cleaned
