"""Content-Security-Policy (django-csp): the site's own pages allow scripts and styles from
this origin and inline ones only with the request's nonce (``{{ request.csp_nonce }}``), never
``unsafe-inline``. Wagtail's admin has a policy of its own (``CONTENT_SECURITY_POLICY_ADMIN``):
it still writes inline styles and handlers. Responses that set their own header keep it
(public media, SCORM package pages)."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def is_admin_path(path):
    # Admin URLs are not translated (cms/urls.py), so the prefix is the same in every language.
    return path.startswith(ADMIN_PREFIXES)


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            return PolicyParts(
                settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"],
                parts.update,
                parts.replace,
                parts.nonce,
            )
        return parts
