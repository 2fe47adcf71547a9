from django.urls import include, path

from . import views
from .scorm import urls as scorm_urls

app_name = "courses"

# Included at the site root (cms/urls.py): /certificates/verify/<code>/ is printed on
# certificates and must never change.
urlpatterns = [
    path("learning/", views.dashboard, name="dashboard"),
    path("learning/courses/<int:course_id>/enrol/", views.course_enrol, name="enrol"),
    path(
        "learning/lessons/<int:lesson_id>/complete/",
        views.lesson_complete,
        name="lesson_complete",
    ),
    path(
        "learning/certificates/<str:code>/download/",
        views.certificate_download,
        name="certificate_download",
    ),
    path(
        "learning/certificates/<str:code>/regenerate/",
        views.certificate_regenerate,
        name="certificate_regenerate",
    ),
    path(
        "learning/certificates/<str:code>/badge.<str:file_format>",
        views.certificate_badge,
        name="certificate_badge",
    ),
    path("certificates/issuer/", views.badge_issuer, name="badge_issuer"),
    path("certificates/issuer/jwks.json", views.badge_jwks, name="badge_jwks"),
    path("certificates/verify/credential/", views.credential_verify, name="credential_verify"),
    path("learning/scorm/", include(scorm_urls)),
    path("certificates/verify/", views.certificate_lookup, name="certificate_lookup"),
    path("certificates/verify/<str:code>/badge.png", views.badge_image, name="badge_image"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
]
