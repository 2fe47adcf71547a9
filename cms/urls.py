"""Root URLs: the composition root, the one place that names every app.

Unprefixed paths serve English; /pl/… and /it/… serve the other languages (i18n_patterns with
prefix_default_language=False). The stable public addresses (docs/stack.md) are all unprefixed.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import views
from cms.accounts import views as account_views
from cms.search import views as search_views
from cms.sitemaps import SiteSitemap

urlpatterns = [
    # One sign-in: the admins' own login views are shadowed by redirects to allauth's.
    path("admin/login/", account_views.admin_login),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/login/", account_views.django_admin_login),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": SiteSitemap}}, name="sitemap"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("cms.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("translation/<int:page_id>/", views.page_translation, name="page_translation"),
    path("feeds/", include("cms.feeds")),
    path("newsletters/", include("cms.newsletters.urls")),
    path("notifications/", include("cms.notifications.urls")),
    path("r/", include("cms.analytics.urls")),
    path("directory/", include("cms.directory.urls")),
    path("partners/", include("cms.partners.urls")),
    path("search/", search_views.search, name="search"),
    path("privacy/", views.legal_page, {"kind": "privacy"}, name="privacy_notice"),
    path("terms/", views.legal_page, {"kind": "terms"}, name="terms_of_use"),
    path("", include("courses.urls")),
    path("forum/", include("forum.urls")),
    path("exchange/", include("exchange.urls")),
    path("_util/login/", account_views.page_privacy_login, name="page_privacy_login"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# A database outage answers a friendly 503 page instead of a 500 (cms.views.server_error).
handler500 = "cms.views.server_error"

if settings.DEBUG or settings.MEDIA_SERVE:
    # Public media from local disk when nothing in front serves /media/ (development, `make
    # serve`, one machine): cms.files.media_serve. Private files are never under MEDIA_ROOT.
    from django.urls import re_path

    from .files import media_serve

    urlpatterns = [re_path(r"^media/(?P<path>.*)$", media_serve), *urlpatterns]
