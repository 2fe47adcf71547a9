"""``get_FOO_display()`` that reads one label, not all of them.

Django's ``Model._get_FIELD_display`` makes a dict of the field's choices on every call, and
hashing each (value, label) pair hashes the label: a lazy translation is translated to be
hashed. An organisation's ``get_country_display`` translated every country (some thirty
look-ups through each app's catalogue) to show one: 0.25 ms a call, and a page of twenty
partners with their countries and kinds spent some 7 ms of CPU on it.

``choice_labels_kept()`` (from ``CmsConfig.ready``) gives each choice field of the project's
own models a ``get_FOO_display`` with the value-to-label dict made once: the labels stay lazy in
it, so only the label shown is translated, in the language active when it is shown. Fields
whose choices are computed (a callable) and methods a model defines itself are left as they
are."""

from functools import partialmethod

from django.apps import apps
from django.db.models import Model
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

# The apps whose models get it (third-party models keep Django's own).
PROJECT_PACKAGES = ("cms", "courses", "forum", "exchange")


def choice_display(instance, *, field, labels):
    """The label of ``instance``'s value of ``field`` (the value itself if it is no choice),
    as Django's own ``get_FOO_display`` gives it."""
    value = getattr(instance, field.attname)
    return force_str(labels.get(make_hashable(value), value), strings_only=True)


def choice_labels(field):
    """{value: label} of ``field``'s choices, groups flattened; the labels as they are (lazy)."""
    return {make_hashable(value): label for value, label in field.flatchoices}


def _is_djangos_display(method):
    return (
        isinstance(method, partialmethod)
        and getattr(method.func, "__func__", method.func) is Model._get_FIELD_display
    )


def choice_labels_kept():
    for model in apps.get_models():
        if model.__module__.split(".", 1)[0] not in PROJECT_PACKAGES:
            continue
        for field in model._meta.local_fields:
            name = f"get_{field.name}_display"
            if not isinstance(field.choices, list | tuple):
                continue
            if not _is_djangos_display(model.__dict__.get(name)):
                continue
            setattr(
                model,
                name,
                partialmethod(choice_display, field=field, labels=choice_labels(field)),
            )
