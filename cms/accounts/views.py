import json

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .forms import AccountDeleteForm, ProfileForm
from .privacy import user_delete_account, user_personal_data


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect(translate_url(request.path, user.preferred_language))
    return render(request, "accounts/profile.html", {"form": form})


def _next_url(request, default):
    url = request.GET.get(REDIRECT_FIELD_NAME) or default
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    return url


def _sign_in_through_allauth(request, *, default_next, may_enter):
    """Send a visitor to allauth's sign-in page, keeping ``next``.

    Wagtail's admin login, its page-privacy login and the Django admin's login resolve here
    instead of their own views, so every password goes through allauth: e-mail verification,
    rate limits and two-factor authentication. A POST is answered with a plain redirect
    (a GET), so a password sent here is never looked at. Signed-in people go on to ``next``
    when ``may_enter(user)``, otherwise they get a 403 page (not a redirect loop between the
    protected page and the sign-in page)."""
    next_url = _next_url(request, default_next)
    if request.user.is_authenticated:
        if may_enter(request.user):
            return redirect(next_url)
        raise PermissionDenied
    return redirect_to_login(next_url, login_url=reverse("account_login"))


def admin_login(request):
    """Wagtail's admin login (/admin/login/ and WAGTAILADMIN_LOGIN_URL)."""
    return _sign_in_through_allauth(
        request,
        default_next=reverse("wagtailadmin_home"),
        may_enter=lambda user: user.has_perm("wagtailadmin.access_admin"),
    )


def django_admin_login(request):
    """The Django admin's login (/django-admin/login/)."""
    return _sign_in_through_allauth(
        request,
        default_next=reverse("admin:index"),
        may_enter=lambda user: user.is_active and user.is_staff,
    )


def page_privacy_login(request):
    """Wagtail's login for private pages (/_util/login/ and WAGTAIL_FRONTEND_LOGIN_URL).
    A signed-in visitor sent here may not see the page: 403."""
    return _sign_in_through_allauth(request, default_next="/", may_enter=lambda user: False)


@login_required
def privacy(request):
    """The person's data: download it all, or delete the account (with the password)."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user_delete_account(user=request.user)
        logout(request)
        messages.success(request, _("Your account has been deleted."))
        return redirect("/")
    return render(request, "accounts/privacy.html", {"form": form})


@login_required
@require_GET
def privacy_export(request):
    """Everything the site holds about the signed-in person, as a JSON download."""
    data = user_personal_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json"
    )
    filename = f"textile-virtual-centre-my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
