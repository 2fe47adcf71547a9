"""Actions of the core: regional editing set up (groups, page permissions, the moderation
workflow; the rules are explained in cms/editing.py) and a user made a regional editor."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms.accounts import roles
from cms.accounts.models import User
from cms.accounts.services import user_assign_role
from cms.directory.models import Region
from cms.editing import TASK_NAME, WORKFLOW_NAME, regional_group_name
from cms.models import EventIndexPage, FundingIndexPage, ResourceIndexPage


def _page_permissions(codenames: list[str]) -> list[Permission]:
    return list(
        Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames)
    )


@transaction.atomic
def regional_editing_setup() -> None:
    """Create or update the per-region editor groups, their page permissions, and the
    moderation workflow. Idempotent; safe to run after every migrate."""
    regional_roots = [
        *ResourceIndexPage.objects.all(),
        *EventIndexPage.objects.all(),
        *FundingIndexPage.objects.all(),
    ]
    editor_permissions = _page_permissions(["add_page", "change_page"])

    # The generic role keeps admin access and image/document permissions; page rights come
    # from the regional groups only, so a "Regional editor" without a region edits nothing.
    generic = Group.objects.filter(name=roles.REGIONAL_EDITOR).first()
    if generic is not None:
        GroupPagePermission.objects.filter(group=generic).delete()

    for region in Region.objects.select_related("editor_group"):
        group = region.editor_group
        name = regional_group_name(region)
        if group is None:
            group, _created = Group.objects.get_or_create(name=name)
            region.editor_group = group
            region.save(update_fields=["editor_group"])
        elif group.name != name:
            group.name = name
            group.save(update_fields=["name"])
        for root in regional_roots:
            for permission in editor_permissions:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root, permission=permission
                )

    moderators, _created = Group.objects.get_or_create(name=roles.MODERATOR)
    root = Page.get_first_root_node()
    if root is None:
        return
    administrators, _created = Group.objects.get_or_create(name=roles.ADMINISTRATOR)
    moderation = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
    for group, codenames in (
        (moderators, moderation),
        (administrators, [*moderation, "bulk_delete_page"]),
    ):
        for permission in _page_permissions(codenames):
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.active = True
    task.save()
    task.groups.add(moderators)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if not WorkflowPage.objects.filter(page=root).exists():
        WorkflowPage.objects.create(page=root, workflow=workflow)


def user_add_to_region_editors(*, user: User, region: Region) -> None:
    """Make ``user`` a regional editor of ``region`` (the role plus the region's group)."""
    if region.editor_group is None:
        regional_editing_setup()
        region.refresh_from_db()
    group = region.editor_group
    if group is None:  # regional_editing_setup gives every region its group
        raise RuntimeError(f"Region {region.pk} has no editor group")
    user_assign_role(user=user, role=roles.REGIONAL_EDITOR)
    user.groups.add(group)
    if hasattr(user, "_tvc_editable_region_ids"):
        del user._tvc_editable_region_ids
