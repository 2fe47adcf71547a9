"""The site's form renderer (cms/widgets.py) writes selects as Django's own templates do."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.forms.renderers import TemplatesSetting

from cms.directory.models import Organisation, Region
from cms.events.filters import EventFilterSet
from cms.forms import ResourceFilterForm, TechnologyFilterForm
from cms.models import EventPage, Topic
from cms.partners.filters import ExpertFilterSet, OpportunityFilterSet, OrganisationFilterSet
from cms.partners.models import Expert, Opportunity
from cms.search.views import SearchForm
from cms.widgets import SiteFormRenderer
from courses.filters import CatalogueFilterSet
from courses.models import CoursePage
from exchange.filters import ListingFilter


def test_a_select_writes_djangos_html():
    """Options, the selected one, groups, and every label and value escaped."""
    choices = [
        ("", "Any"),
        ("a<b", 'Fish & "chips"'),
        ("Group <1>", [("x", "Ex"), ("y", "Why")]),
        (3, "Three"),
    ]
    for value in ("", "a<b", "y", 3, None):
        attrs = {"id": "id_f", "data-x": 'q"uote', "disabled": False, "required": True}
        select = forms.Select(choices=choices)
        expected = select.render("f", value, attrs=attrs, renderer=TemplatesSetting())
        assert select.render("f", value, attrs=attrs, renderer=SiteFormRenderer()) == expected
    assert '<option value="a&lt;b">Fish &amp; &quot;chips&quot;</option>' in expected


def test_a_select_whose_options_name_another_template_is_rendered_by_it():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    select = Fancy(choices=[("a", "A")])
    assert select.render("f", "a", renderer=SiteFormRenderer()) == select.render(
        "f", "a", renderer=TemplatesSetting()
    )


def _selects(form):
    return [form[name] for name, field in form.fields.items() if type(field.widget) is forms.Select]


@pytest.mark.django_db
def test_every_select_of_the_filter_forms_renders_as_djangos_templates():
    """The site's filter forms (partners, exchange, courses, events, sections, search), empty and
    with values chosen, through the site's renderer and through Django's templates."""
    Region.objects.create(name="Prato & Tuscany", slug="prato", country="IT")
    chosen = {
        "country": "IT",
        "region": "prato",
        "nace": "13.10",
        "kind": "offer",
        "sort": "newest",
    }
    forms_to_check = []
    for data in ({}, chosen):
        forms_to_check += [
            OrganisationFilterSet(data or None, queryset=Organisation.objects.all()).form,
            OpportunityFilterSet(data or None, queryset=Opportunity.objects.all()).form,
            ExpertFilterSet(data or None, queryset=Expert.objects.all()).form,
            ListingFilter(data, user=AnonymousUser(), organisation_ids=[], sites=[]).form,
            CatalogueFilterSet(data or None, queryset=CoursePage.objects.all()).form,
            EventFilterSet(data or None, queryset=EventPage.objects.all()).form,
        ]
        forms_to_check += [
            ResourceFilterForm(data, topics=Topic.objects.all(), years=[2025, 2026]),
            TechnologyFilterForm(data, topics=Topic.objects.all()),
            SearchForm(data),
        ]
    checked = 0
    for form in forms_to_check:
        form.is_valid()
        for field in _selects(form):
            site = str(field)
            form.renderer = TemplatesSetting()
            assert site == str(field), field.name
            form.renderer = None
            checked += 1
    assert checked >= 20
    assert isinstance(forms.Form().renderer, SiteFormRenderer)  # the site's forms use it


class _EveryKindOfField(forms.Form):
    name = forms.CharField(label='Name & "title"', help_text="<em>As on your ID</em>")
    email = forms.EmailField(required=False)
    count = forms.IntegerField(min_value=1, max_value=5, label="")
    agree = forms.BooleanField(required=False, label="I agree")
    colour = forms.ChoiceField(choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect)
    fibres = forms.MultipleChoiceField(
        choices=[("cotton", "Cotton"), ("wool", "Wool")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Pick any",
        required=False,
    )
    note = forms.CharField(widget=forms.Textarea, required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    kept = forms.CharField(show_hidden_initial=True, initial="x", required=False)

    def clean(self):
        raise forms.ValidationError("The form as a whole is wrong <b>")


def _same_as_djangos_templates(make_form, data=None):
    """Every field's group, widget, errors and label, and the whole form, through the site's
    renderer and through Django's templates (with the site's own field.html and div.html):
    ``make_form(data, renderer)``, validated when ``data`` is given."""

    def parts(renderer):
        form = make_form(data, renderer)
        if data is not None:
            form.is_valid()
        return [str(form)] + [
            part
            for field in form
            for part in (field.as_field_group(), str(field), str(field.errors), field.label_tag())
        ]

    site = parts(None)
    assert site == parts(TemplatesSetting())
    return len(site)


@pytest.mark.django_db
def test_every_field_of_the_sites_forms_renders_as_djangos_templates():
    """Inputs, error lists and the field's group are written in Python too (cms/widgets.py):
    the same HTML, empty, filled, with errors, with help, fieldsets, hidden and no label."""
    from exchange.forms import DealForm, InquiryForm, ListingForm, SiteForm
    from tests.factories import OrganisationFactory

    checked = 0
    good = {"name": "Ada <x>", "count": "3", "colour": "g", "fibres": ["wool"], "day": "2026-12-07"}
    bad = {"name": "", "email": "not-an-address", "count": "99", "colour": "z", "day": "soon"}
    for data in (None, good, bad):
        checked += _same_as_djangos_templates(
            lambda data, renderer: _EveryKindOfField(
                data, initial={"token": "t<1>"}, renderer=renderer
            ),
            data,
        )
    for form_class in (InquiryForm, DealForm, SiteForm):
        for data in (None, {}, {"name": "", "country": "XX", "quantity": "-1"}):
            checked += _same_as_djangos_templates(
                lambda data, renderer, form_class=form_class: form_class(data, renderer=renderer),
                data,
            )
    organisation = OrganisationFactory()
    for data in (None, {"title": "x" * 500, "kind": "nonsense", "accepted_forms": ["z"]}):
        checked += _same_as_djangos_templates(
            lambda data, renderer: ListingForm(data, organisation=organisation, renderer=renderer),
            data,
        )
    assert checked > 100
