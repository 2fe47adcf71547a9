"""Site views of the working groups (machina serves the forums themselves)."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic

from cms.links import absolute_url
from cms.notifications import views as notification_views
from cms.notifications.links import unsubscribe_token
from cms.notifications.selectors import preference_frequency
from cms.notifications.services import preference_set

from . import notifications, permissions, selectors, services
from .forms import (
    InvitationForm,
    JoinRequestForm,
    NotificationPrefsForm,
    ReportForm,
    SearchForm,
    WatchLevelForm,
)
from .machina_overrides import quoted_text
from .models import FOLLOW_GROUP, Invitation, Membership, Report, WatchLevel, WorkingGroup


def _visible_group(request, slug):
    """The group, or 404 for anyone who may not see it (private groups do not leak)."""
    group = get_object_or_404(WorkingGroup.objects.select_related("forum", "topic"), slug=slug)
    if not permissions.can_see_group(request.user, group):
        raise Http404
    return group


def _managed_group(request, slug):
    group = _visible_group(request, slug)
    if not permissions.can_manage_group(request.user, group):
        raise PermissionDenied
    return group


def _errors(request, error):
    for message in error.messages:
        messages.error(request, message)


def group_list(request):
    """The working groups the visitor may see, each with their own membership's badge. The list
    is the same for every visitor whose memberships (and moderator role) are the same, so it is
    kept as a fragment for all of them (cms/fragments.py): the groups and their member counts
    are read only when it is not kept yet."""
    user = request.user
    my_memberships = {}
    if user.is_authenticated:
        my_memberships = {
            membership.group_id: membership for membership in Membership.objects.filter(user=user)
        }

    def groups():
        listed = list(selectors.groups_for_listing(user))
        for group in listed:
            group.my_membership = my_memberships.get(group.pk)
        return listed

    viewer = "anonymous"
    if user.is_authenticated:
        role = "superuser" if user.is_superuser else permissions.is_site_moderator(user)
        viewer = f"{role}:" + ",".join(
            f"{pk}.{m.state}.{m.role}" for pk, m in sorted(my_memberships.items())
        )
    return render(
        request,
        "working_groups/group_list.html",
        {"groups": SimpleLazyObject(groups), "viewer": viewer},
    )


@login_required
def my_groups(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .exclude(state__in=[Membership.State.LEFT, Membership.State.DECLINED])
        .select_related("group", "group__forum")
        .order_by("group__name")
    )
    return render(request, "working_groups/my_groups.html", {"memberships": memberships})


def group_detail(request, slug):
    group = _visible_group(request, slug)
    user = request.user
    membership = permissions.membership_of(user, group)
    topics = []
    can_read = bool(group.forum) and permissions.can_read_forum(
        user, group.forum, request.forum_permission_handler
    )
    if can_read:
        topics = list(
            group.forum.topics.filter(approved=True)
            .select_related("poster", "last_post", "last_post__poster")
            .order_by("-last_post_on")[:10]
        )
    coordinators = [
        m.user
        for m in group.memberships.active()
        .filter(role=Membership.Role.COORDINATOR)
        .select_related("user", "user__organisation")
    ]
    context = {
        "group": group,
        "membership": membership,
        "topics": topics,
        "coordinators": coordinators,
        "member_count": group.memberships.active().count(),
        "can_manage": permissions.can_manage_group(user, group),
        "can_watch": user.is_authenticated and can_read,
        "watch_form": WatchLevelForm(
            initial={"level": selectors.group_watch_level(user, group.forum)}
        ),
        "join_form": JoinRequestForm(),
        "pending_count": group.memberships.filter(state=Membership.State.REQUESTED).count()
        if permissions.can_manage_group(user, group)
        else 0,
    }
    return render(request, "working_groups/group_detail.html", context)


def group_join(request, slug):
    """Ask to join. A private group's page is reachable here only with the key of the link its
    coordinators share (``?key=``); everyone else gets 404."""
    group = get_object_or_404(WorkingGroup, slug=slug)
    key = request.GET.get("key", "")
    if not permissions.can_see_group(request.user, group) and not permissions.join_key_valid(
        group, key
    ):
        raise Http404
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={quote(request.get_full_path())}")
    form = JoinRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_request(
                group=group, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            if membership.is_active:
                messages.success(request, _("Welcome to %(group)s.") % {"group": group})
            else:
                messages.success(
                    request,
                    _("Your request was sent. The coordinators of %(group)s will answer soon.")
                    % {"group": group},
                )
        if not permissions.can_see_group(request.user, group):
            return redirect("working_groups:mine")
        return redirect(group)
    return render(request, "working_groups/group_join.html", {"group": group, "form": form})


@login_required
@require_POST
def group_leave(request, slug):
    group = _visible_group(request, slug)
    try:
        services.membership_leave(group=group, user=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect(group)
    messages.success(request, _("You left %(group)s.") % {"group": group})
    return redirect("working_groups:list")


WATCH_MESSAGES = {
    ("group", WatchLevel.WATCHING): _(
        "You are watching this group: every new post is e-mailed to you."
    ),
    ("topic", WatchLevel.WATCHING): _(
        "You are watching this topic: every new post is e-mailed to you."
    ),
    ("group", WatchLevel.NORMAL): _(
        "Notifications are normal: replies where you took part, quotes and mentions."
    ),
    ("topic", WatchLevel.NORMAL): _(
        "This topic is at normal, whatever the group's level: replies where you took part, "
        "quotes and mentions."
    ),
    ("topic", FOLLOW_GROUP): _("This topic follows the group's notification level again."),
    ("group", WatchLevel.MUTED): _(
        "This group is muted: no e-mail, and its topics are hidden from the new topics."
    ),
    ("topic", WatchLevel.MUTED): _(
        "This topic is muted: no e-mail, and it is hidden from the new topics."
    ),
}


@login_required
@require_POST
def watch(request, kind, pk):
    """Set the notification level of a group's forum or of a topic (watching, normal, muted)."""
    if kind == "group":
        target = get_object_or_404(Forum.objects.select_related("working_group"), pk=pk)
        forum = target
    elif kind == "topic":
        target = get_object_or_404(Topic.objects.select_related("forum"), pk=pk)
        forum = target.forum
    else:
        raise Http404
    if not permissions.can_read_forum(request.user, forum, request.forum_permission_handler):
        raise Http404
    form = WatchLevelForm(request.POST, kind=kind)
    if form.is_valid():
        level = form.cleaned_data["level"]
        services.watch_level_set(user=request.user, target=target, level=level)
        messages.success(request, WATCH_MESSAGES[(kind, level)])
    else:
        for error in form.errors.get("level", []):
            messages.error(request, error)
    if kind == "topic":
        return redirect(
            "forum_conversation:topic",
            forum_slug=forum.slug,
            forum_pk=forum.pk,
            slug=target.slug,
            pk=target.pk,
        )
    group = getattr(forum, "working_group", None)
    return redirect(group if group is not None else "working_groups:notifications")


