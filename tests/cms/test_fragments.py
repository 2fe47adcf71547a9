"""Fragments shared between visitors and a member's cached permissions and memberships
(cms/fragments.py): signed-in pages skip the queries of what they share, every change shows at
once, and nothing private or personal reaches anyone else."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cms.accounts import roles
from cms.notifications.models import Frequency
from cms.notifications.services import preference_set
from forum.models import TOPIC_DISCUSSION, WorkingGroup
from forum.services import membership_leave
from tests.cms.factories import make_story, story_index
from tests.exchange.factories import ListingFactory, MembershipFactory
from tests.factories import UserFactory
from tests.forum.factories import WorkingGroupFactory, member, topic_with_posts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_pages")]


def signed_in(user=None):
    client = Client()
    client.force_login(user or UserFactory())
    return client


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_signed_in_pages_skip_the_queries_of_shared_fragments():
    index = story_index()
    story = make_story(title="Sorting by fibre in Prato")
    ListingFactory(title="Denim offcuts")
    member_client = signed_in()
    for url in ("/", index.url, story.url):
        first = queries(member_client, url)
        second = queries(member_client, url)
        assert second < first, url
    # An anonymous visit renders the same fragments from the cache too (the full-page cache
    # bypassed by a session cookie of another kind is not needed for this: a member's visit
    # filled them).
    assert "Denim offcuts" in html(Client(), "/")


def test_a_publication_shows_to_a_signed_in_member_at_once():
    index = story_index()
    story = make_story(title="Carded wool from selvedges")
    member_client = signed_in()
    for url in ("/", index.url, story.url):
        html(member_client, url)
    make_story(title="Chemical recycling of blends")
    assert "Chemical recycling of blends" in html(member_client, "/")
    assert "Chemical recycling of blends" in html(member_client, index.url)
    story.title = "Carded wool, the results"
    story.save_revision().publish()
    assert "Carded wool, the results" in html(member_client, story.url)
    story.unpublish()
    assert "Carded wool, the results" not in html(member_client, index.url)
    assert member_client.get(story.url).status_code == 404


def test_a_private_groups_topics_reach_only_its_members_through_the_home_panel():
    coordinator = UserFactory()
    group = WorkingGroupFactory(
        name="Secret pilot",
        slug="secret-pilot",
        visibility=WorkingGroup.Visibility.PRIVATE,
        coordinators=[coordinator],
    )
    insider = member(group)
    topic_with_posts(group, coordinator, subject="Confidential prices")
    public_group = WorkingGroupFactory(name="Open sorting", slug="open-sorting")
    topic_with_posts(public_group, member(public_group), subject="Open thresholds")

    insider_client = signed_in(insider)
    outsider_client = signed_in()
    for _ in range(2):  # the second visit of each comes from the cache
        assert "Confidential prices" in html(insider_client, "/")
        outsider_home = html(outsider_client, "/")
        assert "Open thresholds" in outsider_home and "Confidential prices" not in outsider_home
        assert "Confidential prices" not in html(Client(), "/")
    # Leaving the group hides it at once.
    membership_leave(group=group, user=insider)
    assert "Confidential prices" not in html(insider_client, "/")


def test_a_topic_the_member_mutes_leaves_their_home_panel_at_once():
    group = WorkingGroupFactory(name="Open sorting", slug="open-sorting")
    reader = member(group)
    topic = topic_with_posts(group, member(group), subject="Noisy thread")
    client = signed_in(reader)
    assert "Noisy thread" in html(client, "/")
    assert "Noisy thread" in html(client, "/")
    preference_set(user=reader, topic=TOPIC_DISCUSSION, target=topic, frequency=Frequency.OFF)
    assert "Noisy thread" not in html(client, "/")
    assert "Noisy thread" in html(signed_in(), "/")  # muted for them, not for others


def test_the_editing_link_follows_a_change_of_permission_at_once():
    user = UserFactory()
    client = signed_in(user)
    admin_url = "/admin/"
    assert f'href="{admin_url}"' not in html(client, "/")
    assert f'href="{admin_url}"' not in html(client, "/")
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    user.user_permissions.add(access)
    assert f'href="{admin_url}"' in html(client, "/")
    assert f'href="{admin_url}"' not in html(signed_in(), "/")  # another member's is their own
    user.user_permissions.remove(access)
    assert f'href="{admin_url}"' not in html(client, "/")


def test_the_exchange_menu_follows_an_approved_membership_at_once():
    user = UserFactory()
    client = signed_in(user)
    assert "Join the exchange" in html(client, "/")
    assert "Join the exchange" in html(client, "/")
    membership = MembershipFactory(user=user)
    page = html(client, "/")
    assert "My listings" in page and "Join the exchange" not in page
    membership.approved_at = None
    membership.save()
    assert "Join the exchange" in html(client, "/")


def test_a_restricted_story_is_served_from_the_cache_only_to_who_may_see_it():
    story = make_story(title="Members-only pilot")
    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)
    client = signed_in()
    assert "Members-only pilot" in html(client, story.url)
    assert "Members-only pilot" in html(client, story.url)
    response = Client().get(story.url)
    assert response.status_code == 302 and "Members-only pilot" not in response.content.decode()


def test_without_the_page_cache_nothing_is_kept(settings):
    settings.PAGE_CACHE_SECONDS = 0
    story = make_story(title="Uncached story")
    client = signed_in()
    client.get(story.url)  # what a first visit makes once (the image renditions, ...)
    second = queries(client, story.url)
    assert queries(client, story.url) == second


def test_the_working_groups_list_is_shared_only_by_members_with_the_same_memberships():
    coordinator = UserFactory()
    group = WorkingGroupFactory(
        name="Secret pilot", visibility=WorkingGroup.Visibility.PRIVATE, coordinators=[coordinator]
    )
    WorkingGroupFactory(name="Open sorting")
    insider, outsider, other_outsider = member(group), UserFactory(), UserFactory()
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get_or_create(name=roles.MODERATOR)[0])
    url = reverse("working_groups:list")
    outsider_client = signed_in(outsider)
    for _ in range(2):  # the second visit of each comes from the kept fragment
        insider_page = html(signed_in(insider), url)
        assert "Secret pilot" in insider_page and "Open sorting" in insider_page
        assert "Secret pilot" not in html(outsider_client, url)
        assert "Secret pilot" not in html(Client(), url)
        assert "Secret pilot" in html(signed_in(moderator), url)
        coordinator_page = html(signed_in(coordinator), url)
        assert "Coordinator" in coordinator_page and "Coordinator" not in insider_page
    # Members with the same memberships share the list: the second reads no group.
    with CaptureQueriesContext(connection) as captured:
        assert "Open sorting" in html(signed_in(other_outsider), url)
    assert not [q for q in captured if "working_groups_workinggroup" in q["sql"]]
    # Joining shows at once, with the new member's badge; leaving hides the private group.
    public = WorkingGroup.objects.get(name="Open sorting")
    member(public, outsider)
    assert "badge-verified" in html(outsider_client, url)
    membership_leave(group=group, user=insider)
    assert "Secret pilot" not in html(signed_in(insider), url)


def test_the_page_head_is_kept_follows_a_change_at_once_and_never_comes_from_a_preview(
    monkeypatch,
):
    """A page's head (description, Open Graph, translations, feeds) is the same for every
    visitor: kept until the next write. An editor's preview of a draft neither fills it nor
    is served it."""
    from cms.templatetags import seo_tags

    story = make_story(title="Denim to insulation", summary="Forty tonnes a year.")
    client, other = signed_in(), signed_in()
    assert 'content="Forty tonnes a year."' in html(client, story.url)
    asked = []
    monkeypatch.setattr(seo_tags, "section_of", lambda page: asked.append(page))
    assert 'content="Forty tonnes a year."' in html(other, story.url)
    assert asked == []  # the head came from what was kept

    monkeypatch.undo()
    story.summary = "A draft nobody should see yet."
    preview = story.make_preview_request().content.decode()
    assert 'content="A draft nobody should see yet."' in preview
    live = html(client, story.url)
    assert "A draft nobody should see yet." not in live
    assert 'content="Forty tonnes a year."' in live

    story.summary = "Sixty tonnes a year."
    story.save_revision().publish()
    assert 'content="Sixty tonnes a year."' in html(client, story.url)
    story.summary = "Another draft."
    assert 'content="Another draft."' in story.make_preview_request().content.decode()


def page_cache_reads(monkeypatch):
    """([keys read from the page cache's store, in order], the store's own get)."""
    from cms import pagecache

    store = pagecache.page_cache()
    reads = []
    real_get = store.get

    def counting_get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(store, "get", counting_get)
    return reads, real_get


def test_a_request_reads_the_generation_once_and_follows_its_own_writes(monkeypatch):
    """In a request (``pagecache.request_scope``) the fragments read the generation once, not
    once each; a write of the request gives it the new one at once (a form that saves, then shows
    a page, never gets the fragments of before its write); outside a request every read asks."""
    from cms import fragments, pagecache

    reads, real_get = page_cache_reads(monkeypatch)
    with pagecache.request_scope():
        before = pagecache.current_generation()
        assert [fragments.cached(f"part-{n}", compute=lambda: "kept") for n in range(3)] == [
            "kept"
        ] * 3
        assert reads.count(pagecache.GENERATION_KEY) == 1
        shown = fragments.cached("part-0", compute=lambda: "new")
        assert shown == "kept"
        WorkingGroupFactory(name="Sorting")  # a write of the request
        after = pagecache.current_generation()
        assert after != before and after == real_get(pagecache.GENERATION_KEY)
        assert fragments.cached("part-0", compute=lambda: "new") == "new"
    reads.clear()
    pagecache.current_generation()
    pagecache.current_generation()
    assert reads.count(pagecache.GENERATION_KEY) == 2


def test_a_write_by_another_process_shows_from_the_next_request_on():
    from cms import fragments, pagecache

    with pagecache.request_scope():
        assert fragments.cached("panel", compute=lambda: "before") == "before"
        pagecache.page_cache().set(pagecache.GENERATION_KEY, "another-process-wrote", None)
        assert fragments.cached("panel", compute=lambda: "after") == "before"
    with pagecache.request_scope():
        assert fragments.cached("panel", compute=lambda: "after") == "after"


def test_a_fragment_read_again_comes_from_the_process_until_the_next_write(monkeypatch):
    """A fragment is held in the process that read it (cms/localcopies.py): the next request
    reads only the generation from the cache, not the fragment; a write anywhere (a new
    generation) makes it read, and made, again."""
    from cms import fragments, pagecache

    reads, _real_get = page_cache_reads(monkeypatch)
    with pagecache.request_scope():
        assert fragments.cached("panel", compute=lambda: ["kept"]) == ["kept"]
    reads.clear()
    with pagecache.request_scope():
        shown = fragments.cached("panel", compute=lambda: ["new"])
        assert shown == ["kept"]
        shown.append("changed by its reader")  # each reader gets its own copy
        assert fragments.cached("panel", compute=lambda: ["new"]) == ["kept"]
    assert reads == [pagecache.GENERATION_KEY]
    WorkingGroupFactory(name="Sorting")  # a write: a new generation
    with pagecache.request_scope():
        assert fragments.cached("panel", compute=lambda: ["new"]) == ["new"]


def test_a_fragment_held_in_the_process_expires_with_the_stored_one(monkeypatch):
    """The copy held in the process expires when the stored fragment does, even when it was
    read back from the cache late in that fragment's life (after a cut to the cache, a write
    may not have replaced the generation: only the expiry ends what was kept before)."""
    from cms import fragments, pagecache

    now = [1_000_000.0]
    monkeypatch.setattr(fragments.time, "time", lambda: now[0])
    monkeypatch.setattr("cms.localcopies.time.time", lambda: now[0])
    with pagecache.request_scope():
        assert fragments.cached("panel", compute=lambda: "first") == "first"
    fragments._local.clear()  # another process, which reads the stored one...
    now[0] += 299
    with pagecache.request_scope():
        assert fragments.cached("panel", compute=lambda: "second") == "first"
    now[0] += 2  # ...the stored one's life is over: so is this copy's
    with pagecache.request_scope():
        assert fragments.cached("panel", compute=lambda: "second") == "second"


def test_the_fragments_held_in_a_process_are_bounded_in_number_and_bytes(monkeypatch):
    from cms import fragments, pagecache
    from cms.localcopies import LocalCopies

    monkeypatch.setattr(fragments, "_local", LocalCopies(entries=5, max_bytes=50_000))
    with pagecache.request_scope():
        for number in range(20):
            fragments.cached("small", number, compute=lambda: "x")
        assert len(fragments._local) == 5
        for number in range(5):
            fragments.cached("large", number, compute=lambda: "x" * 20_000)
        assert fragments._local.bytes <= 50_000 and len(fragments._local) == 2
        # larger than the whole budget: served, stored in the cache, not held here
        huge = fragments.cached("huge", compute=lambda: "x" * 60_000)
        assert len(huge) == 60_000 and len(fragments._local) == 2
        assert fragments.cached("huge", compute=lambda: "made again") == huge
