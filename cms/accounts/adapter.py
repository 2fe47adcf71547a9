import io
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

import segno
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language

from cms.links import absolute_url, site_address
from cms.mail import email_queue_message

from . import roles
from .services import user_assign_role


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        if not user.preferred_language:
            user.preferred_language = get_language() or "en"
        if commit:
            user.save()
            # Every new account starts as a Trainee.
            user_assign_role(user=user, role=roles.TRAINEE)
        return user

    def get_login_redirect_url(self, request):
        """Send people to the site in the language they chose in their profile."""
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "preferred_language", None)
        return translate_url(url, language) if language else url

    def _get_login_attempts_cache_key(self, request, **credentials):
        """The account whose failed sign-ins are counted (allauth's per-key "login_failed" limit):
        the login alone, on the site's own host. allauth puts the request's host in the key, and
        without django.contrib.sites that is the Host header *with its port*, so every process
        on its own port (and every port an attacker writes into Host, which ALLOWED_HOSTS does
        not check) counted its own five guesses (tests/cms/test_sign_in_throttling.py)."""
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{site_address()[0]}:{login}"

    # Links in allauth's e-mails are on SITE_URL, not on the host the request came in on.
    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails (verification, password reset, notices) go through the outbox like
        every other e-mail: the page answers at once, and a mail-server outage is retried."""
        request = allauth_context.request
        ctx = {"request": request, "email": email}
        ctx.update(context)
        # "Hello from <site>!": the site's name and SITE_URL's host, not the request's host.
        ctx["current_site"] = SimpleNamespace(
            name=settings.WAGTAIL_SITE_NAME, domain=site_address()[0]
        )
        for name in ("password_reset_url", "signup_url"):  # the "no such account" e-mails
            if name in ctx:
                ctx[name] = absolute_url(urlsplit(ctx[name]).path)
        message = self.render_mail(template_prefix, email, ctx)
        email_queue_message(message, template=template_prefix)


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url):
        """The QR code to scan into an authenticator app, drawn by segno (already used for
        certificates) instead of the qrcode package."""
        buffer = io.BytesIO()
        segno.make(url, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False)
        return buffer.getvalue().decode()
