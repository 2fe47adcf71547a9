"""Who acts for an organisation. Membership (join requests, owners' approval) is run by the
materials exchange; the core reads it through the ORGANISATION_MEMBERSHIPS and
ORGANISATION_MEMBERS hooks, so it never imports the exchange."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from wagtail import hooks

from cms import tablecache
from cms.hooks import ORGANISATION_MEMBERS, ORGANISATION_MEMBERSHIPS
from cms.mail import email_queue_template


def acting_organisation_ids(user) -> set[int]:
    """The ids of the organisations ``user`` is an approved member of (none when signed out).
    Kept for the request, and until a table the hooks read is written (cms/tablecache.py;
    each ORGANISATION_MEMBERSHIPS hook names its tables in ``reads_tables``): the menu of
    every signed-in page asks."""
    if not getattr(user, "is_authenticated", False):
        return set()
    functions = hooks.get_hooks(ORGANISATION_MEMBERSHIPS)

    def read():
        ids = set()
        for fn in functions:
            ids.update(fn(user) or ())
        return ids

    tables = [getattr(fn, "reads_tables", None) for fn in functions]
    if None in tables:  # a hook that does not say what it reads: read it every time
        return read()
    return tablecache.for_user(
        user,
        "acting-organisations",
        tables=[table for each in tables for table in each],
        compute=read,
    )


def is_organisation_member(user, organisation_id) -> bool:
    return organisation_id in acting_organisation_ids(user)


def organisation_members(organisation_ids) -> dict[int, list]:
    """{organisation id: [users]} of the approved members of ``organisation_ids``."""
    members = {}
    organisation_ids = list(organisation_ids)
    for fn in hooks.get_hooks(ORGANISATION_MEMBERS):
        for organisation_id, user in fn(organisation_ids) or ():
            members.setdefault(organisation_id, []).append(user)
    return members


def email_organisation_members(
    organisation_id: int,
    *,
    template_prefix: str,
    context: Mapping[str, Any],
    exclude_user=None,
) -> None:
    """E-mail the approved members of an organisation (but ``exclude_user``), one e-mail per
    language, each member in their own."""
    by_language: dict[str, list[str]] = {}
    for user in organisation_members([organisation_id]).get(organisation_id, []):
        if exclude_user is not None and user.pk == exclude_user.pk:
            continue
        language = user.preferred_language or settings.LANGUAGE_CODE
        by_language.setdefault(language, []).append(user.email)
    for language, recipients in sorted(by_language.items()):
        email_queue_template(
            to=recipients,
            template_prefix=template_prefix,
            context={**context, "site_url": settings.SITE_URL},
            language=language,
        )
