"""The exchange's key pages for `manage.py bench_pages` (BENCH_PAGES hook): browse with
filters, the matches of an organisation that has some (the member joins it), and the best
matched offer."""

from django.urls import reverse
from django.utils import timezone

from cms.hooks import KeyPage

from .models import Match, Membership, MembershipRole


def exchange_pages(*, member):
    match = Match.objects.select_related("wanted", "offer").order_by("-score", "pk").first()
    Membership.objects.get_or_create(
        organisation_id=match.wanted.organisation_id,
        user=member,
        defaults={"role": MembershipRole.MEMBER, "approved_at": timezone.now()},
    )
    return [
        KeyPage(
            "exchange browse, filtered",
            reverse("exchange:browse") + "?kind=offer&fibre=cotton&sort=newest",
        ),
        KeyPage("matches", reverse("exchange:matches"), signed_in_only=True),
        KeyPage("listing", reverse("exchange:listing_detail", kwargs={"pk": match.offer_id})),
    ]
