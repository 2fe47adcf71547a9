"""``get_FOO_display`` of the project's models reads one label (cms/choices.py): the label of
the value, translated when shown, as Django's own gives it, without translating every choice."""

from functools import partialmethod

from django.db import models
from django.utils import translation
from django.utils.functional import lazy
from machina.apps.forum.models import Forum

from cms.choices import choice_display, choice_labels
from cms.directory.models import Organisation, OrganisationKind


def _label_of(instance, field_name):
    """What Django's own ``get_FOO_display`` gives."""
    return models.Model._get_FIELD_display(instance, Organisation._meta.get_field(field_name))


def test_the_label_shown_is_djangos_in_the_active_language():
    organisation = Organisation(country="PL", kind=OrganisationKind.ASSOCIATION)
    for language, country in (("en", "Poland"), ("pl", "Polska"), ("it", "Polonia")):
        with translation.override(language):
            assert organisation.get_country_display() == country
            assert organisation.get_country_display() == _label_of(organisation, "country")
            assert organisation.get_kind_display() == _label_of(organisation, "kind")


def test_a_value_that_is_no_choice_is_shown_as_it_is():
    organisation = Organisation(country="XX", kind="")
    assert organisation.get_country_display() == "XX"
    assert organisation.get_kind_display() == ""


def test_only_the_label_shown_is_translated():
    translated = []

    def label(text):
        translated.append(text)
        return text

    lazy_label = lazy(label, str)
    field = models.CharField(
        max_length=2, choices=[("a", lazy_label("Alpha")), ("Group", [("b", lazy_label("Beta"))])]
    )
    field.set_attributes_from_name("letter")

    class Row:
        letter = "b"

    labels = choice_labels(field)
    assert translated == []
    assert choice_display(Row(), field=field, labels=labels) == "Beta"
    assert translated == ["Beta"]


def test_the_project_models_have_it_and_others_keep_djangos():
    ours = Organisation.__dict__["get_country_display"]
    assert isinstance(ours, partialmethod) and ours.func is choice_display
    theirs = Forum.__dict__["get_type_display"]
    assert theirs.func is not choice_display
