"""Wagtail's chooser widgets (pages, snippets, images, documents) look up the id they are given
with ``objects.get(pk=value)`` and catch only ``DoesNotExist``: a form sent back with an id that
is not a number (``region=abc``) is refused by the form field, but redrawing the form with its
errors then raised ValueError on PostgreSQL — a 500 for anyone in the admin (found by
tests/security/test_fuzz_admin_forms.py). Such an id now shows as "nothing chosen", like an id
that does not exist, and the form's own error message says what is wrong."""

from django.core.exceptions import ValidationError
from wagtail.admin.widgets.chooser import BaseChooser


def chooser_bad_ids_tolerated():
    original = BaseChooser.get_instance
    if getattr(original, "tolerates_bad_ids", False):
        return

    def get_instance(self, value):
        try:
            return original(self, value)
        except (ValueError, TypeError, OverflowError, ValidationError):
            return None

    get_instance.tolerates_bad_ids = True
    BaseChooser.get_instance = get_instance
