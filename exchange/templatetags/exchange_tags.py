"""Template helpers of the exchange."""

from functools import cache

from django import template

from ..models import CompositionLine, Listing

register = template.Library()

# The fields whose labels the listing card shows, by the name the card uses.
LABELLED_FIELDS = {
    "kind": (Listing, "kind"),
    "unit": (Listing, "unit"),
    "supply_pattern": (Listing, "supply_pattern"),
    "form": (Listing, "form"),
    "fibre": (CompositionLine, "fibre"),
}


@cache
def _labels(name):
    model, field = LABELLED_FIELDS[name]
    return dict(model._meta.get_field(field).flatchoices)


@register.filter
def choice_label(value, name):
    """The label of a stored choice, as ``get_<field>_display`` gives it (``{{ listing.form|
    choice_label:"form" }}``). That method hashes, and so translates, every label of the field
    at each call (some 50 translations a listing card); this translates the one shown."""
    return str(_labels(name).get(value, value))
