from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [path("<str:token>/", views.click, name="click")]
