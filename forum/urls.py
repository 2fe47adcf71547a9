"""/forum/: the working groups (ours) and, under board/, machina's forums. Machina's URL
namespaces (forum, forum_conversation, ...) must stay top-level, so this module has none; our
views live in the "working_groups" namespace."""

from django.urls import include, path, re_path
from django.views.generic import RedirectView
from machina.core.loading import get_class

from . import views

# Machina's board URLs as ``machina.urls`` builds them, less its haystack search
# (``forum_search``, not installed): our database search answers under the same name.
MACHINA_URL_FACTORIES = [
    ("", "forum.urls"),
    ("", "forum_conversation.urls"),
    ("feeds/", "forum_feeds.urls"),
    ("member/", "forum_member.urls"),
    ("moderation/", "forum_moderation.urls"),
    ("tracking/", "forum_tracking.urls"),
]
machina_patterns = [
    re_path(rf"^{prefix}", include(get_class(module, "urlpatterns_factory").urlpatterns))
    for prefix, module in MACHINA_URL_FACTORIES
]

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
    path("posts/<int:pk>/like/", views.post_like, name="post_like"),
    path("watch/<str:kind>/<int:pk>/", views.watch, name="watch"),
    path("posts/<int:pk>/quote/", views.post_quote, name="post_quote"),
    path("posts/<int:pk>/accept/", views.answer_mark, {"accept": True}, name="answer_accept"),
    path("posts/<int:pk>/unaccept/", views.answer_mark, {"accept": False}, name="answer_clear"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("groups/<slug:slug>/", views.group_detail, name="detail"),
    path("groups/<slug:slug>/join/", views.group_join, name="join"),
    path("groups/<slug:slug>/leave/", views.group_leave, name="leave"),
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
    # Machina's search URL name, answered by ours (permission-filtered database search).
    path("board/search/", include(([path("", views.search, name="search")], "forum_search"))),
    # The group list is the forum index: machina's own index costs two queries per forum
    # (its unread tracking), ours a fixed number.
    path("board/", RedirectView.as_view(pattern_name="working_groups:list", permanent=False)),
    path("board/", include(machina_patterns)),
]
