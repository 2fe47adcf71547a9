"""A StreamField that arrives damaged in the admin (its numbered keys missing, a count or an
order that is not a number) is refused with a message and nothing is saved, instead of a 500
(cms/streamfields.py; found by tests/security/test_fuzz_admin_forms.py)."""

import pytest
from django.contrib.messages import get_messages
from wagtail.models import Revision

from cms.models import StoryPage
from tests.cms import factories as cms_factories

pytestmark = pytest.mark.django_db

DAMAGED = [
    {},  # the StreamFields left out: a post sent before the editor's JavaScript had run
    {"body-count": "0", "key_figures-count": "abc"},
    {"body-count": "1", "key_figures-count": "0"},  # block 0's keys missing
    {
        "body-count": "1",
        "body-0-type": "text",
        "body-0-deleted": "",
        "body-0-order": "x",
        "key_figures-count": "0",
    },
]


@pytest.fixture
def story():
    return cms_factories.story(cms_factories.story_index(), title="Wool selvedges")


@pytest.mark.parametrize("stream", DAMAGED)
def test_a_damaged_stream_is_refused_with_a_message_and_nothing_saved(
    client, admin_user, story, stream
):
    client.force_login(admin_user)
    url = f"/admin/pages/{story.pk}/edit/"
    revisions = Revision.objects.count()
    response = client.post(url, {"title": "Changed", "slug": story.slug, **stream})
    assert (response.status_code, response["Location"]) == (302, url)
    assert "arrived incomplete, so nothing was saved" in str(
        list(get_messages(response.wsgi_request))[0]
    )
    assert Revision.objects.count() == revisions
    assert StoryPage.objects.get(pk=story.pk).title == "Wool selvedges"


def test_a_new_page_with_a_damaged_stream_is_not_created(client, admin_user):
    client.force_login(admin_user)
    index = cms_factories.story_index()
    url = f"/admin/pages/add/cms/storypage/{index.pk}/"
    response = client.post(url, {"title": "New", "slug": "new", "body-count": "1e400"})
    assert (response.status_code, response["Location"]) == (302, url)
    assert not StoryPage.objects.filter(slug="new").exists()


def test_a_whole_stream_is_still_read(client, admin_user, story):
    """The guard parses what Wagtail would: an intact stream passes on to Wagtail's form."""
    client.force_login(admin_user)
    url = f"/admin/pages/{story.pk}/edit/"
    response = client.post(
        url,
        {
            "title": "Wool selvedges",
            "slug": story.slug,
            "body-count": "0",
            "key_figures-count": "0",
        },
    )
    assert not [m for m in get_messages(response.wsgi_request) if "incomplete" in str(m)]
