from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    path("admin-login/", views.admin_login, name="account_admin_login"),
    path("privacy/", views.privacy, name="account_privacy"),
    path("privacy/export/", views.privacy_export, name="account_privacy_export"),
]
