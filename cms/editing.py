"""Regional editing: who may write which Virtual Centre page.

Wagtail's page permissions are tree-based, but a region is a field of the page, not a branch of
the tree (seven sections times ten regions of parent pages would be clumsy for editors and
visitors alike). So:

- each region has its own editor group, "Regional editor – <Region>", holding Wagtail
  ``GroupPagePermission`` add/change (never publish) on the section trees;
- the page types that carry a region use :class:`RegionalPagePermissionTester` (through
  ``Page.permissions_for_user``), which every admin view consults: a regional editor can edit,
  delete, move, copy or submit only pages of their own regions;
- their admin form (:class:`RegionalPageForm`) offers only the editor's regions, so a page
  cannot be created in, or moved to, another region;
- publishing goes through the moderation workflow (Wagtail's ``GroupApprovalTask`` for the
  Moderator group); Moderators and Administrators are not restricted by region.

:func:`regional_editing_setup` creates all of it, idempotently; it runs after every migrate and
from ``load_demo`` and ``manage.py setup_regional_editing``.
"""

from django import forms
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import PagePermissionTester

from cms.accounts import roles

REGIONAL_GROUP_PREFIX = "Regional editor – "
UNRESTRICTED_ROLES = [roles.MODERATOR, roles.ADMINISTRATOR]
WORKFLOW_NAME = "Moderators approval"
TASK_NAME = "Moderators approval"


def regional_group_name(region):
    return f"{REGIONAL_GROUP_PREFIX}{region.name}"[:150]


def editable_region_ids(user):
    """The ids of the regions ``user`` may edit, or ``None`` when not restricted by region
    (superusers, Moderators, Administrators). Cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    if hasattr(user, "_tvc_editable_region_ids"):
        return user._tvc_editable_region_ids
    from cms.directory.models import Region

    if user.is_superuser or user.groups.filter(name__in=UNRESTRICTED_ROLES).exists():
        result = None
    else:
        result = set(Region.objects.filter(editor_group__user=user).values_list("id", flat=True))
    user._tvc_editable_region_ids = result
    return result


class RegionalPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, plus: a region-restricted editor acts only on pages of their regions."""

    def outside_users_regions(self):
        region_ids = editable_region_ids(self.user)
        return region_ids is not None and self.page.region_id not in region_ids

    def _restricted(name):
        def method(self, *args, **kwargs):
            if self.outside_users_regions():
                return False
            return getattr(PagePermissionTester, name)(self, *args, **kwargs)

        method.__name__ = name
        return method

    can_edit = _restricted("can_edit")
    can_delete = _restricted("can_delete")
    can_publish = _restricted("can_publish")
    can_unpublish = _restricted("can_unpublish")
    can_submit_for_moderation = _restricted("can_submit_for_moderation")
    can_move = _restricted("can_move")
    can_copy = _restricted("can_copy")
    can_lock = _restricted("can_lock")
    can_unschedule = _restricted("can_unschedule")
    can_view_revisions = _restricted("can_view_revisions")
    del _restricted


class RegionalPageForm(WagtailAdminPageForm):
    """Limits the region a restricted editor may choose to their own regions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region_field = self.fields.get("region")
        user = getattr(self, "for_user", None)
        if region_field is None or user is None:
            return
        region_ids = editable_region_ids(user)
        if region_ids is not None:
            region_field.queryset = region_field.queryset.filter(id__in=region_ids)
            region_field.required = True
            region_field.help_text = _("You can write pages for the regions you edit.")
        # A plain list: editors have a handful of regions, a chooser modal is overkill.
        region_field.widget = forms.Select()
        region_field.widget.choices = region_field.choices

    def clean_region(self):
        region = self.cleaned_data.get("region")
        user = getattr(self, "for_user", None)
        region_ids = editable_region_ids(user) if user is not None else None
        if region_ids is not None and (region is None or region.id not in region_ids):
            raise forms.ValidationError(_("You can only write pages for the regions you edit."))
        return region


class TechnologyPageForm(RegionalPageForm):
    """Fibres, waste codes and processes are stored as codes; editors tick labels."""

    def __init__(self, *args, **kwargs):
        from cms.taxonomy import FIBRE_CHOICES, PROCESSES, WASTE_CODES

        super().__init__(*args, **kwargs)
        for name, choices in (
            ("fibres", FIBRE_CHOICES),
            ("waste_codes", [(code, f"{code} – {label}") for code, label in WASTE_CODES]),
            ("processes", PROCESSES),
        ):
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = forms.MultipleChoiceField(
                    label=old.label,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )


def _page_permissions(codenames):
    return list(
        Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames)
    )


@transaction.atomic
def regional_editing_setup():
    """Create or update the per-region editor groups, their page permissions, and the
    moderation workflow. Idempotent; safe to run after every migrate."""
    from wagtail.models import (
        GroupApprovalTask,
        GroupPagePermission,
        Page,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    from cms.directory.models import Region
    from cms.models import EventIndexPage, FundingIndexPage, ResourceIndexPage

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


def user_add_to_region_editors(*, user, region):
    """Make ``user`` a regional editor of ``region`` (the role plus the region's group)."""
    from cms.accounts.services import user_assign_role

    if region.editor_group_id is None:
        regional_editing_setup()
        region.refresh_from_db()
    user_assign_role(user=user, role=roles.REGIONAL_EDITOR)
    user.groups.add(region.editor_group)
    if hasattr(user, "_tvc_editable_region_ids"):
        del user._tvc_editable_region_ids
