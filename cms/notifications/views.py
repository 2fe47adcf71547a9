"""The one unsubscribe page (RFC 8058 one-click) for every e-mail the site sends."""

from django.core import signing
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .links import read_unsubscribe_token
from .services import preference_unsubscribe
from .topics import topic_get


def invalid_link(request, *, status=404):
    """The page of an unsubscribe link that no longer works (a forged token, a deleted saved
    search, an account that was closed): it says so and where to manage e-mails instead."""
    return render(request, "notifications/invalid_link.html", status=status)


@csrf_exempt  # RFC 8058: the mail client POSTs without cookies or a form; the token authorises
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows what the link stops and a button (so link scanners unsubscribe nobody);
    POST (that button, or the mail client's ``List-Unsubscribe=One-Click``) unsubscribes."""
    try:
        if request.method == "POST":
            done = preference_unsubscribe(token=token)
            return render(
                request,
                "notifications/unsubscribed.html",
                {"topic": done.topic, "target_name": done.target_name, "recipient": done.request},
            )
        wanted = read_unsubscribe_token(token)
        topic = topic_get(wanted.topic)
    except (signing.BadSignature, LookupError):
        return invalid_link(request)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"topic": topic, "target_name": topic.target_name(wanted.target), "recipient": wanted},
    )
