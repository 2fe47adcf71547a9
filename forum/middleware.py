import contextvars
import functools
import inspect
import uuid

from machina.apps.forum_permission.handler import PermissionHandler
from machina.apps.forum_permission.middleware import ForumPermissionMiddleware as MachinaMiddleware

from cms import tablecache

from . import permissions

_request_handler = contextvars.ContextVar("forum_permission_handler", default=None)


@functools.cache
def _public_methods(cls):
    return [
        name
        for name in dir(cls)
        if not name.startswith("_") and inspect.isfunction(getattr(cls, name, None))
    ]


class RequestPermissionHandler(PermissionHandler):
    """Machina's permission handler for one request. For a signed-in member it works out their
    permissions on every forum at once, at the first check (three queries: the forums, the
    member's and their groups' permissions), and answers every later check from memory; once
    kept, the forums are not read at all (a check asks by the forum's id). Machina
    asks per forum (two queries a forum) and again for each list of forums, so a topic page
    asked three times over (the page, the reply form, the moderation link of the menu). The
    member's permissions are kept until a permission, group, membership or forum is written
    (cms/tablecache.py). Anonymous visitors keep machina's per-forum check (one query).

    Machina's ``get_permission`` template tag lists the handler's methods with
    ``inspect.getmembers`` at every use (some 40 on a topic page, each reading every attribute
    of the handler); ``__dir__`` names the public methods only, which is all the tag keeps."""

    def __dir__(self):
        return _public_methods(type(self))

    def _get_checker(self, user):
        checker = super()._get_checker(user)
        if (
            user.is_authenticated
            and user.is_active
            and not user.is_superuser
            and not hasattr(checker, "perms_by_id")
        ):

            def read():
                # machina's rules over every forum (some 6,000 comparisons with 50 working
                # groups), kept as codenames by forum id
                granted = checker.get_perms_for_forumlist(self._get_all_forums(), None)
                return {forum.id: set(codenames) for forum, codenames in granted.items()}

            checker.perms_by_id = tablecache.for_user(
                user, "forum:permissions", tables=permissions.permission_tables(), compute=read
            )
            for forum_id, codenames in checker.perms_by_id.items():
                checker._forum_perms_cache.setdefault(forum_id, codenames)
        return checker

    def _get_forums_for_user(self, user, perm_codenames, use_tree_hierarchy=False):
        if not user.is_authenticated or user.is_superuser or not user.is_active:
            return super()._get_forums_for_user(user, perm_codenames, use_tree_hierarchy)
        key = "{}__{}".format(":".join(perm_codenames), user.id)
        if key not in self._granted_forums_cache:
            checker = self._get_checker(user)
            wanted = set(perm_codenames)
            allowed = [
                forum
                for forum in self._get_all_forums()
                if wanted.issubset(checker.perms_by_id.get(forum.id, ()))
            ]
            if use_tree_hierarchy:
                allowed = self._filter_granted_forums_using_tree(allowed)
            self._granted_forums_cache[key] = allowed
        return self._granted_forums_cache[key]


def request_permission_handler():
    """The handler of the request being served (machina's forms ask for one each), or a new one
    outside a request."""
    return _request_handler.get() or RequestPermissionHandler()


class ForumPermissionMiddleware(MachinaMiddleware):
    """Machina's middleware stores a key in the session of every anonymous visitor, so every
    page of the site would set a session cookie and write to the database. The key only serves
    anonymous posting, which this site does not allow: anonymous visitors get a key for the
    request alone, and the session is left untouched. The request's permission handler is also
    the one machina's forms use during the request (``request_permission_handler``)."""

    def __call__(self, request):
        token = _request_handler.set(None)
        try:
            return super().__call__(request)
        finally:
            _request_handler.reset(token)

    def process_request(self, request):
        if not request.user.is_authenticated:
            request.user.forum_key = uuid.uuid4().hex
        request.forum_permission_handler = RequestPermissionHandler()
        _request_handler.set(request.forum_permission_handler)
