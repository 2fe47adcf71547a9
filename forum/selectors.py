"""Reads shared by views, hooks and search."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from machina.apps.forum_conversation.forum_attachments.models import Attachment
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_permission.handler import PermissionHandler
from machina.apps.forum_tracking.models import ForumReadTrack, TopicReadTrack

from cms import tablecache
from cms.accounts.models import User
from cms.directory.models import Organisation
from cms.notifications.models import Frequency, NotificationPreference

from . import permissions, search
from .models import (
    TOPIC_DISCUSSION,
    TOPIC_GROUP,
    Membership,
    PostLike,
    TopicQuestion,
    WatchLevel,
    WorkingGroup,
)

if TYPE_CHECKING:
    from django.contrib.contenttypes.models import ContentType
    from machina.apps.forum.models import Forum

AnyUser = User | AnonymousUser


def groups_for_listing(user: AnyUser) -> QuerySet[WorkingGroup]:
    """Groups ``user`` may see, with member count and last activity (the forum's, not its last
    post's), in a fixed number of queries."""
    return (
        WorkingGroup.objects.visible_to(user)
        .select_related("forum", "topic")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__state=Membership.State.ACTIVE), distinct=True
            )
        )
        .order_by("name")
    )


def readable_forum_ids(user: AnyUser) -> list[int]:
    """The ids of the forums ``user`` may read, as machina's permission handler says (four or
    five queries), kept until a table it reads is written (cms/tablecache.py): the forums, their
    user and group permissions, the groups and who is in them. Anonymous visitors share one
    value; a superuser reads every forum."""
    from machina.apps.forum.models import Forum

    def read() -> list[int]:
        forums = PermissionHandler().get_readable_forums(Forum.objects.all(), user)
        return sorted(forums.values_list("pk", flat=True))

    tables = permissions.permission_tables()
    if not user.is_authenticated:
        return tablecache.cached("forum:readable", "anonymous", tables=tables, compute=read)
    return tablecache.for_user(
        user, f"forum:readable:{user.is_superuser}", tables=tables, compute=read
    )


def readable_forums(user: AnyUser, handler: PermissionHandler | None = None) -> Any:
    """The forums ``user`` may read (a queryset): ``readable_forum_ids``, unless a permission
    handler the caller already holds is given."""
    from machina.apps.forum.models import Forum

    if handler is not None:
        return handler.get_readable_forums(Forum.objects.all(), user)
    if user.is_superuser:
        return Forum.objects.all()
    return Forum.objects.filter(pk__in=readable_forum_ids(user))


def latest_topics(user: AnyUser, limit: int = 5) -> list[Topic]:
    """Latest topics of the groups ``user`` may see, less what they muted, in one query (home
    page panel). A group's forum is readable exactly when the group is visible: its permissions
    derive from it."""
    visible = WorkingGroup.objects.visible_to(user).values("forum_id")
    topics = Topic.objects.filter(forum_id__in=visible, approved=True)
    return list(
        without_muted(topics, user)
        .select_related("forum")
        # only what the panel shows (not the last post's text and poster, read before)
        .only("subject", "slug", "last_post_on", "forum__slug", "forum__name")
        .order_by("-last_post_on")[:limit]
    )


def search_posts(user: AnyUser, query: str) -> QuerySet[Post]:
    """Approved posts of readable forums containing every word of ``query`` in subject or text
    (PostgreSQL full-text search in the visitor's language, or a plain word search on SQLite:
    ``forum.search``). A private group's posts are never among them for an outsider."""
    if not search.search_words(query):
        return Post.objects.none()
    posts = Post.objects.filter(
        approved=True, topic__approved=True, topic__forum_id__in=readable_forum_ids(user)
    )
    return search.filter_posts(posts, query).select_related("topic", "topic__forum", "poster")


def groups_of_organisation(organisation: Organisation, user: AnyUser) -> list[WorkingGroup]:
    member_of = Membership.objects.filter(
        user__organisation=organisation, state=Membership.State.ACTIVE
    ).values("group_id")
    return list(WorkingGroup.objects.visible_to(user).filter(pk__in=member_of).order_by("name"))


def topic_for_page(topic_id: int) -> Topic | None:
    """A topic with what its page shows besides the posts, in one query: its forum and working
    group (breadcrumb), its opening post (``is_topic_head``), its poll, and its question with the
    accepted answer and its author. Kept until one of their tables is written (a new post, an
    edit, a vote, a renamed group, a member's sign-in: cms/tablecache.py; each reader gets their
    own copy); an id with no topic is not kept (anyone can make one up)."""
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.forum_polls.models import TopicPoll

    def read() -> Topic | None:
        return (
            Topic.objects.select_related(
                "forum",
                "forum__working_group",
                "first_post",
                "poll",
                "question__answer__poster",
            )
            .filter(pk=topic_id)
            .first()
        )

    return tablecache.cached(
        "topic-for-page",
        topic_id,
        tables=tablecache.tables_of(
            Topic, Forum, WorkingGroup, Post, TopicPoll, TopicQuestion, User
        ),
        compute=read,
        keep=lambda topic: topic is not None,
    )


