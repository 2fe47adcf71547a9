"""Regional editors write only their region's pages and submit them for moderation;
Moderators approve and publish. Every refusal is tried through the admin, on the server."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.accounts import roles
from cms.editing import regional_group_name
from cms.models import StoryPage
from cms.services import regional_editing_setup, user_add_to_region_editors
from tests.cms import factories as f
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions(site_tree):
    lodz = RegionFactory(name="Łódzkie", slug="lodzkie")
    prato = RegionFactory(name="Prato", slug="prato")
    regional_editing_setup()
    lodz.refresh_from_db()
    prato.refresh_from_db()
    return lodz, prato


@pytest.fixture
def editor(regions):
    user = UserFactory()
    user_add_to_region_editors(user=user, region=regions[0])
    return user


@pytest.fixture
def moderator(db):
    return UserFactory(roles=[roles.MODERATOR])


def login(client, user):
    client.force_login(user)


def story_form_data(region, title="Sorting hub opens in Łódź", **extra):
    data = nested_form_data(
        {
            "title": title,
            "slug": "sorting-hub-opens",
            "kind": "pilot_case",
            "summary": "The cluster opened a shared sorting hub.",
            "region": region.pk,
            "date": "2025-10-01",
            "challenge": rich_text("Mixed garments arrive unsorted."),
            "solution": rich_text("A shared NIR line."),
            "results": rich_text("Forty tonnes sorted."),
            "key_figures": streamfield([]),
            "gallery_images": inline_formset([]),
            "body": streamfield([]),
            "comments": inline_formset([]),
        }
    )
    data.update(extra)
    return data


def test_setup_creates_one_editor_group_per_region_idempotently(regions, site_tree):
    lodz, prato = regions
    assert lodz.editor_group.name == regional_group_name(lodz) == "Regional editor – Łódzkie"
    count = (Group.objects.count(), GroupPagePermission.objects.count())
    regional_editing_setup()
    assert (Group.objects.count(), GroupPagePermission.objects.count()) == count
    permissions = GroupPagePermission.objects.filter(group=lodz.editor_group)
    assert {p.permission.codename for p in permissions} == {"add_page", "change_page"}
    assert {p.page_id for p in permissions} == {
        site_tree["resources"].pk,
        site_tree["events"].pk,
        site_tree["funding"].pk,
    }
    story = f.story(site_tree["stories"], region=lodz)
    workflow = story.get_workflow()
    assert workflow is not None and workflow.active
    assert workflow.tasks.get().specific.groups.filter(name=roles.MODERATOR).exists()


def test_editor_edits_own_region_but_not_another(client, regions, editor, site_tree):
    lodz, prato = regions
    own = f.story(site_tree["stories"], region=lodz, publish=True)
    other = f.story(site_tree["stories"], region=prato, title="Prato story", publish=True)
    login(client, editor)

    assert client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200
    response = client.get(reverse("wagtailadmin_pages:edit", args=[other.pk]))
    assert response.status_code in (302, 403)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[other.pk]), story_form_data(prato, title="Hacked")
    )
    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert other.title == "Prato story" and not other.has_unpublished_changes
    assert not other.permissions_for_user(editor).can_delete()


def test_editor_cannot_create_a_page_for_another_region(client, regions, editor, site_tree):
    lodz, prato = regions
    login(client, editor)
    url = reverse("wagtailadmin_pages:add", args=["cms", "storypage", site_tree["stories"].pk])
    response = client.post(url, story_form_data(prato))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not StoryPage.objects.filter(slug="sorting-hub-opens").exists()


def test_editor_submits_and_moderator_publishes(client, regions, editor, moderator, site_tree):
    lodz, _prato = regions
    login(client, editor)
    url = reverse("wagtailadmin_pages:add", args=["cms", "storypage", site_tree["stories"].pk])
    response = client.post(url, story_form_data(lodz, **{"action-submit": "Submit"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    story = StoryPage.objects.get(slug="sorting-hub-opens")
    assert not story.live and story.workflow_in_progress
    assert not story.permissions_for_user(editor).can_publish()
    assert "Sorting hub opens" not in Client().get(site_tree["stories"].url).content.decode()

    task_state = story.current_workflow_state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[story.pk, "approve", task_state.pk]
    )
    client.post(approve, {"comment": ""})  # the editor cannot approve their own submission
    story.refresh_from_db()
    assert not story.live

    client.logout()
    login(client, moderator)
    response = client.post(approve, {"comment": "Good case."})
    assert response.status_code in (200, 302)
    story.refresh_from_db()
    assert story.live
    assert "Sorting hub opens" in Client().get(site_tree["stories"].url).content.decode()


def test_unrestricted_roles_edit_every_region(regions, moderator, site_tree):
    _lodz, prato = regions
    story = f.story(site_tree["stories"], region=prato)
    assert story.permissions_for_user(moderator).can_edit()
    assert story.permissions_for_user(moderator).can_publish()


def test_trainee_gets_no_admin(client, trainee):
    login(client, trainee)
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/admin/" not in response["Location"] or "login" in response["Location"]
    assert client.get(reverse("wagtailadmin_explore_root")).status_code in (302, 403)


def test_regional_editor_without_a_region_edits_nothing(client, regions, site_tree):
    lodz, _prato = regions
    user = UserFactory(roles=[roles.REGIONAL_EDITOR])
    story = f.story(site_tree["stories"], region=lodz)
    assert not story.permissions_for_user(user).can_edit()
    assert (
        not Page.objects.get(pk=site_tree["stories"].pk)
        .permissions_for_user(user)
        .can_add_subpage()
    )


def test_technology_form_offers_taxonomy_labels_and_only_the_editors_regions(
    client, regions, editor, site_tree
):
    lodz, prato = regions
    login(client, editor)
    url = reverse(
        "wagtailadmin_pages:add", args=["cms", "technologypage", site_tree["technologies"].pk]
    )
    html = client.get(url).content.decode()
    assert 'type="checkbox" name="fibres" value="polyester"' in html
    assert "20 01 11 – textiles (separately collected municipal fractions)" in html
    assert "Automated sorting (NIR, hyperspectral)" in html
    region_select = html[html.index('name="region"') :][:600]
    assert "Łódzkie" in region_select and "Prato" not in region_select