@login_required
def group_manage(request, slug):
    group = _managed_group(request, slug)
    memberships = group.memberships.select_related("user", "user__organisation").order_by(
        "state", "user__display_name"
    )
    context = {
        "group": group,
        "requests": [m for m in memberships if m.state == Membership.State.REQUESTED],
        "members": [m for m in memberships if m.state == Membership.State.ACTIVE],
        "banned": [m for m in memberships if m.state == Membership.State.BANNED],
        "invitations": group.invitations.filter(accepted_at__isnull=True).order_by("-created"),
        "invitation_form": InvitationForm(),
        "join_link": absolute_url(
            reverse("working_groups:join", args=[group.slug])
            + "?key="
            + permissions.join_key(group)
        )
        if group.is_private
        else None,
    }
    return render(request, "working_groups/group_manage.html", context)


@login_required
@require_POST
def membership_decide(request, slug, pk, decision):
    group = _managed_group(request, slug)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, group=group)
    action = {"approve": services.membership_approve, "decline": services.membership_decline}.get(
        decision
    )
    if action is None:
        raise Http404
    try:
        action(membership=membership, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        if decision == "approve":
            messages.success(request, _("%(user)s is now a member.") % {"user": membership.user})
        else:
            messages.success(
                request, _("The request of %(user)s was declined.") % {"user": membership.user}
            )
    return redirect("working_groups:manage", slug=group.slug)


@login_required
@require_POST
def membership_ban(request, slug, pk):
    group = _managed_group(request, slug)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, group=group)
    try:
        services.membership_ban(group=group, user=membership.user, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("%(user)s is banned from this group.") % {"user": membership.user}
        )
    return redirect("working_groups:manage", slug=group.slug)


@login_required
@require_POST
def membership_role(request, slug, pk):
    group = _managed_group(request, slug)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, group=group)
    role = request.POST.get("role")
    if role not in Membership.Role.values:
        raise Http404
    try:
        services.membership_set_role(membership=membership, role=role, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("%(user)s is now %(role)s.")
            % {"user": membership.user, "role": membership.get_role_display().lower()},
        )
    return redirect("working_groups:manage", slug=group.slug)