def shown_posts(topic: Topic) -> QuerySet[Post]:
    """The posts of ``topic`` its pages show: the approved ones (a post held for moderation is
    on no page)."""
    return topic.posts.filter(approved=True)


def topic_posts(topic: Topic, user: AnyUser) -> QuerySet[Post]:
    """The approved posts of ``topic`` in the order they were written, with what the topic page
    shows of each in one query whatever the number of posts: author and their organisation,
    editor, like count, whether ``user`` likes it (``liked``), and whether it has attachments
    (``has_attachments``: the page fetches attachments only for those)."""
    likes = PostLike.objects.filter(post=OuterRef("pk"))
    like_count = likes.order_by().values("post").annotate(count=Count("pk")).values("count")
    posts = (
        shown_posts(topic)
        .select_related("poster", "poster__organisation", "updated_by")
        .annotate(
            like_count=Coalesce(Subquery(like_count), 0),
            has_attachments=Exists(Attachment.objects.filter(post=OuterRef("pk"))),
        )
        .order_by("created", "pk")
    )
    if user.is_authenticated:
        posts = posts.annotate(liked=Exists(likes.filter(user_id=user.pk)))
    return posts


def topic_post_count(topic: Topic) -> int:
    """How many posts ``topic_posts`` lists, counted without their annotations (the page's
    paginator counted the annotated query: three times the work for the same number). Kept
    until the posts' table is written (cms/tablecache.py)."""
    return tablecache.cached(
        "topic-post-count",
        topic.pk,
        tables=tablecache.tables_of(Post),
        compute=lambda: shown_posts(topic).count(),
    )


def topic_is_read(topic: Topic, user: User) -> bool:
    """Whether ``user``'s read marks (of the topic, or of its whole forum) already cover the
    topic's last post: one query, kept until a read mark is written (cms/tablecache.py): a
    member who comes back to a topic with nothing new is not asked again."""
    if topic.last_post_on is None:
        return True
    return tablecache.cached(
        "forum:topic-read",
        user.pk,
        topic.pk,
        topic.last_post_on.isoformat(),
        tables=tablecache.tables_of(TopicReadTrack, ForumReadTrack),
        compute=lambda: (
            Topic.objects.filter(pk=topic.pk)
            .filter(
                Q(tracks__user=user, tracks__mark_time__gte=topic.last_post_on)
                | Q(forum__tracks__user=user, forum__tracks__mark_time__gte=topic.last_post_on)
            )
            .exists()
        ),
    )


def post_page(topic: Topic, post_id: int, per_page: int) -> int | None:
    """The page of ``topic`` that shows post ``post_id`` (posts in the order they were written,
    approved ones only, ``per_page`` a page), or None when the topic shows no such post (one held
    for moderation, or of another topic). Machina counted every post, held ones included, so a
    link to a post behind held ones pointed past the last page: a 404."""
    post = shown_posts(topic).filter(pk=post_id).values("created", "pk").first()
    if post is None:
        return None
    position = (
        shown_posts(topic)
        .filter(Q(created__lt=post["created"]) | Q(created=post["created"], pk__lte=post["pk"]))
        .count()
    )
    return (position - 1) // per_page + 1


def topic_question(topic: Topic) -> TopicQuestion | None:
    """The topic's question record with its accepted answer and its author, or None."""
    return (
        TopicQuestion.objects.filter(topic=topic)
        .select_related("answer", "answer__poster", "accepted_by")
        .first()
    )


def question_states(topic_ids: Iterable[int]) -> dict[int, bool]:
    """{topic id: True when solved, False when an open question} for the topics of a list (one
    query); plain discussions are not in it."""
    return {
        topic_id: answer_id is not None
        for topic_id, answer_id in TopicQuestion.objects.filter(
            topic_id__in=list(topic_ids)
        ).values_list("topic_id", "answer_id")
    }


# Watch levels (Discourse's watching / normal / muted), stored as cms.notifications preferences

# (user id, topic or forum id) of a stored watch level.
LevelKey = tuple[int, int | None]

LEVEL_OF_FREQUENCY: dict[str, str] = {
    Frequency.INSTANT: WatchLevel.WATCHING,
    Frequency.RELEVANT: WatchLevel.NORMAL,
    Frequency.OFF: WatchLevel.MUTED,
}


def _content_type(model: type[Model]) -> "ContentType":
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model, for_concrete_model=False)


def _forum_model() -> type["Forum"]:
    from machina.apps.forum.models import Forum

    return Forum


