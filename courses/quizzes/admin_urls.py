from django.urls import path

from . import admin_views

urlpatterns = [
    path("", admin_views.bank_index, name="index"),
    path("bank/<int:course_id>/import/", admin_views.bank_import, name="import"),
    path("bank/<int:course_id>/export/<str:file_format>/", admin_views.bank_export, name="export"),
    path("report/<int:quiz_id>/", admin_views.quiz_results, name="report"),
    path("grading/", admin_views.grading_queue, name="grading"),
    path("grading/<int:slot_id>/", admin_views.grade_essay, name="grade_essay"),
]
