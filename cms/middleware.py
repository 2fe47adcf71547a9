"""Request handling that holds for every view of the site."""

from django.db import DatabaseError, DataError
from django.http import JsonResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from cms import pagecache, tablecache
from cms.models import HomePage


def _has_nul(data):
    """True when a QueryDict has a NUL character in any key or value."""
    return any(
        "\x00" in key or any(isinstance(value, str) and "\x00" in value for value in values)
        for key, values in data.lists()
    )


def request_has_nul(request):
    """A NUL character in the path, the query string or the form fields of ``request``."""
    if "\x00" in request.path_info or _has_nul(request.GET):
        return True
    if request.method != "POST":
        return False
    try:
        return _has_nul(request.POST)
    except Exception:  # noqa: BLE001 (a body that cannot be parsed again: not ours to judge)
        return False


def nul_bad_request(request):
    message = _(
        "Your request contained a character that is not allowed (a NUL character). "
        "Go back, remove it and try again."
    )
    if "application/json" in request.headers.get("accept", "") or request.headers.get(
        "x-requested-with"
    ):
        return JsonResponse({"error": message, "saved": False}, status=400)
    return render(request, "400.html", {"reason": message}, status=400)


class NulCharactersMiddleware:
    """The safety net for NUL characters. Forms refuse them with their own message (Django's
    CharField does; the apps' parsers and quiz answers do too), so this middleware does not
    stand in their way. But PostgreSQL cannot store a NUL in text or JSON, and a view that
    hands one to the database anyway fails with ``ValueError`` (psycopg) or ``DataError``:
    when the request carried a NUL, that answer is a 400 with a message, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ValueError | DataError) and request_has_nul(request):
            return nul_bad_request(request)
        return None


def site_for_request(request):
    """Wagtail's ``Site.find_for_request``, kept until the sites or the pages change
    (cms/tablecache.py), with the root page read as its own type when it is a home page (the
    only type allowed there): routing asks both on every request."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()

    def find():
        site = Site._find_for_request(request)
        if site is not None and site.root_page.specific_class is HomePage:
            site.root_page = site.root_page.specific
        return site

    return tablecache.cached(
        "site",
        hostname,
        port,
        tables=tablecache.tables_of(Site, Page, HomePage),
        compute=find,
    )


def site_root_paths_kept():
    """Wagtail reads the site root paths from the cache each time a page is asked for its URL
    without the request (``page.url``, as listings and Python code ask): a page linking to
    twenty pages made twenty round trips to the cache. They are kept as the site is
    (cms/tablecache.py): during a request, in the process while the sites, pages and locales
    are unchanged. Installed by ``CmsConfig.ready``."""
    original = Site.get_site_root_paths
    if getattr(original, "kept", False):
        return

    tables = tablecache.tables_of(Site, Page, Locale)  # once: every page.url asks

    def get_site_root_paths():
        return tablecache.cached("site-root-paths", tables=tables, compute=original)

    get_site_root_paths.kept = True  # type: ignore[attr-defined]
    Site.get_site_root_paths = staticmethod(get_site_root_paths)  # type: ignore[method-assign]


class SiteMiddleware:
    """Finds the Wagtail site of the request through the cache (``site_for_request``), where
    Wagtail looks for it (``Site.find_for_request`` keeps it on the request); the rest of the
    request runs in the table cache's request scope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # the request reads the kept tables' tokens and the page cache's generation once
        with tablecache.request_scope(), pagecache.request_scope():
            try:
                request._wagtail_site = site_for_request(request)
            except DatabaseError:
                pass  # the view answers as without this middleware (/healthz: 503)
            return self.get_response(request)
