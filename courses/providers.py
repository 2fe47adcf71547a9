"""Regional training providers: who may author which courses.

The same pattern as regional editing (``cms/editing.py``), with the organisation in place of
the region:

- each provider organisation has its own group, "Training provider – <Organisation>"
  (``ProviderGroup``), holding Wagtail ``GroupPagePermission`` add/change (never publish) on the
  course catalogue; its members also hold the generic "Training provider" role (admin access,
  images, documents, question banks, SCORM packages);
- the course tree's page types (course, module, lesson, quiz) use
  :class:`ProviderPagePermissionTester` (through ``Page.permissions_for_user``), which every
  admin view consults: a provider edits, deletes, moves, copies, submits and adds below only the
  pages of courses whose provider is one of their organisations, and never edits the catalogue
  page itself;
- the course form offers only their organisations as the provider (:class:`CoursePageForm`);
- publishing goes through the moderation workflow of ``cms.editing`` (Moderators approve);
- question banks, SCORM packages and the course reports are limited with
  :func:`provider_organisation_ids` too.

A user in no provider group is not restricted here: what Wagtail's own permissions allow
stands (Moderators, Administrators, a group given one course by hand).
"""

from django import forms
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    PagePermissionTester,
)
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.accounts import roles
from cms.accounts.services import user_assign_role

PROVIDER_GROUP_PREFIX = "Training provider – "
UNRESTRICTED_ROLES = [roles.MODERATOR, roles.ADMINISTRATOR]

# Model permissions of the generic role (besides the pages, which come per organisation).
ROLE_MODEL_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "quizzes": [
        "add_question",
        "change_question",
        "delete_question",
        "view_question",
        "add_questioncategory",
        "change_questioncategory",
        "delete_questioncategory",
        "view_questioncategory",
    ],
    "scorm": ["add_scormpackage", "change_scormpackage", "view_scormpackage"],
}


class ProviderGroup(models.Model):
    """The group whose members author the courses of one provider organisation."""

    organisation = models.OneToOneField(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="training_provider_group",
    )
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="training_provider_of"
    )

    class Meta:
        app_label = "courses"
        verbose_name = _("training provider group")
        verbose_name_plural = _("training provider groups")

    def __str__(self):
        return self.group.name


def provider_group_name(organisation):
    return f"{PROVIDER_GROUP_PREFIX}{organisation.name}"[:150]


def provider_organisation_ids(user):
    """The ids of the organisations ``user`` authors courses for, or ``None`` when the provider
    rules do not restrict the user (not a provider, a superuser, Moderator or Administrator).
    Cached on the user object for the request."""
    if not user.is_authenticated:
        return None
    if hasattr(user, "_tvc_provider_organisation_ids"):
        return user._tvc_provider_organisation_ids
    if user.is_superuser or user.groups.filter(name__in=UNRESTRICTED_ROLES).exists():
        result = None
    else:
        result = (
            set(
                ProviderGroup.objects.filter(group__user=user).values_list(
                    "organisation_id", flat=True
                )
            )
            or None
        )
    user._tvc_provider_organisation_ids = result
    return result


def _course_providers(user):
    """{course path: provider id} of every course, read once per request (cached on the user):
    the tester of each page in an explorer listing looks its course up here."""
    if not hasattr(user, "_tvc_course_providers"):
        CoursePage = apps.get_model("courses", "CoursePage")
        user._tvc_course_providers = dict(CoursePage.objects.values_list("path", "provider_id"))
    return user._tvc_course_providers


class ProviderPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, plus: a training provider acts only on their organisations' courses."""

    def _provider_allows(self, *, adding=False):
        organisation_ids = provider_organisation_ids(self.user)
        if organisation_ids is None:
            return True
        page = self.page
        catalogue_class = apps.get_model("courses", "CourseIndexPage")
        if page.specific_class is not None and issubclass(page.specific_class, catalogue_class):
            return adding  # add courses below the catalogue, never edit the catalogue
        for path, provider_id in _course_providers(self.user).items():
            if page.path.startswith(path):
                return provider_id in organisation_ids
        return False

    def _restricted(name, adding=False):
        def method(self, *args, **kwargs):
            if not self._provider_allows(adding=adding):
                return False
            return getattr(PagePermissionTester, name)(self, *args, **kwargs)

        method.__name__ = name
        return method

    can_add_subpage = _restricted("can_add_subpage", adding=True)
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
    can_publish_subpage = _restricted("can_publish_subpage")
    can_reorder_children = _restricted("can_reorder_children")
    del _restricted


