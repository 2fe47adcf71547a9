import sys

from django.conf import settings
from django.contrib import messages
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Page

from .health import health
from .links import absolute_url
from .models import LegalPage


@never_cache
@require_GET
def healthz(request):
    """Each dependency's state as JSON (database, cache, broker, outbox backlog); 503 only when
    the database does not answer, the one thing without which nothing can be served. For load
    balancers and uptime checks: it needs no session and no template."""
    report, status = health()
    return JsonResponse(report, status=status)


def server_error(request, *args, **kwargs):
    """The 500 handler. A database that is gone (or times out) is an outage, not a bug: a
    friendly 503 page with Retry-After, rendered without the database. The next request opens a
    new connection, so the site recovers by itself when the database is back."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(
            render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8"
        )
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request, *args, **kwargs)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /accounts/",
        "Disallow: /search/",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
    ]
    if getattr(settings, "ROBOTS_DISALLOW_ALL", False):
        lines[1:] = ["Disallow: /"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def page_translation(request, page_id):
    """Where the language switcher leads from a page: its live translation in the active
    language; if there is none, the nearest translated ancestor (so the visitor stays in the
    language they chose), with a note that this page is not translated yet; if the language
    has no translated pages at all, the original page under the language's prefix."""
    # The tree's root (depth 1) is no page of any site and has no address.
    page = get_object_or_404(Page.objects.live().public().filter(depth__gt=1), pk=page_id)
    language = get_language()
    for candidate in [page, *page.get_ancestors().filter(depth__gt=1).order_by("-depth")]:
        translation = (
            candidate.get_translations(inclusive=True)
            .live()
            .filter(locale__language_code=language)
            .first()
        )
        if translation is not None and translation.get_url(request):
            if candidate.pk != page.pk:
                messages.info(
                    request,
                    _("“%(title)s” is not available in %(language)s yet.")
                    % {
                        "title": page.title,
                        "language": get_language_info(language)["name_local"],
                    },
                )
            return redirect(translation.get_url(request))
    # The language has no pages of its own yet: Wagtail serves the original pages under the
    # language's prefix, with the interface in that language.
    path = page.get_url(request)
    if path is None:  # a page outside every site
        raise Http404
    if language != settings.LANGUAGE_CODE and path.startswith("/"):
        path = f"/{language}{path}"
    return redirect(path)


@require_GET
def legal_page(request, kind):
    """/privacy/ and /terms/: the live privacy notice or terms of use, in the visitor's language
    when it is translated, else the original."""
    pages = LegalPage.objects.live().public().filter(kind=kind)
    page = pages.filter(locale__language_code=get_language()).first() or pages.first()
    if page is None:
        raise Http404
    return redirect(page.url)
