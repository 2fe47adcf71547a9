from django.urls import path

from . import views

app_name = "newsletters"
urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/check-your-inbox/", views.pending, name="pending"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    # Links in issues sent before cms.notifications; new e-mails link to notifications:unsubscribe.
    path("unsubscribe/<str:token>/", views.legacy_unsubscribe, name="legacy_unsubscribe"),
]
