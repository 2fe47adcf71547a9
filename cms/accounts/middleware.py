from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .two_factor import (
    ADMIN_PATH_PREFIXES,
    session_passed_two_factor,
    user_has_two_factor,
    user_requires_two_factor,
)


class AdminTwoFactorMiddleware:
    """People who may work in the Wagtail or Django admin enter it only after a sign-in with a
    second factor. Without an authenticator they are sent to set one up; with one, but signed in
    without it (e.g. they set it up in this session), they confirm a code first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith(ADMIN_PATH_PREFIXES)
            and request.user.is_authenticated
            and not session_passed_two_factor(request)
            and user_requires_two_factor(request.user)
        ):
            query = urlencode({"next": request.get_full_path()})
            if user_has_two_factor(request.user):
                return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
            messages.warning(
                request,
                _(
                    "The editing area needs two-factor authentication. Set up an authenticator "
                    "app, then sign in with its code."
                ),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
