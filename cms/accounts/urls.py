from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    path("admin-login/", views.admin_login, name="account_admin_login"),
]
