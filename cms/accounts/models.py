from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms import tablecache


class UserManager(DjangoUserManager):
    """Users are identified by e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account, with its profile: display name, organisation, region, preferred language."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=150,
        blank=True,
        help_text=_("How your name appears on certificates, in forums and on the exchange."),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_display_name()

    def get_display_name(self):
        """The name shown to other people: display name, else full name, else the e-mail's
        local part (never the full address)."""
        return self.get_full_name() or self.email.split("@")[0]

    def get_full_name(self):
        """The display name when there is one, else first and last name: Wagtail's admin
        (moderation lists, the sidebar, page history) names people by ``get_full_name()`` and
        falls back to the e-mail address."""
        return self.display_name or super().get_full_name()

    def get_short_name(self):
        return self.get_display_name()

    # Permissions: every signed-in page asks (the menu's "Editing" link, Wagtail's user bar, the
    # view counter's "is this an editor?"), and Django's backends read them with two queries per
    # request. They are kept until a table they come from is written (cms/tablecache.py): the
    # member's groups, direct permissions, the groups' permissions; whether the member is a
    # superuser is part of the key. The backends find them where they cache them for the
    # request (``_perm_cache``).
    def _load_cached_permissions(self):
        if hasattr(self, "_perm_cache") or not self.is_active:
            return
        self._perm_cache = tablecache.for_user(
            self,
            f"permissions:{self.is_superuser}",
            tables=permission_tables(),
            compute=lambda: set(super(User, self).get_all_permissions()),
        )

    def get_all_permissions(self, obj=None):
        if obj is None:
            self._load_cached_permissions()
        return super().get_all_permissions(obj)

    def has_perm(self, perm, obj=None):
        if obj is None:
            self._load_cached_permissions()
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        self._load_cached_permissions()
        return super().has_module_perms(app_label)


def permission_tables():
    """The tables Django's permission backend reads a member's permissions from."""
    return tablecache.tables_of(
        Permission,
        Group,
        ContentType,
        Group.permissions.through,
        User.groups.through,
        User.user_permissions.through,
    )
