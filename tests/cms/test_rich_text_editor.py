"""The admin's rich text editor reads only Draftail's own JSON: anything else in a post (a
hand-made request) counts as not sent instead of failing with a 500."""

import pytest
from django import forms
from wagtail.admin.rich_text import get_rich_text_editor_widget
from wagtail.fields import RichTextField

from cms.rich_text import DraftailEditor

UNREADABLE = ["N", "", "[]", "1", '{"blocks": 1}', '{"blocks": [{"text": 1}]}', "\x00"]


def test_the_admin_uses_the_editor_that_refuses_unreadable_content():
    assert isinstance(get_rich_text_editor_widget(), DraftailEditor)


def test_draftail_content_is_read_as_before():
    widget = get_rich_text_editor_widget()
    sent = widget.format_value("<p>Hello <b>world</b></p>")
    saved = widget.value_from_datadict({"body": sent}, {}, "body")
    assert "Hello <b>world</b>" in saved and saved.startswith("<p")


@pytest.mark.parametrize("value", UNREADABLE)
def test_unreadable_content_counts_as_not_sent(value):
    widget = get_rich_text_editor_widget()
    assert widget.value_from_datadict({"body": value}, {}, "body") is None

    class RequiredText(forms.Form):
        body = RichTextField().formfield()

    form = RequiredText({"body": value})
    assert not form.is_valid() and "body" in form.errors
