"""Reads kept until their tables are written (cms/tablecache.py): the site and its root page,
the site look, the locale, a member's permissions and organisations. With the page cache off
(as here), signed-in pages skip those queries; every change shows on the next request, however
it was written (save, queryset update, a change of relation), and nothing of one member reaches
another."""

import contextlib

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from cms import tablecache
from cms.models import HomePage
from tests.cms.factories import make_story
from tests.exchange.factories import MembershipFactory
from tests.factories import UserFactory
from themes.models import PartnerLogo, SiteLook

pytestmark = pytest.mark.django_db

CORE_TABLES = (
    "wagtailcore_site",
    "wagtailcore_locale",
    "themes_sitelook",
    "themes_partnerlogo",
    "auth_permission",
    "exchange_membership",
)


@pytest.fixture
def look():
    return SiteLook.for_site(Site.objects.get(is_default_site=True))


def signed_in(user=None):
    client = Client()
    client.force_login(user or UserFactory())
    return client


def html(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_value_is_computed_once_until_its_table_is_written(look):
    computed = []

    def compute():
        computed.append(1)
        return SiteLook.objects.get(pk=look.pk).site_name

    def read():
        return tablecache.cached("test", tables=["themes_sitelook"], compute=compute)

    assert read() == read() == look.site_name
    assert len(computed) == 1
    # A write to another table keeps it; an update without signals to its own does not.
    UserFactory()
    assert read() == look.site_name and len(computed) == 1
    SiteLook.objects.filter(pk=look.pk).update(site_name="Renamed by an update")
    assert read() == "Renamed by an update" and len(computed) == 2


def test_signed_in_pages_do_not_read_the_core_tables_again(look):
    story = make_story(title="Sorting by fibre in Prato")
    MembershipFactory(user=(member := UserFactory()))
    client = signed_in(member)
    for url in ("/", story.url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        read = [query["sql"] for query in captured]
        for table in CORE_TABLES:
            assert not any(f'FROM "{table}"' in sql for sql in read), (url, table)


def test_a_page_is_routed_from_the_cache_until_a_page_is_written(look):
    """A signed-in member's request finds its page without reading the tree again
    (cms.models.home.page_at); a change of the page, a new slug, an unpublication and a new
    page show at once."""
    story = make_story(title="Sorting by fibre in Prato")
    client = signed_in()
    old_url = story.url
    assert "Sorting by fibre in Prato" in html(client, old_url)
    with CaptureQueriesContext(connection) as captured:
        assert "Sorting by fibre in Prato" in html(client, old_url)
    routing = ['"url_path" IN', 'FROM "cms_storypage" INNER JOIN "wagtailcore_page"']
    assert not [q["sql"] for q in captured if any(part in q["sql"] for part in routing)]
    story.title = "Sorting by fibre in Prato, year two"
    story.save_revision().publish()
    assert "year two" in html(client, old_url)
    story.slug = "prato-sorting"
    story.save_revision().publish()
    story.refresh_from_db()
    assert client.get(old_url).status_code == 404
    assert "year two" in html(client, story.url)
    story.unpublish()
    assert client.get(story.url).status_code == 404
    other = make_story(title="Another story")
    assert client.get(other.url).status_code == 200


def test_a_kept_route_gives_the_breadcrumbs_and_the_section_without_reading_the_tree(look):
    """The route keeps each page on the way with its parent (treebeard's ``get_parent``): a
    story's breadcrumbs (the section and the index above it) and its section feed read no page
    again; a section renamed shows in them at once."""
    from tests.cms.factories import story_index

    story = make_story(title="Sorting by fibre in Prato")
    section = story_index()
    client = signed_in()
    html(client, story.url)
    with CaptureQueriesContext(connection) as captured:
        page = html(client, story.url)
    assert f'">{section.title}</a></li>' in page
    assert f'href="{section.get_parent().url}">{section.get_parent().title}</a>' in page
    assert f"/feeds/section/{section.slug}/rss/" in page
    assert not [q["sql"] for q in captured if 'FROM "wagtailcore_page"' in q["sql"]]

    section.title = "Stories from the regions"
    section.save_revision().publish()
    assert '">Stories from the regions</a></li>' in html(client, story.url)


def test_addresses_that_lead_nowhere_or_past_a_page_are_not_kept(look):
    """Only the addresses of pages are kept: a made-up address, or made-up components after a
    page that routes by itself, would otherwise fill the cache at a visitor's will (the second:
    tests/quizzes/test_queries.py, after a quiz)."""
    computed = []

    def read():
        return tablecache.cached(
            "test-keep",
            tables=["themes_sitelook"],
            compute=lambda: computed.append(1),
            keep=lambda value: value is not None,
        )

    read()
    read()
    assert len(computed) == 2
    client = signed_in()
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/resources/no-such-page/").status_code == 404
        assert [q for q in captured if '"url_path" IN' in q["sql"]]


def test_a_change_of_the_site_look_shows_at_once(look):
    client = signed_in()
    assert look.site_name in html(client)
    look.site_name = "Circular Textiles Hub"
    look.save()
    assert "Circular Textiles Hub" in html(client)
    assert "Circular Textiles Hub" in html(Client())
    SiteLook.objects.filter(pk=look.pk).update(site_name="Renamed in bulk")
    assert "Renamed in bulk" in html(client)
    PartnerLogo.objects.create(site_look=look, name="Prato Textile Cluster")
    assert "Prato Textile Cluster" in html(client)
    PartnerLogo.objects.filter(site_look=look).delete()
    assert "Prato Textile Cluster" not in html(client)


def test_a_change_of_the_home_page_shows_at_once(look):
    client = signed_in()
    html(client)
    home = HomePage.objects.get(depth=2)
    home.intro = "<p>Now with a materials exchange</p>"
    home.save_revision().publish()
    assert "Now with a materials exchange" in html(client)
    assert "Now with a materials exchange" in html(Client())


def test_a_change_of_the_site_shows_at_once(look, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "elsewhere.example.org"]
    client = signed_in()
    assert client.get("/", HTTP_HOST="elsewhere.example.org").status_code == 200
    # The default site's home page answers any host until the host has a site of its own,
    # whose root has no page at this path.
    story = make_story(title="Only on the main site")
    assert client.get(story.url, HTTP_HOST="elsewhere.example.org").status_code == 200
    Site.objects.create(
        hostname="elsewhere.example.org",
        port=80,
        root_page=HomePage.objects.get(depth=2).get_parent(),
        site_name="Elsewhere",
    )
    assert client.get(story.url, HTTP_HOST="elsewhere.example.org").status_code == 404


def test_a_change_of_permissions_shows_at_once_to_that_member_only(look):
    user, other = UserFactory(), UserFactory()
    client, other_client = signed_in(user), signed_in(other)
    admin_link = 'href="/admin/"'
    assert admin_link not in html(client) and admin_link not in html(other_client)
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    editors = Group.objects.create(name="Test editors")
    user.groups.add(editors)
    assert admin_link not in html(client)
    editors.permissions.add(access)  # a change of the group's permissions, not of the user
    assert admin_link in html(client)
    assert admin_link not in html(other_client)
    user.groups.remove(editors)
    assert admin_link not in html(client)
    user.user_permissions.add(access)
    assert admin_link in html(client)
    # Made a superuser: every permission, though no table of permissions changed.
    other.is_superuser = True
    other.save()
    assert admin_link in html(other_client)


def test_a_change_of_membership_shows_at_once(look):
    user = UserFactory()
    client = signed_in(user)
    assert "Join the exchange" in html(client)
    membership = MembershipFactory(user=user)
    page = html(client)
    assert "My listings" in page and "Join the exchange" not in page
    assert "Join the exchange" in html(signed_in())
    type(membership).objects.filter(pk=membership.pk).update(approved_at=None)
    assert "Join the exchange" in html(client)


def test_a_value_read_inside_a_transaction_that_rolls_back_is_not_kept(look):
    def read():
        return tablecache.cached(
            "name", tables=["themes_sitelook"], compute=lambda: SiteLook.objects.get().site_name
        )

    with pytest.raises(RuntimeError), transaction.atomic():
        SiteLook.objects.update(site_name="Never committed")
        assert read() == "Never committed"
        raise RuntimeError
    assert read() == look.site_name


def test_a_value_stored_before_the_commit_is_not_served_after_it(
    look, django_capture_on_commit_callbacks, monkeypatch
):
    """Another process may read between the write and the commit and store what it saw (the
    data before the write) under the new version: the commit replaces the version again."""

    def read(compute):
        return tablecache.cached("name", tables=["themes_sitelook"], compute=compute)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        SiteLook.objects.update(site_name="Committed name")
        # What the other process stores (it cannot see the uncommitted name).
        monkeypatch.setattr(tablecache, "_in_own_transaction", lambda: False)
        assert read(lambda: "Name before the commit") == "Name before the commit"
        monkeypatch.undo()
        assert read(lambda: "Name before the commit") == "Name before the commit"
    assert read(lambda: SiteLook.objects.get().site_name) == "Committed name"


def test_a_view_restriction_applies_at_once_without_its_queries_before(look, settings):
    """Wagtail's check of view restrictions (two queries) is answered from the kept paths of the
    restricted pages (cms/models/listing.py): a new restriction, on the page or on a section
    above it, applies on the next request; a removed one lifts."""
    story = make_story(title="Pilot results")
    client = signed_in()
    anonymous = Client()
    assert anonymous.get(story.url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert anonymous.get(story.url).status_code == 200
    assert not any('"wagtailcore_pageviewrestriction"' in query["sql"] for query in captured)
    restriction = PageViewRestriction.objects.create(
        page=story.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )
    assert anonymous.get(story.url).status_code == 302
    assert "Pilot results" in html(client, story.url)
    restriction.delete()
    assert anonymous.get(story.url).status_code == 200
    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)
    assert anonymous.get(story.url).status_code == 302
    PageViewRestriction.objects.all().delete()  # a bulk delete
    assert anonymous.get(story.url).status_code == 200


@pytest.mark.parametrize("in_request", [False, True], ids=["cache", "held in the process"])
def test_a_write_the_cache_did_not_hear_of_shows_after_five_minutes_at_most(
    look, monkeypatch, in_request
):
    """A write made while Redis did not answer cannot replace its table's token; what was
    stored before it is dropped with the value's timeout, as a cached page is, whether it was
    read from the cache (a worker) or held in the web process (a request)."""

    def read():
        with tablecache.request_scope() if in_request else contextlib.nullcontext():
            return tablecache.cached(
                "test-cut",
                tables=["themes_sitelook"],
                compute=lambda: SiteLook.objects.get(pk=look.pk).site_name,
            )

    with time_machine.travel(0, tick=False) as traveller:
        before = read()
        with monkeypatch.context() as cut:
            cut.setattr(tablecache, "bump", lambda tables: None)  # the cache is unreachable
            SiteLook.objects.filter(pk=look.pk).update(site_name="Renamed while cut off")
        assert read() == before  # nothing told the cache
        traveller.shift(tablecache.VALUE_TIMEOUT - 10)
        assert read() == before
        traveller.shift(11)
        assert read() == "Renamed while cut off"
    assert tablecache.VALUE_TIMEOUT <= 300


class CountingCache:
    """The cache as cms.tablecache sees it, counting its reads."""

    def __init__(self, cache):
        self.cache, self.reads = cache, 0

    def __getattr__(self, name):
        attribute = getattr(self.cache, name)
        if name in {"get", "get_many"}:
            self.reads += 1
        return attribute


def test_a_signed_in_page_reads_the_cache_once_for_all_its_kept_values(look, monkeypatch):
    """The site, its look, the locale, the member's permissions and organisations: one round
    trip to the cache for the tokens of their tables, the values themselves held in the
    process."""
    story = make_story(title="Sorting by fibre in Prato")
    MembershipFactory(user=(member := UserFactory()))
    client = signed_in(member)
    for _visit in range(2):
        html(client, story.url)
    counting = CountingCache(tablecache.cache)
    monkeypatch.setattr(tablecache, "cache", counting)
    with CaptureQueriesContext(connection) as captured:
        assert "Sorting by fibre in Prato" in html(client, story.url)
    assert counting.reads == 1
    assert not any(f'FROM "{table}"' in query["sql"] for query in captured for table in CORE_TABLES)


def test_a_value_held_in_the_process_follows_a_write_of_another_process(look, monkeypatch):
    """Another process's write replaces the table's token in the shared cache: this process's
    copy is not served on the next request."""
    client = signed_in()
    assert look.site_name in html(client)
    with monkeypatch.context() as elsewhere:  # the write this process does not see
        elsewhere.setattr(tablecache, "bump", lambda tables: None)
        SiteLook.objects.filter(pk=look.pk).update(site_name="Renamed by another process")
    assert "Renamed by another process" not in html(client)  # served from what was kept
    tablecache.cache.set(tablecache._version_key("themes_sitelook"), "another-process-token", None)
    assert "Renamed by another process" in html(client)


def test_a_request_reads_back_what_it_has_written(look):
    def read():
        return tablecache.cached(
            "name", tables=["themes_sitelook"], compute=lambda: SiteLook.objects.get().site_name
        )

    with tablecache.request_scope():
        assert read() == look.site_name
        SiteLook.objects.update(site_name="Renamed in this request")
        assert read() == "Renamed in this request"
    assert read() == "Renamed in this request"


def test_each_reader_gets_its_own_copy_of_a_value_held_in_the_process(look):
    def read():
        return tablecache.cached("ids", tables=["themes_sitelook"], compute=lambda: [1, 2])

    for _request in range(2):
        with tablecache.request_scope():
            ids = read()
            assert ids == [1, 2]
            ids.append(3)  # a caller that changes what it got


def test_the_values_held_in_the_process_are_bounded(look, monkeypatch):
    monkeypatch.setattr(tablecache._local, "entries", 5)
    with tablecache.request_scope():
        for number in range(20):
            tablecache.cached("n", number, tables=["themes_sitelook"], compute=lambda: 0)
    assert len(tablecache._local) <= 5


def test_page_urls_read_the_site_root_paths_once_and_follow_a_change_of_site(look, monkeypatch):
    """``page.url`` without the request (listings, Python code): Wagtail read its site root paths
    from the cache for every page; they are now kept like the site."""
    from wagtail import models as wagtail_models
    from wagtail.models import Page

    stories = [make_story(title=f"Sorting line {number}") for number in range(3)]
    with tablecache.request_scope():
        assert Page.objects.get(pk=stories[0].pk).url == stories[0].url  # keeps the paths
        counting = CountingCache(tablecache.cache)
        monkeypatch.setattr(tablecache, "cache", counting)
        wagtail_reads = CountingCache(wagtail_models.sites.cache)
        monkeypatch.setattr(wagtail_models.sites, "cache", wagtail_reads)
        urls = [Page.objects.get(pk=story.pk).full_url for story in stories]
        assert counting.reads == 0 and wagtail_reads.reads == 0
        assert all(url.endswith(story.url) for url, story in zip(urls, stories, strict=True))
    monkeypatch.undo()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "centre.example.org", 443
    site.save()
    with tablecache.request_scope():
        assert Page.objects.get(pk=stories[0].pk).full_url.startswith("https://centre.example.org/")


def test_the_request_scope_ends_with_the_middleware_whatever_the_response(rf):
    """A streamed response read later (a file), or an error: nothing of the request's tokens is
    left for what the thread does next (a test, a task run inline)."""
    from django.http import StreamingHttpResponse

    from cms.middleware import SiteMiddleware

    seen = []

    def streamed(request):
        seen.append(tablecache._request_versions.get())
        return StreamingHttpResponse(iter([b"part"]))

    def failing(request):
        seen.append(tablecache._request_versions.get())
        raise RuntimeError

    SiteMiddleware(streamed)(rf.get("/"))
    assert tablecache._request_versions.get() is None
    with pytest.raises(RuntimeError):
        SiteMiddleware(failing)(rf.get("/"))
    assert tablecache._request_versions.get() is None
    assert all(isinstance(tokens, dict) for tokens in seen) and len(seen) == 2


class SilentCache:
    """The cache while Redis does not answer (django-redis with IGNORE_EXCEPTIONS): reads find
    nothing, writes are dropped."""

    def __getattr__(self, name):
        return {"get": lambda *a, **k: None, "get_many": lambda *a, **k: {}}.get(
            name, lambda *a, **k: None
        )


def test_without_a_cache_answer_every_value_is_read_afresh(look, monkeypatch):
    """Redis down: nothing is kept, in a request or outside, and every change shows at once."""
    monkeypatch.setattr(tablecache, "cache", SilentCache())
    computed = []

    def read():
        computed.append(1)
        return SiteLook.objects.get(pk=look.pk).site_name

    for scope in (contextlib.nullcontext, tablecache.request_scope):
        with scope():
            assert tablecache.cached("down", tables=["themes_sitelook"], compute=read) == (
                look.site_name
            )
            SiteLook.objects.filter(pk=look.pk).update(site_name=f"Renamed {scope.__name__}")
            assert tablecache.cached("down", tables=["themes_sitelook"], compute=read) == (
                f"Renamed {scope.__name__}"
            )
        look.refresh_from_db()
    assert len(computed) == 4
    client = signed_in()
    assert look.site_name in html(client) and look.site_name in html(client)
