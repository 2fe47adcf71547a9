"""Who acts for an organisation. Membership (join requests, owners' approval) is run by the
materials exchange; the core reads it through the ORGANISATION_MEMBERSHIPS and
ORGANISATION_MEMBERS hooks, so it never imports the exchange."""

from wagtail import hooks

from cms.hooks import ORGANISATION_MEMBERS, ORGANISATION_MEMBERSHIPS


def acting_organisation_ids(user) -> set[int]:
    """The ids of the organisations ``user`` is an approved member of (none when signed out).
    Cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_tvc_acting_organisation_ids", None)
    if cached is None:
        cached = set()
        for fn in hooks.get_hooks(ORGANISATION_MEMBERSHIPS):
            cached.update(fn(user) or ())
        user._tvc_acting_organisation_ids = cached
    return cached


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
