"""/forum/: the working groups (ours) and, under board/, machina's forums. Machina's URL
namespaces (forum, forum_conversation, ...) must stay top-level, so this module has none; our
views live in the "working_groups" namespace."""

from django.urls import include, path
from django.views.generic import RedirectView
from machina import urls as machina_urls

from . import views

working_group_patterns = [
    path("", views.group_list, name="list"),
    path("my-groups/", views.my_groups, name="mine"),
    path("notifications/", views.notification_settings, name="notifications"),
    # Links in e-mails sent before cms.notifications; new ones link to notifications:unsubscribe.
    path("unsubscribe/<str:token>/", views.legacy_unsubscribe, name="legacy_unsubscribe"),
    path("search/", views.search, name="search"),
    path("moderation/", views.moderation, name="moderation"),
    path(
        "moderation/reports/<int:pk>/<str:action>/",
        views.report_resolve,
        name="report_resolve",
    ),
    path("posts/<int:pk>/report/", views.post_report, name="post_report"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("groups/<slug:slug>/", views.group_detail, name="detail"),
    path("groups/<slug:slug>/join/", views.group_join, name="join"),
    path("groups/<slug:slug>/leave/", views.group_leave, name="leave"),
    path("groups/<slug:slug>/follow/", views.group_follow, name="follow"),
    path("groups/<slug:slug>/manage/", views.group_manage, name="manage"),
    path("groups/<slug:slug>/invite/", views.group_invite, name="invite"),
    path(
        "groups/<slug:slug>/requests/<int:pk>/<str:decision>/",
        views.membership_decide,
        name="decide",
    ),
    path("groups/<slug:slug>/members/<int:pk>/ban/", views.membership_ban, name="ban"),
    path("groups/<slug:slug>/members/<int:pk>/role/", views.membership_role, name="role"),
]

urlpatterns = [
    path("", include((working_group_patterns, "working_groups"))),
    # Machina's haystack search is replaced by ours (permission-filtered database search).
    path("board/search/", views.search),
    # The group list is the forum index: machina's own index costs two queries per forum
    # (its unread tracking), ours a fixed number.
    path("board/", RedirectView.as_view(pattern_name="working_groups:list", permanent=False)),
    path("board/", include(machina_urls)),
]
