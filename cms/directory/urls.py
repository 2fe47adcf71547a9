from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("<slug:slug>/", views.organisation_detail, name="organisation"),
]
