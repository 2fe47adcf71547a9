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
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.defaultfilters import filesizeformat
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
    from machina.apps.forum_feeds.feeds import LastTopicsFeed

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


def post_rate():
    """FORUM_POST_RATE_LIMIT posts per FORUM_POST_RATE_PERIOD seconds."""
    return f"{settings.FORUM_POST_RATE_LIMIT}/{settings.FORUM_POST_RATE_PERIOD}s"


def _patch_post_form():
    from machina.apps.forum_conversation.forms import PostForm

    original = PostForm.clean

    def clean(self):
        if (
            not self.instance.pk
            and self.user is not None
            and self.user.is_authenticated
            and ratelimit_exceeded(scope="forum.post", key=self.user.pk, rate=post_rate())
        ):
            raise ValidationError(
                _("You are posting too fast. Please wait a minute before you post again."),
                code="rate_limited",
            )
        return original(self)

    PostForm.clean = clean


def _patch_attachment_form():
    from machina.apps.forum_conversation.forum_attachments.forms import AttachmentForm

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

    original_queryset = TopicSubscriptionListView.get_queryset

    def get_queryset(self):
        readable = self.request.forum_permission_handler.get_readable_forums(
            Forum.objects.all(), self.request.user
        )
        return original_queryset(self).filter(forum__in=readable)

    TopicSubscriptionListView.get_queryset = get_queryset


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


def apply():
    _patch_quoting()
    _patch_permission_mixin()
    _patch_feeds()
    _patch_post_form()
    _patch_attachment_form()
    _private_attachments()
    _patch_member_views()
    _patch_tracking_and_subscriptions()
