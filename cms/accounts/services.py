from django.contrib.auth.models import Group, Permission
from django.db import transaction

from . import roles
from .models import User


@transaction.atomic
def user_assign_role(*, user: User, role: str) -> None:
    """Add ``user`` to the group of ``role`` (one of ``roles.ALL_ROLES``)."""
    if role not in roles.ALL_ROLES:
        raise ValueError(f"Unknown role {role!r}")
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)


def roles_grant_permissions(**kwargs: object) -> None:
    """Give the Administrator role every permission (run after each migrate, when the
    permissions of every model exist). Idempotent."""
    group, _ = Group.objects.get_or_create(name=roles.ADMINISTRATOR)
    missing = Permission.objects.exclude(group=group)
    if missing.exists():
        group.permissions.add(*missing)
