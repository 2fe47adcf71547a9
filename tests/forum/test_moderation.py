import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_permission.models import UserForumPermission

from forum import services
from forum.models import Report
from forum.permissions import TRUSTED_PERMISSION
from tests.factories import UserFactory

from .factories import member, post_form_data, topic_url, topic_with_posts, watch

pytestmark = pytest.mark.django_db


def create_url(group):
    return reverse(
        "forum_conversation:topic_create",
        kwargs={"forum_slug": group.forum.slug, "forum_pk": group.forum.pk},
    )


def test_new_accounts_first_post_waits_for_approval(
    client, public_group, coordinator, django_capture_on_commit_callbacks
):
    newcomer = member(public_group)
    client.force_login(newcomer)
    client.post(create_url(public_group), post_form_data("First words", "Hello, I am new"))
    post = Post.objects.get(subject="First words")
    assert post.approved is False
    # outsiders do not see it yet
    client.force_login(UserFactory())
    assert (
        "First words"
        not in client.get(
            reverse("working_groups:detail", args=[public_group.slug])
        ).content.decode()
    )

    # the coordinator sees it in the queues and approves it through machina's moderation queue
    client.force_login(coordinator)
    assert "First words" in client.get(reverse("working_groups:moderation")).content.decode()
    assert "First words" in client.get(reverse("forum_moderation:queue")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forum_moderation:approve_queued_post", args=[post.pk]))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.approved
    assert UserForumPermission.objects.filter(
        forum=None, user=newcomer, permission__codename=TRUSTED_PERMISSION, has_perm=True
    ).exists()
    # from now on their posts appear at once
    client.force_login(newcomer)
    client.post(create_url(public_group), post_form_data("Second words", "Trusted now"))
    assert Post.objects.get(subject="Second words").approved


def test_plain_member_has_no_moderation_queue(client, public_group):
    plain = member(public_group)
    client.force_login(plain)
    assert client.get(reverse("working_groups:moderation")).status_code == 403


def test_report_hide_and_dismiss(
    client, public_group, coordinator, django_capture_on_commit_callbacks
):
    author = member(public_group)
    reporter = member(public_group)
    topic = topic_with_posts(
        public_group, author, subject="Cheap fibre offer", content="Buy now!!!"
    )
    post = topic.first_post
    client.force_login(reporter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("working_groups:post_report", args=[post.pk]), {"reason": "Spam"}
        )
    assert response.status_code == 302
    report = Report.objects.get()
    assert mail.outbox[-1].to == [coordinator.email]
    # the reporter cannot act on it
    assert (
        client.post(reverse("working_groups:report_resolve", args=[report.pk, "hide"])).status_code
        == 404
    )

    client.force_login(coordinator)
    queue = client.get(reverse("working_groups:moderation")).content.decode()
    assert "Cheap fibre offer" in queue and "Spam" in queue
    client.post(reverse("working_groups:report_resolve", args=[report.pk, "hide"]))
    post.refresh_from_db()
    report.refresh_from_db()
    assert post.approved is False
    assert report.resolution == "hidden"
    # shown again by a moderator: nobody is e-mailed the post a second time
    watch(reporter, topic)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post.approved = True
        post.save()
    assert mail.outbox == []


def test_report_of_unreadable_post_is_404(client, private_group, private_member, outsider):
    topic = topic_with_posts(private_group, private_member)
    client.force_login(outsider)
    url = reverse("working_groups:post_report", args=[topic.first_post.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert not Report.objects.exists()


def test_site_moderator_moderates_every_group(client, public_group):
    # no explicit sync: migrate gave the Moderator role its global machina permissions
    moderator = UserFactory(roles=["Moderator"])
    author = member(public_group)
    topic = topic_with_posts(public_group, author)
    client.force_login(moderator)
    lock = reverse(
        "forum_moderation:topic_lock",
        kwargs={"slug": topic.slug, "pk": topic.pk},
    )
    response = client.post(lock)
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.status == Topic.TOPIC_LOCKED


def test_coordinator_can_lock_and_pin_but_plain_member_cannot(client, public_group, coordinator):
    author = member(public_group)
    topic = topic_with_posts(public_group, author)
    lock = reverse("forum_moderation:topic_lock", kwargs={"slug": topic.slug, "pk": topic.pk})
    sticky = reverse(
        "forum_moderation:topic_update_to_sticky", kwargs={"slug": topic.slug, "pk": topic.pk}
    )
    client.force_login(author)
    assert client.post(lock).status_code == 403
    client.force_login(coordinator)
    client.post(lock)
    client.post(sticky)
    topic.refresh_from_db()
    assert topic.status == Topic.TOPIC_LOCKED
    assert topic.type == Topic.TOPIC_STICKY


# django-ratelimit's windows are fixed: a clock that stands still keeps the posts in one (a
# run that crossed the end of a window was let through).
@time_machine.travel("2026-03-02 10:00:05Z", tick=False)
def test_posting_is_rate_limited(client, public_group, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "forum.post": "2/m"}
    writer = member(public_group)
    services.user_trust(user=writer)
    client.force_login(writer)
    for index in range(2):
        assert (
            client.post(
                create_url(public_group), post_form_data(f"Topic {index}", "text")
            ).status_code
            == 302
        )
    response = client.post(create_url(public_group), post_form_data("Topic 3", "text"))
    assert response.status_code == 200
    assert "posting too fast" in response.content.decode()
    assert Topic.objects.filter(forum=public_group.forum).count() == 2


@override_settings(FORUM_ATTACHMENT_EXTENSIONS=["pdf", "txt"], FORUM_ATTACHMENT_MAX_SIZE=10)
def test_attachments_are_validated(client, public_group):
    writer = member(public_group)
    services.user_trust(user=writer)
    client.force_login(writer)

    def attempt(name, payload):
        data = post_form_data("With file", "see attached", **{"attachment-TOTAL_FORMS": 1})
        data["attachment-0-file"] = SimpleUploadedFile(name, payload)
        data["attachment-0-comment"] = ""
        return client.post(create_url(public_group), data)

    response = attempt("virus.exe", b"MZ")
    assert "cannot be attached" in response.content.decode()
    response = attempt("big.txt", b"x" * 11)
    assert "too large" in response.content.decode()
    assert not Topic.objects.filter(forum=public_group.forum).exists()
    response = attempt("ok.txt", b"small")
    assert response.status_code == 302
    assert Post.objects.get(subject="With file").attachments.count() == 1


def test_markdown_preview_and_quote(client, public_group, coordinator):
    writer = member(public_group)
    client.force_login(writer)
    response = client.post(
        create_url(public_group), post_form_data("Preview", "**bold idea**", preview="1")
    )
    assert response.status_code == 200
    assert "<strong>bold idea</strong>" in response.content.decode()
    topic = topic_with_posts(public_group, coordinator, content="Quote me")
    quote = reverse(
        "forum_conversation:post_create",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum.pk,
            "topic_slug": topic.slug,
            "topic_pk": topic.pk,
        },
    )
    response = client.get(quote + f"?quote={topic.first_post.pk}")
    assert "&gt; Quote me" in response.content.decode() or "> Quote me" in response.content.decode()
    assert client.get(topic_url(topic)).status_code == 200


def test_the_moderation_link_follows_a_change_of_role_at_once(client, public_group, coordinator):
    """The working groups' menu offers "Moderation" to those who may moderate a forum; machina
    works that out over every forum, so it is kept per member until a permission, group or
    membership is written: naming a coordinator and making them a member again show on the
    next page, for them only."""
    from forum.models import Membership

    moderation = reverse("working_groups:moderation")
    listing = reverse("working_groups:list")
    colleague, bystander = member(public_group), member(public_group)
    membership = Membership.objects.get(group=public_group, user=colleague)
    client.force_login(colleague)
    assert moderation not in client.get(listing).text
    assert moderation not in client.get(listing).text  # kept
    services.membership_set_role(
        membership=membership, role=Membership.Role.COORDINATOR, by=coordinator
    )
    assert moderation in client.get(listing).text
    client.force_login(bystander)
    assert moderation not in client.get(listing).text
    client.force_login(colleague)
    services.membership_set_role(membership=membership, role=Membership.Role.MEMBER, by=coordinator)
    assert moderation not in client.get(listing).text
    client.force_login(coordinator)
    assert moderation in client.get(listing).text
