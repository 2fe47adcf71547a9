from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from machina.apps.forum_conversation.models import Post
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.highlight import highlight
from cms.hooks import (
    BENCH_PAGES,
    HOME_PANELS,
    LOAD_DEMO,
    NOTIFICATION_TOPICS,
    ORGANISATION_LINKS,
    PERSONAL_DATA,
    PERSONAL_DATA_ERASE,
    SEARCH_RESULTS,
    SECTION_PANELS,
    SEED_SCALE,
    TEXT_SEARCH_INDEXES,
    USER_MENU_ITEMS,
    HitList,
    HomePanel,
    LinkedGroup,
    LinkedItem,
    MenuItem,
    SearchGroup,
    SearchHit,
    TextIndex,
)
from cms.notifications.models import Frequency
from cms.notifications.topics import NotificationTopic

from . import privacy, search, selectors, services
from .models import WorkingGroup
from .notifications import TOPIC_DISCUSSION, TOPIC_GROUP, TOPIC_POSTS, post_url


class VisibleGroupsMixin:
    """Only the groups the editor may see (WorkingGroup.objects.visible_to): a private group's
    name is not shown to an editor who is not one of its members."""

    def get_object_list(self):
        return WorkingGroup.objects.visible_to(self.request.user)


class WorkingGroupChooseView(VisibleGroupsMixin, ChooseView):
    pass


class WorkingGroupChooseResultsView(VisibleGroupsMixin, ChooseResultsView):
    pass


class WorkingGroupChosenView(SnippetChosenView):
    def get_object(self, pk):
        return WorkingGroup.objects.visible_to(self.request.user).get(pk=pk)


class WorkingGroupChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return WorkingGroup.objects.visible_to(self.request.user).filter(pk__in=pks)


class WorkingGroupChooserViewSet(SnippetChooserViewSet):
    choose_view_class = WorkingGroupChooseView
    choose_results_view_class = WorkingGroupChooseResultsView
    chosen_view_class = WorkingGroupChosenView
    chosen_multiple_view_class = WorkingGroupChosenMultipleView


class WorkingGroupViewSet(SnippetViewSet):
    """Moderators and administrators create groups in the Wagtail admin; members and
    coordinators are then managed on the site (the group's "Manage members" page)."""

    model = WorkingGroup
    icon = "group"
    menu_label = _("Working groups")
    add_to_admin_menu = True
    menu_order = 400
    list_display = ["name", "visibility", "topic"]
    chooser_viewset_class = WorkingGroupChooserViewSet
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("topic"),
        FieldPanel("visibility"),
    ]

    def get_queryset(self, request):
        return WorkingGroup.objects.visible_to(request.user)


register_snippet(WorkingGroupViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def keep_forum_in_step(request, instance):
    # The forum, its auth groups and permissions come with the group; the creator coordinates.
    if isinstance(instance, WorkingGroup):
        services.working_group_save(
            group=instance,
            coordinators=[] if instance.memberships.exists() else [request.user],
        )


@hooks.register(SECTION_PANELS)
def working_groups_section(section, request):
    if section != "working-groups":
        return None
    return HomePanel(
        title=_("Working groups"),
        template="working_groups/includes/section_panel.html",
        context={"groups": list(selectors.groups_for_listing(request.user))},
        order=10,
    )


@hooks.register(HOME_PANELS)
def latest_discussions(request):
    topics = selectors.latest_topics(request.user, limit=5)
    if not topics:
        return None
    return HomePanel(
        title=_("Latest discussions in the working groups"),
        template="working_groups/includes/home_panel.html",
        context={"topics": topics},
        order=300,
    )


@hooks.register(ORGANISATION_LINKS)
def organisation_working_groups(organisation, request):
    """The working groups the organisation's people take part in (those the viewer may see)."""
    groups = selectors.groups_of_organisation(
        organisation, getattr(request, "user", AnonymousUser())
    )
    return LinkedGroup(
        title=_("Working groups"),
        items=[
            LinkedItem(
                title=group.name, url=group.get_absolute_url(), description=group.description
            )
            for group in groups
        ],
        order=300,
    )


@hooks.register(USER_MENU_ITEMS)
def my_groups_menu_item(request):
    if not request.user.is_authenticated:
        return None
    return MenuItem(label=_("My groups"), url=reverse("working_groups:mine"), order=30)


@hooks.register(LOAD_DEMO, order=130)
def load_forum_demo(*, stdout, style):
    from . import demo

    demo.load(stdout=stdout, style=style)


@hooks.register(NOTIFICATION_TOPICS)
def working_group_notification_topics():
    return [
        NotificationTopic(
            key=TOPIC_POSTS,
            label=_("e-mails about new posts in the working groups"),
            default=Frequency.INSTANT,
            frequencies=(Frequency.INSTANT, Frequency.DAILY, Frequency.OFF),
            settings_url="working_groups:notifications",
        ),
        # A topic's or a group's watch level (forum.models.WatchLevel): instant = watching,
        # off = muted, relevant = a topic's own normal, no preference = normal (a group) or the
        # group's level (a topic). The unsubscribe link of a topic's e-mails mutes the topic;
        # that of a watched group's e-mails sets the group back to normal.
        NotificationTopic(
            key=TOPIC_DISCUSSION,
            label=_("e-mails about new posts in a discussion you watch, or replies to your topic"),
            frequencies=(Frequency.INSTANT, Frequency.RELEVANT, Frequency.OFF),
            describe=lambda topic: topic.subject,
            settings_url="working_groups:notifications",
        ),
        NotificationTopic(
            key=TOPIC_GROUP,
            label=_("e-mails about every new post in a working group you watch"),
            frequencies=(Frequency.INSTANT, Frequency.OFF),
            describe=lambda forum: forum.name,
            unsubscribe=services.group_unwatch,
            settings_url="working_groups:notifications",
        ),
    ]


@hooks.register(SEED_SCALE, order=130)
def seed_scale_working_groups(*, seed):
    from .seed_scale import seed_groups

    seed_groups(seed=seed)


@hooks.register(SEARCH_RESULTS)
def forum_search_results(query, request, *, region=None):
    """Posts of the working groups the visitor may read (forum.selectors.search_posts), newest
    first. Working groups belong to no region: nothing when a region is chosen."""
    if region is not None:
        return None
    posts = selectors.search_posts(request.user, query).order_by("-created", "-pk")
    return SearchGroup(
        kind="forum",
        label=_("Forum posts"),
        results=HitList(
            posts,
            lambda post: SearchHit(
                title=post.topic.subject,
                url=post_url(post),
                date=post.created,
                snippet=highlight(str(getattr(post.content, "raw", post.content)), query),
                kind_label=post.topic.forum.name,
            ),
        ),
        more_url=reverse("working_groups:search") + "?" + urlencode({"q": query}),
        order=20,
    )


@hooks.register(TEXT_SEARCH_INDEXES)
def forum_text_indexes():
    return [TextIndex(Post, search.SEARCH_FIELDS, search.SEARCH_INDEX_NAME)]


@hooks.register(PERSONAL_DATA)
def personal_data(user):
    return privacy.personal_data(user)


@hooks.register(PERSONAL_DATA_ERASE)
def erase_personal_data(user):
    privacy.erase_personal_data(user)


@hooks.register(BENCH_PAGES, order=300)
def bench_forum_pages(*, member):
    from .bench_pages import forum_pages

    return forum_pages(member=member)
