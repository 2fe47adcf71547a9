"""The admin's rich text editor (WAGTAILADMIN_RICH_TEXT_EDITORS): Wagtail's Draftail, reading
only what Draftail itself sends."""

from wagtail.admin.rich_text import DraftailRichTextArea


class DraftailEditor(DraftailRichTextArea):
    """Draftail posts a field's content as Draft.js JSON written by its own script (or, without
    script, the JSON the page was served with). Wagtail decodes whatever comes unchecked, so a
    hand-made post with anything else in a rich text field was a 500 (found by the admin form
    fuzz, tests/security/test_fuzz_admin_forms.py). Such a value counts as not sent: a required
    field is refused as missing, an optional one is saved empty."""

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError):
            return None
