from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Page


@never_cache
@require_GET
def healthz(request):
    """200 with JSON when the database answers, 503 otherwise. For load balancers and uptime
    checks, so it touches nothing but the database and needs no session."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "database_vendor": connection.vendor})


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /accounts/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
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
    page = get_object_or_404(Page.objects.live().public(), pk=page_id)
    language = get_language()
    for candidate in [page, *page.get_ancestors().filter(depth__gt=1).order_by("-depth")]:
        translation = (
            candidate.get_translations(inclusive=True)
            .live()
            .filter(locale__language_code=language)
            .first()
        )
        if translation is not None:
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
    if language != settings.LANGUAGE_CODE and path.startswith("/"):
        path = f"/{language}{path}"
    return redirect(path)
