import uuid

from machina.apps.forum_permission.middleware import ForumPermissionMiddleware as MachinaMiddleware


class ForumPermissionMiddleware(MachinaMiddleware):
    """Machina's middleware stores a key in the session of every anonymous visitor, so every
    page of the site would set a session cookie and write to the database. The key only serves
    anonymous posting, which this site does not allow: anonymous visitors get a key for the
    request alone, and the session is left untouched."""

    def process_request(self, request):
        if not request.user.is_authenticated:
            request.user.forum_key = uuid.uuid4().hex
        request.forum_permission_handler = self.permission_handler_class()

    @property
    def permission_handler_class(self):
        from machina.apps.forum_permission.middleware import PermissionHandler

        return PermissionHandler
