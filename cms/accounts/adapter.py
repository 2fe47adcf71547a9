from allauth.account.adapter import DefaultAccountAdapter
from django.urls import translate_url
from django.utils.translation import get_language

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
