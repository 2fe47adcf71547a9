"""Site search keeps the forums each visitor may read (forum.selectors.readable_forum_ids) in the
cache until a forum, a permission, a group or a membership is written: the very next search after
such a write shows or hides the posts, for the member it concerns only."""

import pytest
from django.test import Client
from machina.apps.forum_permission.models import ForumPermission, UserForumPermission

from forum import services
from forum.models import WorkingGroup
from forum.selectors import readable_forum_ids
from tests.cms.searching import result_titles, search
from tests.factories import UserFactory

from .factories import WorkingGroupFactory, member, topic_with_posts

pytestmark = pytest.mark.django_db

PUBLIC_POST = "Jersey sorting trial"
PRIVATE_POST = "Jersey price list"


@pytest.fixture
def groups(coordinator):
    public = WorkingGroupFactory(name="Knitting", slug="knitting", coordinators=[coordinator])
    secret = WorkingGroupFactory(
        name="Secret",
        slug="secret",
        visibility=WorkingGroup.Visibility.PRIVATE,
        coordinators=[coordinator],
    )
    topic_with_posts(public, coordinator, subject=PUBLIC_POST, content="Knitted jersey")
    topic_with_posts(secret, coordinator, subject=PRIVATE_POST, content="Jersey bales")
    return public, secret


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def forum_posts(client):
    """The forum posts the client's search for "jersey" lists, searched twice: the first search
    keeps the readable forums, the second is served from what was kept."""
    search(client, "jersey", kind="forum")
    return set(result_titles(search(client, "jersey", kind="forum")))


def test_the_readable_forums_are_kept_once_read(groups, outsider, django_assert_num_queries):
    public, _secret = groups
    assert readable_forum_ids(outsider) == [public.forum_id]
    fresh = type(outsider).objects.get(pk=outsider.pk)  # nothing kept on the object
    with django_assert_num_queries(0):
        assert readable_forum_ids(fresh) == [public.forum_id]


def test_anonymous_visitors_never_see_private_posts(groups, client):
    public, secret = groups
    assert forum_posts(client) == {PUBLIC_POST}

    # A group made private disappears from the very next search, and comes back when public.
    public.visibility = WorkingGroup.Visibility.PRIVATE
    services.working_group_save(group=public)
    assert forum_posts(client) == set()
    public.visibility = WorkingGroup.Visibility.PUBLIC
    services.working_group_save(group=public)
    assert forum_posts(client) == {PUBLIC_POST}

    # A member's view of the private group is theirs alone.
    member(secret)
    assert forum_posts(client) == {PUBLIC_POST}


def test_joining_and_leaving_a_private_group_shows_and_hides_its_posts(groups, outsider):
    _public, secret = groups
    other = UserFactory()
    outsider_client, other_client = signed_in(outsider), signed_in(other)
    assert forum_posts(outsider_client) == forum_posts(other_client) == {PUBLIC_POST}

    services.membership_add(group=secret, user=outsider)
    assert forum_posts(outsider_client) == {PUBLIC_POST, PRIVATE_POST}
    assert forum_posts(other_client) == {PUBLIC_POST}
    assert forum_posts(Client()) == {PUBLIC_POST}

    services.membership_leave(group=secret, user=outsider)
    assert forum_posts(outsider_client) == {PUBLIC_POST}


def test_a_group_membership_written_directly_counts_at_once(groups, outsider):
    """Machina reads group permissions through auth groups: adding a member to the group's
    auth group without the service is seen too."""
    _public, secret = groups
    client = signed_in(outsider)
    assert forum_posts(client) == {PUBLIC_POST}
    outsider.groups.add(secret.member_group)
    assert forum_posts(client) == {PUBLIC_POST, PRIVATE_POST}
    outsider.groups.remove(secret.member_group)
    assert forum_posts(client) == {PUBLIC_POST}


def test_a_forum_permission_of_one_member_changes_only_their_results(groups, outsider):
    public, secret = groups
    other = UserFactory()
    outsider_client, other_client = signed_in(outsider), signed_in(other)
    assert forum_posts(outsider_client) == forum_posts(other_client) == {PUBLIC_POST}
    can_read = ForumPermission.objects.get(codename="can_read_forum")

    # Reading taken away from one member on the public group's forum ...
    denied = UserForumPermission.objects.create(
        forum=public.forum, user=outsider, permission=can_read, has_perm=False
    )
    assert forum_posts(outsider_client) == set()
    assert forum_posts(other_client) == {PUBLIC_POST}
    assert forum_posts(Client()) == {PUBLIC_POST}
    denied.delete()
    assert forum_posts(outsider_client) == {PUBLIC_POST}

    # ... and given to one member on the private group's forum (seeing it too).
    for codename in ("can_see_forum", "can_read_forum"):
        UserForumPermission.objects.create(
            forum=secret.forum,
            user=other,
            permission=ForumPermission.objects.get(codename=codename),
            has_perm=True,
        )
    assert forum_posts(other_client) == {PUBLIC_POST, PRIVATE_POST}
    assert forum_posts(outsider_client) == {PUBLIC_POST}
    assert forum_posts(Client()) == {PUBLIC_POST}


def test_a_new_private_group_is_never_shown_to_others(groups, outsider, coordinator):
    client, anonymous = signed_in(outsider), Client()
    assert forum_posts(client) == forum_posts(anonymous) == {PUBLIC_POST}
    later = WorkingGroupFactory(
        name="Later", slug="later", visibility=WorkingGroup.Visibility.PRIVATE
    )
    topic_with_posts(later, coordinator, subject="Jersey secret supplier", content="Jersey")
    assert forum_posts(client) == forum_posts(anonymous) == {PUBLIC_POST}
    assert forum_posts(signed_in(coordinator)) == {PUBLIC_POST, PRIVATE_POST}
