from django import forms
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
