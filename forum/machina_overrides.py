"""Behaviour this project needs from machina's views and forms, applied once in
ForumConfig.ready(). Machina builds its views through ``get_class`` and breaks when its apps are
subclassed in INSTALLED_APPS (docs/stack.md), so these small, named wrappers are the least
intrusive way to change it. Each wrapper calls machina's original.

1. A forum the visitor may not read answers 404, never 403 or a login redirect: a private
   group's forum, topics, posts, attachments and polls do not reveal that they exist.
2. A feed of a forum the visitor may not read answers 404.
3. New posts are rate-limited per user (cms.ratelimit, scope "forum.post").
4. Attachments are checked for type, size and, for images, pixels (FORUM_ATTACHMENT_EXTENSIONS,
   FORUM_ATTACHMENT_MAX_SIZE, IMAGE_MAX_PIXELS).
5. Attachments live in the private storage under random folders and are handed out by
   ``cms.files.serve_file`` after machina's permission check (``can_download_files``).
6. A member profile or post list with a non-numeric id answers 404 (machina looks the user
   up by ``pk`` from a ``str`` URL part, which raised ValueError: a 500).
7. "Mark forums read" for a forum the visitor may not read answers 404 (it showed the name),
   and the list of subscribed topics shows only topics of forums the member may still read.
8. Quoting: the reply form opened with ``?quote=<post id>`` starts with that post of the same
   topic as a Markdown blockquote (machina has no quoting).
9. The Markdown editor uses the site's copy of its icon font, never a CDN.
10. A topic's posts are in the order they were written, the opening post first (created, then
    id), and the topic page brings what Discourse's topic page has: a reply box under the
    posts, the like count of every post, the accepted answer of a question under its opening
    post (``forum.selectors``; a fixed number of queries per page). A link to a post
    (``?post=<id>``) opens the page that shows it, counted among the approved posts; a reply
    held for moderation opens the last page with machina's notice that it waits for approval.
11. Replies have no subject of their own: machina's "Re: <title>" is neither proposed nor
    stored; the topic's title is the title of every post.
12. A new topic may be asked as a question (``TopicQuestion``); the author or a moderator
    accepts one reply as its answer.
13. Machina's topic subscriptions are watch levels (``WatchLevel``, cms.notifications): its
    subscribe link watches the topic, its unsubscribe link sets it to normal, its list of
    subscriptions is the e-mail settings page; muted topics are not among the unread ones.
14. Moving a topic to a destination that is not a forum id (machina's choices give each
    greyed-out forum an option group, so ``disabled`` was a valid choice, then looked up as a
    forum id: a 500; found by tests/security/test_fuzz_forms.py) is refused with a message.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.files import random_file_name, serve_file
from cms.images import IMAGE_EXTENSIONS, image_pixels_check
from cms.ratelimit import ratelimit_exceeded
from cms.storage import private_storage


def forum_of(obj):
    """The machina forum an object of a forum view belongs to, or None."""
    from machina.apps.forum.models import Forum

    if obj is None:
        return None
    if isinstance(obj, Forum):
        return obj
    if hasattr(obj, "forum"):  # topic
        return obj.forum
    if hasattr(obj, "topic"):  # post, poll
        return obj.topic.forum
    if hasattr(obj, "post"):  # attachment
        return obj.post.topic.forum
    return None


def _controlled_object(view):
    for name in ("get_controlled_object", "get_object"):
        method = getattr(view, name, None)
        if method is not None:
            try:
                obj = method()
            except (AttributeError, TypeError):
                continue
            if obj is not None:
                return obj
    return getattr(view, "object", None)


def _patch_permission_mixin():
    from machina.apps.forum_permission.viewmixins import PermissionRequiredMixin

    original = PermissionRequiredMixin.check_permissions

    def check_permissions(self, request):
        try:
            response = original(self, request)
        except PermissionDenied:
            denied = True
            response = None
        else:
            denied = False
        if denied or response is not None:
            forum = forum_of(_controlled_object(self))
            if forum is not None and not request.forum_permission_handler.can_read_forum(
                forum, request.user
            ):
                raise Http404
        if denied:
            raise PermissionDenied
        return response

    PermissionRequiredMixin.check_permissions = check_permissions


def _patch_feeds():
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.models import Topic
    from machina.apps.forum_feeds.feeds import LastTopicsFeed

    def items(self):
        # Newest topics first, each dated and described by its opening post (machina ordered
        # by last activity but dated items by creation, and showed the last reply's text).
        return (
            Topic.objects.filter(forum__in=self.forums, approved=True)
            .select_related("forum", "poster", "first_post", "first_post__poster")
            .order_by("-created", "-pk")[:50]
        )

    LastTopicsFeed.items = items

    original = LastTopicsFeed.get_object

    def get_object(self, request, *args, **kwargs):
        forum_pk = kwargs.get("forum_pk")
        if forum_pk:
            forum = Forum.objects.filter(pk=forum_pk).first()
            if forum is None or not request.forum_permission_handler.can_read_forum(
                forum, request.user
            ):
                raise Http404
        return original(self, request, *args, **kwargs)

    LastTopicsFeed.get_object = get_object


def _patch_post_form():
    from machina.apps.forum_conversation.forms import PostForm

    original = PostForm.clean

    def clean(self):
        if (
            not self.instance.pk
            and self.user is not None
            and self.user.is_authenticated
            and ratelimit_exceeded(scope="forum.post", key=self.user.pk)
        ):
            raise ValidationError(
                _("You are posting too fast. Please wait a minute before you post again."),
                code="rate_limited",
            )
        return original(self)

    PostForm.clean = clean


class _AttachmentLink:
    """What the file widget links to for an attachment already saved: the permission-checked
    download view (the private file itself has no URL), shown by its original name."""

    def __init__(self, attachment):
        self.url = reverse("forum_conversation:attachment", kwargs={"pk": attachment.pk})
        self.name = attachment.filename

    def __str__(self):
        return self.name


class AttachmentFileInput(forms.ClearableFileInput):
    """Django's clearable file input asks the stored file for its URL, which a private file
    refuses (editing a post with an attachment answered 500)."""

    def is_initial(self, value):
        return bool(value and getattr(getattr(value, "instance", None), "pk", None))

    def format_value(self, value):
        return _AttachmentLink(value.instance) if self.is_initial(value) else None


def _patch_attachment_form():
    from machina.apps.forum_conversation.forum_attachments.forms import (
        AttachmentForm,
        AttachmentFormset,
    )

    # The formset's form class was built from AttachmentForm when machina's module loaded.
    for form_class in (AttachmentForm, AttachmentFormset.form):
        form_class.base_fields["file"].widget = AttachmentFileInput()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or not hasattr(upload, "size"):
            return upload
        extension = Path(upload.name).suffix.lower().lstrip(".")
        allowed = settings.FORUM_ATTACHMENT_EXTENSIONS
        if extension not in allowed:
            raise ValidationError(
                _("Files of type “%(extension)s” cannot be attached. Allowed: %(allowed)s.")
                % {"extension": extension or "?", "allowed": ", ".join(allowed)}
            )
        if upload.size > settings.FORUM_ATTACHMENT_MAX_SIZE:
            raise ValidationError(
                _("The file is too large (%(size)s). The limit is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.FORUM_ATTACHMENT_MAX_SIZE),
                }
            )
        if extension in IMAGE_EXTENSIONS:
            image_pixels_check(upload)
        return upload

    AttachmentForm.clean_file = clean_file


ATTACHMENT_FOLDER = "forum/attachments"


def attachment_file_path(filename):
    """``forum/attachments/<random>/<original name>``: nobody can guess it, and machina still
    shows the attachment by its original name (``Attachment.filename``)."""
    return random_file_name(ATTACHMENT_FOLDER, filename, keep_name=True)


def _private_attachments():
    from machina.apps.forum_conversation.forum_attachments.models import Attachment
    from machina.apps.forum_conversation.forum_attachments.views import AttachmentView

    field = Attachment._meta.get_field("file")
    field._storage_callable = private_storage  # as FileField(storage=private_storage) sets it
    field.storage = private_storage()
    original_deconstruct = field.deconstruct

    def deconstruct():
        # The storage is chosen here, at start-up, not in machina's migrations: without this,
        # makemigrations would want a migration inside machina's installed package.
        name, path, args, kwargs = original_deconstruct()
        kwargs.pop("storage", None)
        return name, path, args, kwargs

    field.deconstruct = deconstruct
    Attachment.get_file_upload_to = lambda self, filename: attachment_file_path(filename)

    def render_to_response(self, context, **response_kwargs):
        return serve_file(self.request, self.object.file, filename=self.object.filename)

    AttachmentView.render_to_response = render_to_response


def _patch_member_views():
    from machina.apps.forum_member.views import ForumProfileDetailView, UserPostsView

    for view in (ForumProfileDetailView, UserPostsView):
        original = view.dispatch

        def dispatch(self, request, *args, original=original, **kwargs):
            if not str(kwargs.get("pk", "")).isdigit():
                raise Http404
            return original(self, request, *args, **kwargs)

        view.dispatch = dispatch


def _patch_tracking_and_subscriptions():
    from machina.apps.forum.models import Forum
    from machina.apps.forum_member.views import TopicSubscriptionListView
    from machina.apps.forum_tracking.views import MarkForumsReadView

    for method_name in ("get", "post"):
        original = getattr(MarkForumsReadView, method_name)

        def guarded(self, request, pk=None, original=original):
            if pk is not None:
                forum = Forum.objects.filter(pk=pk).first()
                if forum is None or not request.forum_permission_handler.can_read_forum(
                    forum, request.user
                ):
                    raise Http404
            return original(self, request, pk)

        setattr(MarkForumsReadView, method_name, guarded)

    TopicSubscriptionListView.get = lambda self, request, *args, **kwargs: redirect(
        "working_groups:notifications"
    )


def _patch_subscriptions_to_watch_levels():
    from machina.apps.forum_member.views import TopicSubscribeView, TopicUnsubscribeView
    from machina.apps.forum_permission.handler import PermissionHandler
    from machina.apps.forum_tracking.views import UnreadTopicsView

    from . import selectors, services
    from .models import WatchLevel

    def level_setter(level, message):
        def set_level(self, request, *args, **kwargs):
            self.object = self.get_object()
            services.watch_level_set(user=request.user, target=self.object, level=level)
            messages.success(request, message)
            return HttpResponseRedirect(self.get_success_url())

        return set_level

    def can_set_level(self, topic, user):
        # machina asks whether the reader is (not) already among its subscribers, a table no
        # longer used: any signed-in reader of the forum may set the topic's level.
        return user.is_authenticated and self.can_read_forum(topic.forum, user)

    PermissionHandler.can_subscribe_to_topic = can_set_level
    PermissionHandler.can_unsubscribe_from_topic = can_set_level
    TopicSubscribeView.subscribe = level_setter(
        WatchLevel.WATCHING,
        _("You are watching this topic: every new post is e-mailed to you."),
    )
    TopicUnsubscribeView.unsubscribe = level_setter(
        WatchLevel.NORMAL,
        _(
            "This topic is at normal, whatever the group's level: replies where you took part, "
            "quotes and mentions."
        ),
    )

    original_unread = UnreadTopicsView.get_queryset

    def get_queryset(self):
        return selectors.without_muted(original_unread(self), self.request.user)

    UnreadTopicsView.get_queryset = get_queryset


def quoted_text(post):
    author = post.poster.get_display_name() if post.poster else post.username
    lines = "\n".join(f"> {line}" for line in post.content.raw.splitlines())
    return f"> **{author}:**\n{lines}\n\n"


def _patch_quoting():
    from machina.apps.forum_conversation.views import PostCreateView

    original = PostCreateView.get_post_form_kwargs

    def get_post_form_kwargs(self):
        kwargs = original(self)
        quote = self.request.GET.get("quote", "")
        if self.request.method == "GET" and quote.isdigit():
            post = self.get_topic().posts.filter(pk=int(quote), approved=True).first()
            if post is not None:
                kwargs["initial"] = {**kwargs.get("initial", {}), "content": quoted_text(post)}
        return kwargs

    PostCreateView.get_post_form_kwargs = get_post_form_kwargs


def _patch_editor_media():
    """Machina's Markdown editor with the site's own copy of its icon font (EasyMDE fetches
    Font Awesome from a CDN otherwise, which the Content-Security-Policy blocks and which would
    tell an outside server who writes in a private group)."""
    from django import forms as django_forms
    from machina.forms.widgets import MarkdownTextareaWidget

    media = django_forms.Media(
        css={
            "all": [
                "machina/build/css/vendor/easymde.min.css",
                "forum/vendor/font-awesome-4.7.0/css/font-awesome.min.css",
            ]
        },
        js=["machina/build/js/vendor/easymde.min.js", "forum/js/editor.js"],
    )
    MarkdownTextareaWidget.media = property(lambda self: media)


def _patch_topic_view():
    from django.db.models import prefetch_related_objects
    from django.utils.functional import SimpleLazyObject
    from django.views.generic import ListView
    from machina.apps.forum_conversation.forms import PostForm
    from machina.apps.forum_conversation.views import TopicView

    from . import permissions, selectors
    from .forms import WatchLevelForm
    from .models import FOLLOW_GROUP

    original_context = TopicView.get_context_data

    def get(self, request, **kwargs):
        # machina's, with the page of ``?post=`` counted among the posts the page shows. A
        # reply held for moderation is not on any page: its author lands on the last one, with
        # the notice that it waits for approval (machina's message), not on a 404.
        topic = self.get_topic()
        requested = request.GET.get("post", "")
        if requested.isdigit():
            page = selectors.post_page(topic, int(requested), self.paginate_by)
            request.GET = request.GET.copy()
            request.GET["page"] = page if page is not None else "last"
        response = ListView.get(self, request, **kwargs)
        self.send_signal(request, response, topic)
        return response

    def get_topic(self):
        if not hasattr(self, "topic"):
            self.topic = selectors.topic_for_page(self.kwargs["pk"])
            if self.topic is None:
                raise Http404
        return self.topic

    def get_queryset(self):
        # What the paginator slices (its count is kept: get_paginator); the page's posts are
        # read with what the page shows of each when the template lists them (prepared_posts).
        return selectors.shown_posts(self.get_topic())

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kw):
        paginator = ListView.get_paginator(
            self, queryset, per_page, orphans, allow_empty_first_page, **kw
        )
        paginator.count = selectors.topic_post_count(self.get_topic())
        return paginator

    def get_context_data(self, **kwargs):
        context = original_context(self, **kwargs)
        request, topic = self.request, context["topic"]
        user, handler = request.user, request.forum_permission_handler
        page = context["page_obj"]

        def prepared_posts():
            # The page's posts, with their authors, likes and attachments: built and read only
            # when the page is rendered, not when it comes kept.
            start = max(page.start_index() - 1, 0)  # 0 posts: start_index() is 0
            posts = list(selectors.topic_posts(topic, user)[start : page.end_index()])
            # Attachments only of the posts that have some (most have none: no query).
            prefetch_related_objects(
                [post for post in posts if post.has_attachments], "attachments"
            )
            _set_post_controls(posts, topic, user, handler, context)
            return posts

        # Read when the template lists them: the list is a fragment kept for each member
        # (topic_detail.html), and a kept list needs neither the posts nor their controls.
        context["posts"] = context["object_list"] = SimpleLazyObject(prepared_posts)
        question = getattr(topic, "question", None)  # selected with the topic
        context["question"] = question
        context["can_accept_answer"] = question is not None and permissions.can_accept_answer(
            user, topic, handler
        )
        context["user_can_add_post"] = handler.can_add_post(topic, user)
        if context["user_can_add_post"]:
            context["reply_form"] = PostForm(user=user, forum=topic.forum, topic=topic)
        if user.is_authenticated:

            def watch_form():
                own_level, group_level = selectors.topic_watch(user, topic)
                return WatchLevelForm(
                    initial={"level": own_level or FOLLOW_GROUP},
                    kind="topic",
                    group_level=group_level,
                )

            # read when the template shows it: not when the page comes kept
            context["watch_form"] = SimpleLazyObject(watch_form)
        return context

    TopicView.get = get
    TopicView.get_topic = get_topic
    TopicView.get_queryset = get_queryset
    TopicView.get_paginator = get_paginator
    TopicView.get_context_data = get_context_data


def _set_post_controls(posts, topic, user, handler, context):
    """What each post of the topic page shows its reader: the author's name and handle, and the
    reader's own controls (like, quote, accept as the answer, edit, delete, report) with their
    addresses. Worked out here once per post, where the template asked machina's permission
    tag (which lists the handler's methods on each call) and reversed five URLs per post; the
    answers are the handler's, as before."""
    from . import permissions
    from .notifications import mention_handle

    forum = topic.forum
    signed_in = user.is_authenticated
    may_like = signed_in and permissions.can_read_forum(user, forum, handler)
    topic_args = (forum.slug, forum.pk, topic.slug, topic.pk)
    like, quote, report, accept, clear, update, delete = (
        _url_for_each(name, *args)
        for name, args in (
            ("working_groups:post_like", ()),
            ("working_groups:post_quote", ()),
            ("working_groups:post_report", ()),
            ("working_groups:answer_accept", ()),
            ("working_groups:answer_clear", ()),
            ("forum_conversation:post_update", topic_args),
            ("forum_conversation:post_delete", topic_args),
        )
    )
    topic_update = reverse("forum_conversation:topic_update", args=topic_args)
    question = context["question"]
    # machina's edit and delete checks read the post only for whether the reader wrote it
    # (``_is_post_author``) and for its topic, the same for every post here: asked once for
    # the reader's posts and once for the others' (each asks the handler's permission checker
    # three times; twenty posts made 120 checks).
    edit_and_delete = {}

    def may_edit_and_delete(post):
        is_author = handler._is_post_author(post, user)
        if is_author not in edit_and_delete:
            edit_and_delete[is_author] = (
                handler.can_edit_post(post, user),
                handler.can_delete_post(post, user),
            )
        return edit_and_delete[is_author]

    for post in posts:
        post.topic = topic  # the handler's checks ask the post's topic and forum
        poster = post.poster
        post.author = (poster.get_display_name() if poster else "") or post.username
        post.handle = mention_handle(poster) if poster else ""
        own = signed_in and post.poster_id == user.pk
        post.can_like = may_like and not own
        post.like_url = like(post.pk)
        post.quote_url = quote(post.pk)
        post.report_url = report(post.pk) if signed_in and not own else ""
        post.answer_url = (
            (clear if question.answer_id == post.pk else accept)(post.pk)
            if context["can_accept_answer"] and not post.is_topic_head
            else ""
        )
        may_edit, may_delete = may_edit_and_delete(post)
        post.edit_url = (
            (topic_update if post.is_topic_head else update(post.pk)) if may_edit else ""
        )
        post.delete_url = delete(post.pk) if may_delete else ""


def _url_for_each(name, *args):
    """pk -> the address of URL ``name`` for that pk (its last argument, after ``args``):
    reversed once with a stand-in pk, whose place (the last) is then filled per post."""
    stand_in = "2147483647"
    pattern = reverse(name, args=(*args, int(stand_in)))
    head, _stand_in, tail = pattern.rpartition(stand_in)
    return lambda pk: f"{head}{pk}{tail}"


def _is_reply_form(form):
    """A form for a reply (new, or the edit of a post that is not the opening one)."""
    from machina.apps.forum_conversation.forms import TopicForm

    if isinstance(form, TopicForm) or form.topic is None:
        return False
    return not form.instance.pk or form.instance.pk != form.topic.first_post_id


def _share_request_permission_handler():
    """machina's post and topic forms make a permission handler each (its checks again, two
    queries); during a request they get the request's (forum.middleware)."""
    from machina.apps.forum_conversation import forms as conversation_forms

    from .middleware import request_permission_handler

    conversation_forms.PermissionHandler = request_permission_handler


def _patch_reply_subject():
    from machina.apps.forum_conversation.forms import PostForm

    original_init = PostForm.__init__
    original_create = PostForm.create_post

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if _is_reply_form(self):
            del self.fields["subject"]

    def create_post(self):
        if "subject" not in self.fields:
            self.cleaned_data["subject"] = ""
        return original_create(self)

    PostForm.__init__ = __init__
    PostForm.create_post = create_post


def _patch_topic_form_question():
    from django import forms as django_forms
    from machina.apps.forum_conversation.forms import TopicForm

    from . import services
    from .models import TopicQuestion

    original_init = TopicForm.__init__
    original_save = TopicForm.save

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        topic = self.instance.topic if self.instance.pk else None
        self.fields["is_question"] = django_forms.BooleanField(
            label=_("This is a question"),
            help_text=_("You or a moderator can then mark the reply that answers it."),
            required=False,
            initial=topic is not None and TopicQuestion.objects.filter(topic=topic).exists(),
        )

    def save(self, commit=True):
        post = original_save(self, commit)
        wanted = bool(self.cleaned_data.get("is_question"))
        if commit and wanted != bool(self.fields["is_question"].initial):
            services.topic_question_set(
                topic=post.topic, is_question=self.cleaned_data.get("is_question"), by=self.user
            )
        return post

    TopicForm.__init__ = __init__
    TopicForm.save = save


def _patch_topic_move_form():
    from machina.apps.forum_moderation.forms import TopicMoveForm

    original = TopicMoveForm.clean_forum

    def clean_forum(self):
        try:
            return original(self)
        except (ValueError, TypeError, ObjectDoesNotExist):
            raise ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": self.cleaned_data.get("forum")},
            ) from None

    TopicMoveForm.clean_forum = clean_forum


def apply():
    _patch_topic_move_form()
    _patch_topic_view()
    _patch_reply_subject()
    _share_request_permission_handler()
    _patch_topic_form_question()
    _patch_editor_media()
    _patch_quoting()
    _patch_permission_mixin()
    _patch_feeds()
    _patch_post_form()
    _patch_attachment_form()
    _private_attachments()
    _patch_member_views()
    _patch_tracking_and_subscriptions()
    _patch_subscriptions_to_watch_levels()
