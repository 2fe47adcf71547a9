"""A private working group does not leak its name, its topics' titles or its posters to
people who are not (or no longer) its members."""

import pytest
from django.urls import reverse

from cms.notifications.services import preference_set
from forum import selectors, services
from forum.models import WorkingGroup
from tests.factories import UserFactory
from tests.forum.factories import WorkingGroupFactory, member, topic_with_posts

pytestmark = pytest.mark.django_db
SECRET = "Secret pilot"


@pytest.fixture
def private_group():
    return WorkingGroupFactory(
        name=SECRET, visibility=WorkingGroup.Visibility.PRIVATE, coordinators=[UserFactory()]
    )


@pytest.fixture
def public_group():
    return WorkingGroupFactory(name="Open sorting", coordinators=[UserFactory()])


@pytest.mark.parametrize("method", ["get", "post"])
def test_mark_forum_read_of_a_private_group_is_404_for_a_non_member(client, private_group, method):
    client.force_login(UserFactory())
    url = reverse("forum_tracking:mark_subforums_read", kwargs={"pk": private_group.forum.pk})
    response = getattr(client, method)(url)
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    missing = reverse("forum_tracking:mark_subforums_read", kwargs={"pk": 999999})
    assert getattr(client, method)(missing).status_code == 404


def test_member_still_marks_the_private_forum_read(client, private_group):
    client.force_login(member(private_group))
    url = reverse("forum_tracking:mark_subforums_read", kwargs={"pk": private_group.forum.pk})
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302


def test_member_who_left_no_longer_sees_the_private_topic_in_subscriptions(
    client, private_group, public_group
):
    reader = member(private_group)
    member(public_group, reader)
    secret = topic_with_posts(private_group, reader, subject="Confidential yarn prices")
    open_topic = topic_with_posts(public_group, reader, subject="Open sorting thresholds")
    for target in (secret, open_topic, private_group.forum):
        services.watch_level_set(user=reader, target=target, level="watching")
    client.force_login(reader)
    url = reverse("working_groups:notifications")  # machina's subscription list leads here
    assert "Confidential yarn prices" in client.get(url).content.decode()

    services.membership_leave(group=private_group, user=reader)

    page = client.get(url).content.decode()
    assert "Confidential yarn prices" not in page
    assert "Open sorting thresholds" in page
    assert [kind for kind, _target, _level in selectors.watched_and_muted(reader)] == ["topic"]
    assert not reader.notification_preferences.filter(target_id=private_group.forum.pk).exists()


def test_subscription_list_hides_a_forum_the_user_cannot_read_whatever_the_cause(
    client, private_group
):
    """A watch level left behind (made before this fix, or by another path) is not shown."""
    poster = member(private_group)
    secret = topic_with_posts(private_group, poster, subject="Confidential yarn prices")
    outsider = UserFactory()
    preference_set(topic="forum.topic", frequency="instant", user=outsider, target=secret)
    client.force_login(outsider)
    page = client.get(reverse("forum_member:user_subscriptions"), follow=True).content.decode()
    assert "Confidential yarn prices" not in page
    assert poster.get_display_name() not in page


@pytest.fixture
def editor(client, private_group, public_group):
    """An editor with the admin's working-group permissions who is not a member."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="working_groups",
            codename__in=["add_workinggroup", "change_workinggroup", "view_workinggroup"],
        ),
    )
    client.force_login(user)
    return user


def test_admin_chooser_and_listing_show_only_groups_the_editor_may_see(
    client, editor, private_group, public_group
):
    namespace = "wagtailsnippetchoosers_working_groups_workinggroup"
    for url in (
        reverse(f"{namespace}:choose"),
        reverse(f"{namespace}:choose_results"),
        reverse("wagtailsnippets_working_groups_workinggroup:list"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "Open sorting" in page
        assert SECRET not in page
    chosen = reverse(f"{namespace}:chosen", args=[private_group.pk])
    assert client.get(chosen).status_code == 404
    assert client.get(reverse(f"{namespace}:chosen", args=[public_group.pk])).status_code == 200
    member(private_group, editor)
    assert SECRET in client.get(reverse(f"{namespace}:choose")).content.decode()
