"""Forms of the Virtual Centre pages: the filters of the section listings."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.directory.models import Region
from cms.taxonomy import FIBRE_CHOICES, PROCESSES, WASTE_CODES


class ResourceFilterForm(forms.Form):
    """The filters of a section index: region, topic and year. Unknown values are refused by
    the form and the listing stays unfiltered. The page gives the topics and the years it has
    (the form stays below the page models, which use it)."""

    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("All regions"),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("All topics"),
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, topics, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.all()
        self.fields["topic"].queryset = topics
        self.fields["year"].choices = [("", _("All years")), *[(y, y) for y in years]]

    def filter(self, pages):
        data = self.cleaned_data
        if data.get("region"):
            pages = pages.filter(region=data["region"])
        if data.get("topic"):
            pages = pages.filter(topics=data["topic"])
        if data.get("year"):
            pages = pages.filter(date__year=data["year"])
        return pages


def _json_list_has(field, code):
    """A Q for a JSON list field holding ``code`` (portable: SQLite has no JSON contains)."""
    return Q(**{f"{field}__icontains": f'"{code}"'})


class TechnologyFilterForm(ResourceFilterForm):
    """Technologies are also found by readiness, process step, fibre and waste stream."""

    trl = forms.TypedChoiceField(
        label=_("Readiness at least"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any readiness"))] + [(n, f"TRL {n}") for n in range(1, 10)],
    )
    process = forms.ChoiceField(
        label=_("Process step"), required=False, choices=[("", _("Any process")), *PROCESSES]
    )
    fibre = forms.ChoiceField(
        label=_("Fibre"), required=False, choices=[("", _("Any fibre")), *FIBRE_CHOICES]
    )
    waste_code = forms.ChoiceField(
        label=_("Waste stream"),
        required=False,
        choices=[("", _("Any waste stream")), *[(c, f"{c} {label}") for c, label in WASTE_CODES]],
    )

    def filter(self, pages):
        pages = super().filter(pages)
        data = self.cleaned_data
        if data.get("trl"):
            pages = pages.filter(readiness_level__gte=data["trl"])
        for name, field in (
            ("process", "processes"),
            ("fibre", "fibres"),
            ("waste_code", "waste_codes"),
        ):
            if data.get(name):
                pages = pages.filter(_json_list_has(field, data[name]))
        return pages