class ProviderPageMixin:
    """For the page types of the course tree (catalogue, course, module, lesson, quiz)."""

    def permissions_for_user(self, user):
        return ProviderPagePermissionTester(user, self)


class CoursePageForm(WagtailAdminPageForm):
    """A training provider picks only their own organisations as the course's provider."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("provider")
        user = getattr(self, "for_user", None)
        if field is None or user is None:
            return
        organisation_ids = provider_organisation_ids(user)
        if organisation_ids is not None:
            field.queryset = field.queryset.filter(id__in=organisation_ids)
            field.help_text = _("You can write courses for the organisations you provide for.")
            # A short list: a select rather than the chooser modal, which lists everyone.
            field.widget = forms.Select(choices=field.choices)

    def clean_provider(self):
        provider = self.cleaned_data.get("provider")
        user = getattr(self, "for_user", None)
        organisation_ids = provider_organisation_ids(user) if user is not None else None
        if organisation_ids is not None and (
            provider is None or provider.pk not in organisation_ids
        ):
            raise forms.ValidationError(
                _("You can only write courses for the organisations you provide for.")
            )
        return provider


def course_filter_for(user, field="provider_id"):
    """A Q limiting a course queryset (or ``field`` of another model) to the user's provider
    organisations; an empty Q when the user is not restricted."""
    organisation_ids = provider_organisation_ids(user)
    if organisation_ids is None:
        return Q()
    return Q(**{f"{field}__in": organisation_ids})


def editable_courses(user, courses):
    """``courses`` (a CoursePage queryset) narrowed to those ``user`` may edit in Wagtail and,
    for a training provider, to their organisations' courses."""
    if user.is_superuser:
        return courses
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
    return courses.filter(course_filter_for(user), pk__in=editable.values("pk"))


def _permissions(spec):
    condition = Q(pk__in=[])
    for app_label, codenames in spec.items():
        condition |= Q(content_type__app_label=app_label, codename__in=codenames)
    return list(Permission.objects.filter(condition))


@transaction.atomic
def training_providers_setup():
    """Create or update the generic role's permissions and each provider group's page
    permissions on the course catalogue. Idempotent; runs after every migrate and from
    ``load_demo``."""
    role, _created = Group.objects.get_or_create(name=roles.TRAINING_PROVIDER)
    role.permissions.add(*_permissions(ROLE_MODEL_PERMISSIONS))
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for codename in ("add_image", "choose_image", "add_document", "choose_document"):
            permission = Permission.objects.filter(codename=codename).first()
            if permission is not None:
                GroupCollectionPermission.objects.get_or_create(
                    group=role, collection=root_collection, permission=permission
                )
    catalogues = list(apps.get_model("courses", "CourseIndexPage").objects.all())
    page_permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=["add_page", "change_page"]
        )
    )
    for provider in ProviderGroup.objects.select_related("organisation", "group"):
        name = provider_group_name(provider.organisation)
        if provider.group.name != name:
            provider.group.name = name
            provider.group.save(update_fields=["name"])
        for catalogue in catalogues:
            for permission in page_permissions:
                GroupPagePermission.objects.get_or_create(
                    group=provider.group, page=catalogue, permission=permission
                )


@transaction.atomic
def provider_add_member(*, user, organisation):
    """Make ``user`` a training provider of ``organisation``: the role, plus the organisation's
    provider group (created with its page permissions when it is the first member)."""
    provider = ProviderGroup.objects.filter(organisation=organisation).first()
    if provider is None:
        group, _created = Group.objects.get_or_create(name=provider_group_name(organisation))
        provider = ProviderGroup.objects.create(organisation=organisation, group=group)
    training_providers_setup()
    user_assign_role(user=user, role=roles.TRAINING_PROVIDER)
    user.groups.add(provider.group)
    for attribute in ("_tvc_provider_organisation_ids", "_tvc_course_providers"):
        if hasattr(user, attribute):
            delattr(user, attribute)
    return provider
