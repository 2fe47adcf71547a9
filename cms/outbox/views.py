"""Staff view of the outbox in the Wagtail admin (Settings → E-mail outbox): the dead letters
(and what waits), with the error of the last attempt, and a button to try them again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import EmailStatus, OutgoingEmail

PERMISSION = "outbox.change_outgoingemail"
PER_PAGE = 50


def _check(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def outbox_index(request):
    _check(request)
    status = request.GET.get("status", EmailStatus.FAILED)
    if status not in EmailStatus.values:
        status = EmailStatus.FAILED
    emails = (
        OutgoingEmail.objects.filter(status=status)
        .order_by("-created_at")
        .only(
            "pk",
            "to",
            "subject",
            "template",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "created_at",
            "sent_at",
        )
    )
    query = request.GET.get("q", "").strip()[:200]
    if query:
        emails = emails.filter(to__icontains=query)
    page = Paginator(emails, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "outbox/index.html",
        {
            "page": page,
            "status": status,
            "statuses": EmailStatus.choices,
            "query": query,
            "backlog": services.outbox_backlog(),
        },
    )


@require_POST
def outbox_retry(request):
    _check(request)
    ids = [value for value in request.POST.getlist("email") if value.isdigit()]
    if request.POST.get("all") == "failed":
        emails = OutgoingEmail.objects.dead()
    else:
        emails = OutgoingEmail.objects.filter(pk__in=ids)
    count = services.outbox_retry(emails=emails)
    messages.success(request, _("%(count)s e-mails will be sent again.") % {"count": count})
    return redirect("outbox_index")
