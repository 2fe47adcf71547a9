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

``cms.services.regional_editing_setup`` creates all of it, idempotently; it runs after every
migrate and from ``load_demo`` and ``manage.py setup_regional_editing``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import PagePermissionTester

from cms.accounts import roles
from cms.directory.models import Region
from cms.taxonomy import FIBRE_CHOICES, PROCESSES, WASTE_CODES

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
