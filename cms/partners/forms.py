from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cms.directory.countries import COUNTRIES
from cms.notifications.models import Frequency
from cms.taxonomy import FIBRE_CHOICES, WASTE_CODES

from .models import (
    CooperationProfile,
    Expert,
    InterestState,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
)
from .taxonomy import NACE_CHOICES, S3_AREAS, VALUE_CHAIN, language_choices

MAX_TAGS = 20


class TagsField(forms.CharField):
    """Free-text tags typed as a comma-separated list; cleaned to a list of strings."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1500)
        kwargs.setdefault("help_text", _("Separate them with commas."))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def clean(self, value):
        value = super().clean(value)
        tags = list(dict.fromkeys(" ".join(tag.split()) for tag in value.split(",") if tag.strip()))
        if len(tags) > MAX_TAGS:
            raise ValidationError(_("Give at most %(count)s.") % {"count": MAX_TAGS})
        if any(len(tag) > 80 for tag in tags):
            raise ValidationError(_("Keep each one under 80 characters."))
        return tags


def _checkboxes(choices, label, **kwargs):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
    )


def _select_many(choices, label, **kwargs):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        **kwargs,
    )


class ProfileForm(forms.ModelForm):
    nace_codes = _select_many(NACE_CHOICES, _("Activities (NACE Rev. 2)"))
    value_chain = _checkboxes(VALUE_CHAIN, _("Position in the value chain"))
    s3_areas = _checkboxes(S3_AREAS, _("Smart-specialisation areas"))
    competences = TagsField(label=_("Competences and technologies offered"))
    certifications = TagsField(label=_("Certifications"))
    languages = _select_many([], _("Working languages"))

    class Meta:
        model = CooperationProfile
        fields = [
            "offer",
            "seeking",
            "nace_codes",
            "value_chain",
            "s3_areas",
            "competences",
            "equipment",
            "certifications",
            "languages",
            "size_class",
            "contact_name",
            "contact_email",
        ]
        widgets = {
            "offer": forms.Textarea(attrs={"rows": 4}),
            "seeking": forms.Textarea(attrs={"rows": 4}),
            "equipment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices()


class OpportunityForm(forms.ModelForm):
    sought_partners = _checkboxes(VALUE_CHAIN, _("Partners sought"))
    sought_countries = _select_many(
        COUNTRIES, _("Countries sought"), help_text=_("None selected: any country.")
    )
    nace_codes = _select_many(NACE_CHOICES, _("Activities (NACE Rev. 2)"))
    s3_areas = _checkboxes(S3_AREAS, _("Smart-specialisation areas"))
    competences = TagsField(label=_("Competences concerned"))
    fibres = _select_many(FIBRE_CHOICES, _("Fibres"))
    waste_codes = _select_many(WASTE_CODES, _("Waste streams"))

    class Meta:
        model = Opportunity
        fields = [
            "kind",
            "title",
            "summary",
            "description",
            "sought_partners",
            "sought_countries",
            "nace_codes",
            "s3_areas",
            "competences",
            "funding_call",
            "deadline",
            "process",
            "fibres",
            "waste_codes",
            "budget",
            "trl_wanted",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, funding_calls=None, **kwargs):
        super().__init__(*args, **kwargs)
        if funding_calls is not None:
            self.fields["funding_call"].queryset = funding_calls
        self.fields["funding_call"].help_text = _(
            "For a partner search: the call you are preparing a proposal for."
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("funding_call") and cleaned.get("kind") not in (
            OpportunityKind.PARTNER_SEARCH,
            OpportunityKind.JOINT_ACTION,
        ):
            self.add_error(
                "funding_call",
                _("Only partner searches and joint-action proposals are tied to a funding call."),
            )
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=OpportunityStatus.choices)


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What should change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContactForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Your name and e-mail address are sent with it, so they can answer you."),
    )


class ExpertForm(forms.ModelForm):
    expertise = TagsField(label=_("Expertise"))
    languages = _select_many([], _("Languages"))
    listed = forms.BooleanField(
        label=_("List me as an expert"),
        required=False,
        help_text=_(
            "Your name, headline, expertise, languages and organisation are shown in the partner "
            "search and on your organisation's page. Your e-mail address never is."
        ),
    )

    class Meta:
        model = Expert
        fields = ["headline", "bio", "expertise", "languages", "organisation", "country"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices()
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
        if self.instance.pk:
            self.fields["listed"].initial = self.instance.is_public


class InterestForm(forms.Form):
    """An expression of interest, for one of the organisations the user acts for."""

    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)
    body = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say who you are and what you can bring. Your e-mail address stays private."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class InterestStateForm(forms.Form):
    """What the receiving side may set (withdrawing is the interested side's)."""

    state = forms.ChoiceField(
        label=_("State"),
        choices=[
            (state.value, state.label)
            for state in (InterestState.OPEN, InterestState.SHORTLISTED, InterestState.CLOSED)
        ],
    )


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("E-mail me new opportunities that fit"),
        choices=[
            (Frequency.DAILY, Frequency.DAILY.label),
            (Frequency.WEEKLY, Frequency.WEEKLY.label),
            (Frequency.OFF, Frequency.OFF.label),
        ],
    )