@login_required
@require_POST
def group_invite(request, slug):
    group = _managed_group(request, slug)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_send(group=group, email=form.cleaned_data["email"], by=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
    else:
        for error in form.errors.get("email", []):
            messages.error(request, error)
    return redirect("working_groups:manage", slug=group.slug)


def invitation(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("group"), token=token)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            _errors(request, error)
            return redirect(request.path)
        messages.success(request, _("Welcome to %(group)s.") % {"group": invitation.group})
        return redirect(invitation.group)
    return render(request, "working_groups/invitation.html", {"invitation": invitation})


@login_required
def notification_settings(request):
    current = preference_frequency(topic=notifications.TOPIC_POSTS, user=request.user)
    form = NotificationPrefsForm(
        request.POST if request.method == "POST" else None, initial={"frequency": current}
    )
    if request.method == "POST" and form.is_valid():
        preference_set(
            topic=notifications.TOPIC_POSTS,
            frequency=form.cleaned_data["frequency"],
            user=request.user,
        )
        messages.success(request, _("Your e-mail preferences were saved."))
        return redirect("working_groups:notifications")
    return render(
        request,
        "working_groups/notifications.html",
        {"form": form, "watched": selectors.watched_and_muted(request.user)},
    )


@csrf_exempt  # the signed token is the authorisation; RFC 8058 one-click POSTs carry no cookie
def legacy_unsubscribe(request, token):
    """Links in e-mails sent before cms.notifications: they do what the site's one-click page
    does for the same subscription (GET asks, POST unsubscribes)."""
    try:
        data = signing.loads(
            token, salt=notifications.LEGACY_UNSUBSCRIBE_SALT, max_age=60 * 60 * 24 * 365
        )
        user = get_user_model().objects.get(pk=data["u"])
        if data["k"] == "topic":
            link = {
                "topic": notifications.TOPIC_DISCUSSION,
                "target": Topic.objects.get(pk=data["o"]),
            }
        elif data["k"] == "forum":
            link = {"topic": notifications.TOPIC_GROUP, "target": Forum.objects.get(pk=data["o"])}
        else:
            link = {"topic": notifications.TOPIC_POSTS}
    except (signing.BadSignature, ObjectDoesNotExist, KeyError, TypeError):
        return notification_views.invalid_link(request)
    return notification_views.unsubscribe(request, unsubscribe_token(user=user, **link))


def _readable_post(request, pk):
    post = get_object_or_404(Post.objects.select_related("topic", "topic__forum", "poster"), pk=pk)
    if not permissions.can_read_forum(
        request.user, post.topic.forum, request.forum_permission_handler
    ):
        raise Http404
    return post


@login_required
def post_report(request, pk):
    post = _readable_post(request, pk)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_report(
                post=post, reporter=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Thank you. The moderators will look at this post."))
        return redirect(notifications.post_url(post).removeprefix(_site_url()))
    return render(request, "working_groups/post_report.html", {"post": post, "form": form})


def _back_to(post):
    return redirect(notifications.post_url(post).removeprefix(_site_url()))


@login_required
@require_POST
def post_like(request, pk):
    """Like a post, or take the like back (the button toggles)."""
    post = _readable_post(request, pk)
    if post.poster_id == request.user.pk:
        messages.error(request, _("You cannot like your own post."))
        return _back_to(post)
    liked = services.post_like_toggle(post=post, user=request.user)
    if not liked:
        messages.success(request, _("You no longer like this post."))
    return _back_to(post)


@login_required
@require_POST
def answer_mark(request, pk, accept):
    """The topic's author or a moderator accepts the reply ``pk`` as the answer, or (``accept``
    false) opens the question again."""
    post = _readable_post(request, pk)
    if not permissions.can_accept_answer(
        request.user, post.topic, request.forum_permission_handler
    ):
        raise PermissionDenied
    try:
        if accept:
            services.answer_accept(post=post, by=request.user)
        else:
            services.answer_clear(topic=post.topic, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("The reply is marked as the accepted answer.")
            if accept
            else _("The question is open again: no answer is accepted."),
        )
    return _back_to(post)


def post_quote(request, pk):
    """The post as a Markdown quote, for the reply box's "Quote" action (plain text)."""
    post = _readable_post(request, pk)
    if not post.approved:
        raise Http404
    return HttpResponse(quoted_text(post), content_type="text/plain; charset=utf-8")


def _site_url():
    from django.conf import settings

    return settings.SITE_URL


@login_required
def moderation(request):
    forum_ids = permissions.moderated_forum_ids(request.user)
    if not forum_ids:
        raise PermissionDenied
    reports = (
        Report.objects.open()
        .filter(post__topic__forum_id__in=forum_ids)
        .select_related("post", "post__topic", "post__topic__forum", "post__poster", "reporter")
    )
    held = (
        Post.objects.filter(approved=False, topic__forum_id__in=forum_ids)
        .select_related("topic", "topic__forum", "poster")
        .order_by("created")[:50]
    )
    return render(
        request, "working_groups/moderation.html", {"reports": reports, "held_posts": held}
    )


@login_required
@require_POST
def report_resolve(request, pk, action):
    if action not in ("hide", "dismiss"):
        raise Http404
    report = get_object_or_404(Report.objects.select_related("post", "post__topic"), pk=pk)
    if report.post.topic.forum_id not in permissions.moderated_forum_ids(request.user):
        raise Http404
    if action == "hide":
        services.post_hide(post=report.post, by=request.user)
        messages.success(request, _("The post is hidden and back in the approval queue."))
    else:
        services.report_dismiss(report=report, by=request.user)
        messages.success(request, _("The report was dismissed."))
    return redirect("working_groups:moderation")


def search(request):
    form = SearchForm(request.GET or None)
    page = None
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            page = Paginator(selectors.search_posts(request.user, query), 20).get_page(
                request.GET.get("page")
            )
    return render(
        request, "working_groups/search.html", {"form": form, "page": page, "query": query}
    )
