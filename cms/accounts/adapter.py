import io

import segno
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.urls import translate_url
from django.utils.translation import get_language

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

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails (verification, password reset, notices) go through the outbox like
        every other e-mail: the page answers at once, and a mail-server outage is retried."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        email_queue_message(message, template=template_prefix)


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url):
        """The QR code to scan into an authenticator app, drawn by segno (already used for
        certificates) instead of the qrcode package."""
        buffer = io.BytesIO()
        segno.make(url, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False)
        return buffer.getvalue().decode()
