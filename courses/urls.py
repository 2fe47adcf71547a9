from django.urls import path

from . import views

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
    path("certificates/verify/", views.certificate_lookup, name="certificate_lookup"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
]
