"""A damaged StreamField submission is refused with a message, not a 500.

Wagtail's admin sends a StreamField as numbered keys that its JavaScript writes (``body-count``,
``body-0-type``, ``body-0-order``, ``body-0-value``…) and its parser indexes them directly: a
post without them, or with a count or an order that is not a number, raised KeyError or
ValueError — a 500 for any editor (a form sent before the page had finished loading, a browser
extension, a hand-made request; found by tests/security/test_fuzz_admin_forms.py). Before
Wagtail creates or edits a page or a snippet, each StreamField its form edits is parsed once; a
damaged one sends the editor back to the form with a message, and nothing is saved."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin.panels import get_edit_handler
from wagtail.fields import StreamField


def damaged_stream_fields(model, data, files) -> list[str]:
    """The names of the StreamFields of ``model``'s admin form that ``data`` cannot fill."""
    edited = set(get_edit_handler(model).get_form_options().get("fields") or ())
    damaged = []
    for field in model._meta.get_fields():
        if not isinstance(field, StreamField) or field.name not in edited:
            continue
        try:
            field.stream_block.value_from_datadict(data, files, field.name)
        except (KeyError, ValueError, TypeError, IndexError, AttributeError):
            damaged.append(str(field.verbose_name))
    return damaged


def refuse_damaged_stream_fields(request, model):
    """A redirect back to the form, with a message, when a StreamField arrived damaged."""
    if request.method != "POST":
        return None
    damaged = damaged_stream_fields(model, request.POST, request.FILES)
    if not damaged:
        return None
    messages.error(
        request,
        _(
            "The content of %(fields)s arrived incomplete, so nothing was saved. Reload the "
            "page and make your change again."
        )
        % {"fields": ", ".join(damaged)},
    )
    return redirect(request.get_full_path())
