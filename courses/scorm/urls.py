from django.urls import path

from . import views

# Included by courses/urls.py under learning/scorm/.
urlpatterns = [
    path("attempts/<int:attempt_id>/commit/", views.attempt_commit, name="scorm_commit"),
    path("lessons/<int:lesson_id>/new-attempt/", views.attempt_new, name="scorm_new_attempt"),
    path("<uuid:package_uuid>/<path:path>", views.package_file, name="scorm_file"),
]
