"""The one unsubscribe token of the site, and the links and headers built from it.

A token is a signed, compressed ``{topic, recipient, target}`` (``django.core.signing.Signer``
with its own salt and SECRET_KEY, rotated through SECRET_KEY_FALLBACKS; no timestamp, so the
same subscription always gets the same link). It names *what* to stop,
not a database row, so it works for topics whose preference is still the default, it never
expires (links in mails stay valid as RFC 8058 expects) and nothing is stored per e-mail sent.
See docs/notifications.md."""

from dataclasses import dataclass
from urllib.parse import urljoin

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.urls import reverse
from django.utils import translation

from cms.accounts.models import User

SALT = "cms.notifications.unsubscribe"


def unsubscribe_token(*, topic: str, user=None, email: str = "", target=None) -> str:
    if user is None and not email:
        raise ValueError("An unsubscribe link is for a user or an e-mail address")
    payload = {"t": topic}
    if user is not None:
        payload["u"] = user.pk
    else:
        payload["e"] = email.strip().lower()
    if target is not None:
        payload["m"] = target._meta.label_lower
        payload["o"] = target.pk
    return signing.Signer(salt=SALT).sign_object(payload, compress=True)


@dataclass
class UnsubscribeRequest:
    topic: str
    user: User | None
    email: str
    target: Model | None

    @property
    def address(self) -> str:
        return self.user.email if self.user is not None else self.email


def read_unsubscribe_token(token: str) -> UnsubscribeRequest:
    """The topic, recipient and target a token names. Raises signing.BadSignature for a forged
    token and LookupError when the user or the target no longer exists."""
    data = signing.Signer(salt=SALT).unsign_object(token)
    user = target = None
    try:
        if "u" in data:
            user = get_user_model().objects.get(pk=data["u"])
        if "m" in data:
            target = apps.get_model(data["m"])._default_manager.get(pk=data["o"])
    except ObjectDoesNotExist as error:
        raise LookupError(str(error)) from error
    return UnsubscribeRequest(topic=data["t"], user=user, email=data.get("e", ""), target=target)


def _absolute(path: str) -> str:
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path.lstrip("/"))


def unsubscribe_url(
    *, topic: str, user=None, email: str = "", target=None, language: str | None = None
) -> str:
    """Absolute link to the one-click unsubscribe page (in ``language``, else the active one)."""
    token = unsubscribe_token(topic=topic, user=user, email=email, target=target)
    with translation.override(language or translation.get_language()):
        return _absolute(reverse("notifications:unsubscribe", args=[token]))


def unsubscribe_headers(
    *, topic: str, user=None, email: str = "", target=None, language: str | None = None
) -> dict[str, str]:
    """``List-Unsubscribe`` and ``List-Unsubscribe-Post`` (RFC 8058 one-click): a mail client
    POSTs ``List-Unsubscribe=One-Click`` to the link, without cookies or a form."""
    url = unsubscribe_url(topic=topic, user=user, email=email, target=target, language=language)
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def content_type_of(target) -> ContentType:
    return ContentType.objects.get_for_model(target, for_concrete_model=False)
