from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils.translation import gettext as _

from .forms import ProfileForm


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect(translate_url(request.path, user.preferred_language))
    return render(request, "accounts/profile.html", {"form": form})


def admin_login(request):
    """Where Wagtail sends people it will not let into the admin (WAGTAILADMIN_LOGIN_URL).
    Signed-out people go to the site's sign-in page; signed-in people without an editing role
    get a 403 page instead of a redirect loop between the admin and the sign-in page."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(
        request.GET.get(REDIRECT_FIELD_NAME, "/admin/"), login_url=reverse("account_login")
    )
