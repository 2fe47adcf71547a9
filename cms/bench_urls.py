"""The site's URLs plus the bare view of `manage.py bench_pages` (cms/settings/bench.py)."""

from django.http import HttpResponse
from django.urls import path

from .urls import handler500
from .urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def bare(request):
    """A Django view that does nothing: every middleware, no template, no query."""
    return HttpResponse("bare", content_type="text/plain")


urlpatterns = [path("_bench/bare/", bare), *site_urlpatterns]
