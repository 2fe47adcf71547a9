"""A topic page's posts kept for each reader until the next write (topic_detail.html,
cms/fragments.py), with the page cache on as in production: a reader back at the same page
reads neither the posts nor their controls; each reader keeps their own controls and likes;
the forms in a kept list carry the request's own CSRF token; whatever is written shows at once.
The member's account menu is kept the same way."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from machina.apps.forum_conversation.models import Post

from cms.pagecache import CSRF_PLACEHOLDER
from forum import services
from tests.factories import UserFactory

from .factories import member, topic_url, topic_with_posts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_pages")]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def post_section(html, post):
    return html.split(f'<article id="{post.pk}"', 1)[1].split("</article>", 1)[0]


def test_a_reader_back_at_the_same_page_reads_neither_posts_nor_controls(public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator, subject="Bale sizes", posts=20)
    client = signed_in(member(public_group))
    url = topic_url(topic)
    first = page(client, url)
    page(client, url)  # the first visit marked the topic read: a write
    with CaptureQueriesContext(connection) as kept:
        again = page(client, url)
    post_list = [q["sql"] for q in kept.captured_queries if "like_count" in q["sql"]]
    assert post_list == []
    assert re.findall(r'<article id="(\d+)"', again) == re.findall(r'<article id="(\d+)"', first)
    # the second page of the topic is its own
    second = page(client, f"{url}?page=2")
    assert set(re.findall(r'<article id="(\d+)"', second)).isdisjoint(
        re.findall(r'<article id="(\d+)"', first)
    )


def test_each_reader_keeps_their_own_controls_and_likes(public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator, subject="Bale sizes")
    head = topic.first_post
    reader_user = member(public_group)
    author, reader = signed_in(coordinator), signed_in(reader_user)
    url = topic_url(topic)
    for _visit in range(2):
        mine, theirs = post_section(page(author, url), head), post_section(page(reader, url), head)
        assert "Edit</a>" in mine and "like-button" not in mine
        assert "Edit</a>" not in theirs and 'aria-pressed="false"' in theirs
    services.post_like_toggle(post=head, user=reader_user)
    assert 'aria-pressed="true"' in post_section(page(reader, url), head)
    assert "1 like" in post_section(page(author, url), head)
    anonymous = post_section(page(Client(), url), head)
    assert "Edit</a>" not in anonymous and "like-button" not in anonymous


def test_forms_in_a_kept_list_carry_the_requests_own_token(public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator, subject="Bale sizes")
    head = topic.first_post
    reader = member(public_group)
    client = signed_in(reader, enforce_csrf_checks=True)
    url = topic_url(topic)
    for _visit in range(3):
        html = page(client, url)
    assert CSRF_PLACEHOLDER not in html
    tokens = TOKEN.findall(post_section(html, head))
    assert tokens, "the like form carries a token"
    # a token masked for this response (not the one kept), valid for this visitor's secret
    assert tokens[0] not in TOKEN.findall(page(client, url))
    like = reverse("working_groups:post_like", args=[head.pk])
    assert client.post(like, {"csrfmiddlewaretoken": tokens[0]}).status_code == 302
    assert 'aria-pressed="true"' in post_section(page(client, url), head)
    # the same member in another browser (another CSRF secret) gets the list kept for them,
    # with that browser's token
    elsewhere = signed_in(reader, enforce_csrf_checks=True)
    token = TOKEN.findall(post_section(page(elsewhere, url), head))[0]
    assert elsewhere.post(like, {"csrfmiddlewaretoken": token}).status_code == 302
    # another visitor's token is refused, whoever's page it came from
    other = signed_in(member(public_group), enforce_csrf_checks=True)
    page(other, url)
    assert other.post(like, {"csrfmiddlewaretoken": tokens[0]}).status_code == 403


def test_a_new_reply_and_an_edit_show_at_once(public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator, subject="Bale sizes")
    client = signed_in(member(public_group))
    url = topic_url(topic)
    for _visit in range(2):
        page(client, url)
    reply = Post.objects.create(
        topic=topic, poster=coordinator, subject="", content="Compressed to 400 kg"
    )
    assert "Compressed to 400 kg" in page(client, url)
    reply.content = "Compressed to 450 kg"
    reply.save()
    html = page(client, url)
    assert "Compressed to 450 kg" in html and "400 kg" not in html


def test_the_account_menu_is_each_members_own_and_follows_a_change_at_once():
    alice, bob = UserFactory(display_name="Alice Appel"), UserFactory(display_name="Bob Berg")
    alice_client, bob_client = signed_in(alice, enforce_csrf_checks=True), signed_in(bob)
    for _visit in range(2):
        assert "<summary>Alice Appel</summary>" in page(alice_client, "/")
        assert "<summary>Bob Berg</summary>" in page(bob_client, "/")
    alice.display_name = "Alice Appel-Rossi"
    alice.save()
    html = page(alice_client, "/")
    assert "<summary>Alice Appel-Rossi</summary>" in html
    # signing out through the kept menu's form works: its token is this request's
    logout = html.split('action="/accounts/logout/"', 1)[1]
    token = TOKEN.search(logout).group(1)
    assert alice_client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "_auth_user_id" not in alice_client.session


def test_the_whole_page_is_kept_for_each_reader_and_their_watch_level_shows_at_once(
    public_group, coordinator
):
    """The page around the posts is kept for its reader too: the moderation menu for the
    coordinator only, the reader's own watch level, changed at once; a kept page reads neither
    the posts, nor their count, nor the reader's watch level."""
    from cms.notifications.models import Frequency
    from cms.notifications.services import preference_set
    from forum.models import TOPIC_DISCUSSION

    topic = topic_with_posts(public_group, coordinator, subject="Bale sizes", posts=20)
    reader_user = member(public_group)
    coordinating, reading = signed_in(coordinator), signed_in(reader_user)
    url = topic_url(topic)
    for _visit in range(2):  # the first visits mark the topic read: a write
        assert "Moderate" in page(coordinating, url)
        assert "Moderate" not in page(reading, url)
    with CaptureQueriesContext(connection) as kept:
        html = page(reading, url)
    statements = [q["sql"] for q in kept.captured_queries]
    assert not [sql for sql in statements if 'FROM "forum_conversation_post"' in sql]
    assert not [sql for sql in statements if "notifications_notificationpreference" in sql]
    assert '<option value="group" selected>' in html

    preference_set(
        user=reader_user, topic=TOPIC_DISCUSSION, target=topic, frequency=Frequency.INSTANT
    )
    html = page(reading, url)
    assert '<option value="watching" selected>' in html
    assert '<option value="group" selected>' in page(coordinating, url)
