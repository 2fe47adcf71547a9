import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from machina.apps.forum_conversation.models import Topic

from cms.hooks import (
    collect_home_panels,
    collect_organisation_links,
    collect_section_panels,
    collect_user_menu_items,
)
from forum import services
from forum.models import Membership, PostLike, TopicQuestion, WorkingGroup
from tests.factories import OrganisationFactory, UserFactory

from .factories import topic_with_posts

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_section_panel_lists_groups_private_only_for_members(
    public_group, private_group, private_member, outsider
):
    panels = collect_section_panels("working-groups", request_for(outsider))
    names = [group.name for group in panels[0].context["groups"]]
    assert names == ["Sorting technology"]
    panels = collect_section_panels("working-groups", request_for(private_member))
    assert [group.name for group in panels[0].context["groups"]] == [
        "Secret pilot",
        "Sorting technology",
    ]
    group = panels[0].context["groups"][0]
    assert group.member_count == 2  # coordinator + member
    assert collect_section_panels("training", request_for(outsider)) == [] or all(
        panel.template != "working_groups/includes/section_panel.html"
        for panel in collect_section_panels("training", request_for(outsider))
    )


def test_home_panel_shows_only_readable_discussions(
    public_group, private_group, private_member, coordinator
):
    topic_with_posts(public_group, coordinator, subject="Open discussion")
    topic_with_posts(private_group, private_member, subject="Closed discussion")
    panels = [
        p
        for p in collect_home_panels(request_for(AnonymousUser()))
        if p.template.startswith("working_groups")
    ]
    subjects = [topic.subject for topic in panels[0].context["topics"]]
    assert subjects == ["Open discussion"]


def test_user_menu_has_my_groups(user):
    labels = [str(item.label) for item in collect_user_menu_items(request_for(user))]
    assert "My groups" in labels
    assert all(
        str(item.label) != "My groups"
        for item in collect_user_menu_items(request_for(AnonymousUser()))
    )


def test_load_demo_creates_groups_and_is_idempotent():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)
    assert WorkingGroup.objects.count() == 4
    private = WorkingGroup.objects.get(slug="prato-wool-pilot")
    assert private.is_private
    assert Membership.objects.filter(group=private, state=Membership.State.REQUESTED).exists()
    sorting = WorkingGroup.objects.get(slug="sorting-technology")
    subjects = set(sorting.forum.topics.values_list("subject", flat=True))
    assert "Sortowanie ręczne przed NIR – czy warto?" in subjects
    assert sorting.forum.topics.count() == 2
    # Threads open with their first post, replies follow in order, with no "Re:" subjects;
    # some are questions with an accepted answer, and people liked posts (issue 15).
    topics = Topic.objects.filter(forum__working_group__isnull=False)
    assert topics.count() >= 5
    for topic in topics:
        posts = list(topic.posts.order_by("created", "pk"))
        assert posts[0].pk == topic.first_post_id == min(post.pk for post in posts)
        assert posts[0].created == topic.created
        assert all(
            post.created < later.created for post, later in zip(posts, posts[1:], strict=False)
        )
        assert not any(post.subject.startswith("Re:") for post in posts)
    assert TopicQuestion.objects.filter(answer__isnull=False).exists()
    assert PostLike.objects.exists()


def test_section_panel_renders(public_group, outsider):
    panel = collect_section_panels("working-groups", request_for(outsider))[0]
    html = render_to_string(panel.template, {"panel": panel, "request": request_for(outsider)})
    assert "Sorting technology" in html
    assert "1 member" in html


def test_organisation_links_show_visible_groups_only(public_group, private_group, outsider):
    organisation = OrganisationFactory()
    person = UserFactory(organisation=organisation)
    services.membership_add(group=public_group, user=person)
    services.membership_add(group=private_group, user=person)
    groups = collect_organisation_links(organisation, request_for(outsider))
    assert [item.title for item in groups[0].items] == ["Sorting technology"]
    groups = collect_organisation_links(organisation, request_for(person))
    assert [item.title for item in groups[0].items] == ["Secret pilot", "Sorting technology"]


def test_group_created_in_wagtail_admin_gets_its_forum(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/snippets/working_groups/workinggroup/add/",
        {
            "name": "Chemical recycling",
            "slug": "chemical-recycling",
            "description": "Depolymerisation.",
            "visibility": "private",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    group = WorkingGroup.objects.get(slug="chemical-recycling")
    assert group.forum is not None and group.forum.name == "Chemical recycling"
    assert Membership.objects.get(group=group, user=admin_user).is_coordinator
    client.post(
        f"/admin/snippets/working_groups/workinggroup/edit/{group.pk}/",
        {
            "name": "Chemical recycling of PET",
            "slug": "chemical-recycling",
            "description": "x",
            "visibility": "public",
        },
    )
    group.refresh_from_db()
    group.forum.refresh_from_db()
    assert group.forum.name == "Chemical recycling of PET"
    from django.contrib.auth.models import AnonymousUser
    from machina.apps.forum_permission.handler import PermissionHandler

    assert PermissionHandler().can_read_forum(group.forum, AnonymousUser())