def level_preferences(
    *,
    topics: Iterable[Topic] = (),
    forums: Iterable["Forum"] = (),
    user: User | None = None,
) -> tuple[dict[LevelKey, str], dict[LevelKey, str]]:
    """The stored watch levels about ``topics`` and ``forums`` (of ``user``, or of everyone):
    ({(user id, topic id): level}, {(user id, forum id): level}), in one query."""
    topic_ids = [topic.pk for topic in topics]
    forum_ids = [forum.pk for forum in forums]
    rows = NotificationPreference.objects.filter(
        Q(topic=TOPIC_DISCUSSION, target_type=_content_type(Topic), target_id__in=topic_ids)
        | Q(topic=TOPIC_GROUP, target_type=_content_type(_forum_model()), target_id__in=forum_ids),
        user__isnull=False,
    )
    if user is not None:
        rows = rows.filter(user=user)
    by_topic: dict[LevelKey, str] = {}
    by_forum: dict[LevelKey, str] = {}
    for user_id, key, target_id, frequency in rows.values_list(
        "user_id", "topic", "target_id", "frequency"
    ):
        level = LEVEL_OF_FREQUENCY.get(frequency)
        if level:
            (by_topic if key == TOPIC_DISCUSSION else by_forum)[(user_id, target_id)] = level
    return by_topic, by_forum


def watch_levels(user: AnyUser, topics: Iterable[Topic]) -> dict[int, str]:
    """{topic id: effective level} of ``user`` for ``topics`` (the topic's own level, else its
    group's, else normal), in one query."""
    topics = list(topics)
    if not user.is_authenticated or not topics:
        return {}
    forums = {topic.forum_id: topic.forum_id for topic in topics}
    by_topic, by_forum = level_preferences(
        topics=topics, forums=[_forum_model()(pk=pk) for pk in forums], user=user
    )
    return {
        topic.pk: by_topic.get((user.pk, topic.pk))
        or by_forum.get((user.pk, topic.forum_id), WatchLevel.NORMAL)
        for topic in topics
    }


def topic_watch(user: AnyUser, topic: Topic) -> tuple[str | None, str]:
    """(own level of the topic or None, level of its group) for the topic page's control."""
    if not user.is_authenticated:
        return None, WatchLevel.NORMAL
    by_topic, by_forum = level_preferences(topics=[topic], forums=[topic.forum], user=user)
    return (
        by_topic.get((user.pk, topic.pk)),
        by_forum.get((user.pk, topic.forum_id), WatchLevel.NORMAL),
    )


def group_watch_level(user: AnyUser, forum: "Forum | None") -> str:
    if not user.is_authenticated or forum is None:
        return WatchLevel.NORMAL
    _by_topic, by_forum = level_preferences(forums=[forum], user=user)
    return by_forum.get((user.pk, forum.pk), WatchLevel.NORMAL)


def without_muted(topics: QuerySet[Topic], user: AnyUser) -> QuerySet[Topic]:
    """``topics`` less those ``user`` muted, or whose group they muted without giving the topic
    a level of its own (Discourse hides muted topics from its "new" and "latest" lists)."""
    if not user.is_authenticated:
        return topics
    own = NotificationPreference.objects.filter(
        user=user, topic=TOPIC_DISCUSSION, target_type=_content_type(Topic)
    )
    muted_groups = NotificationPreference.objects.filter(
        user=user,
        topic=TOPIC_GROUP,
        target_type=_content_type(_forum_model()),
        frequency=Frequency.OFF,
    )
    return topics.exclude(pk__in=own.filter(frequency=Frequency.OFF).values("target_id")).exclude(
        Q(forum_id__in=muted_groups.values("target_id"))
        & ~Q(
            pk__in=own.filter(frequency__in=[Frequency.INSTANT, Frequency.RELEVANT]).values(
                "target_id"
            )
        )
    )


def watched_and_muted(user: User) -> list[tuple[str, Any, str]]:
    """The groups and topics ``user`` gave a level of their own (watching, muted, and topics
    set to normal), for the e-mail settings page: [(kind, object, level)], groups first."""
    from machina.apps.forum.models import Forum

    rows = list(
        NotificationPreference.objects.filter(
            user=user, topic__in=[TOPIC_GROUP, TOPIC_DISCUSSION]
        ).values_list("topic", "target_id", "frequency")
    )
    forum_ids = [target for key, target, _f in rows if key == TOPIC_GROUP]
    topic_ids = [target for key, target, _f in rows if key == TOPIC_DISCUSSION]
    readable = readable_forums(user)
    forums = (
        Forum.objects.filter(pk__in=forum_ids)
        .filter(pk__in=readable)
        .select_related("working_group")
        .in_bulk()
    )
    topics = (
        Topic.objects.filter(pk__in=topic_ids, forum__in=readable).select_related("forum").in_bulk()
    )
    items: list[tuple[str, Any, str]] = []
    for key, target, frequency in rows:
        found = (forums if key == TOPIC_GROUP else topics).get(target)
        level = LEVEL_OF_FREQUENCY.get(frequency)
        if found is not None and level:
            items.append(("group" if key == TOPIC_GROUP else "topic", found, level))
    return sorted(items, key=lambda item: (item[0] != "group", str(item[1])))
