"""Subscribe (double opt-in), confirm and unsubscribe. No account needed."""

from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cms.notifications import views as notification_views
from cms.notifications.links import unsubscribe_token

from . import services
from .forms import SubscribeForm
from .models import NEWSLETTER_TOPIC, Subscription
from .tokens import read_confirm_token, read_legacy_unsubscribe_token


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(
        request.POST or None,
        initial={"email": request.GET.get("email", ""), "regions": request.GET.getlist("region")},
    )
    if request.method == "POST" and form.is_valid():
        services.subscription_request(
            email=form.cleaned_data["email"],
            regions=list(form.cleaned_data["regions"]),
            language=get_language(),
        )
        return redirect("newsletters:pending")
    return render(request, "newsletters/subscribe.html", {"form": form})


def pending(request):
    return render(request, "newsletters/pending.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button; only the POST confirms, so link scanners of mail providers that
    fetch every link cannot subscribe anyone."""
    try:
        email, _region_ids = read_confirm_token(token)
    except signing.SignatureExpired:
        return render(request, "newsletters/confirm.html", {"expired": True}, status=410)
    except signing.BadSignature as error:
        raise Http404("Unknown confirmation link") from error
    if request.method == "POST":
        subscriptions = services.subscription_confirm(token=token)
        return render(
            request, "newsletters/confirmed.html", {"email": email, "subscriptions": subscriptions}
        )
    return render(request, "newsletters/confirm.html", {"email": email})


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a form; the token authorises
@require_http_methods(["GET", "POST"])
def legacy_unsubscribe(request, token):
    """Links in issues sent before the site had one unsubscribe mechanism: they do what the
    one-click page does (GET asks, POST unsubscribes)."""
    try:
        subscription = Subscription.objects.select_related("region").get(
            pk=read_legacy_unsubscribe_token(token)
        )
    except (signing.BadSignature, ValueError, Subscription.DoesNotExist):
        return notification_views.invalid_link(request)
    return notification_views.unsubscribe(
        request,
        unsubscribe_token(
            topic=NEWSLETTER_TOPIC, email=subscription.email, target=subscription.region
        ),
    )
