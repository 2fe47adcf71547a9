"""The listing page reads its listing through ``exchange.selectors.listing_for_page``, kept
until one of its tables is written (cms/tablecache.py), and asks ``Listing.is_visible_to``
whether the reader may see it: the same answer as ``Listing.objects.visible_to``."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms import tablecache
from exchange.models import CompositionLine, Listing, ListingState
from tests.exchange.factories import ListingFactory, SiteFactory, member_of
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def listing_reads(captured):
    return [q["sql"] for q in captured if 'FROM "exchange_listing"' in q["sql"]]


def test_a_warm_listing_page_reads_no_listing_and_every_change_shows_at_once(client, recycler):
    listing = ListingFactory(title="Denim cuttings", composition={"cotton": 98, "elastane": 2})
    client.force_login(recycler.user)
    url = listing.get_absolute_url()
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    assert "Denim cuttings" in html and "Send inquiry" in html and "5%" not in html
    assert listing_reads(captured) == []
    assert not [q for q in captured if "exchange_compositionline" in q["sql"]]

    Listing.objects.filter(pk=listing.pk).update(title="Denim and chambray cuttings")
    assert "Denim and chambray cuttings" in client.get(url).content.decode()
    CompositionLine.objects.filter(listing=listing, fibre="elastane").update(percent=5)
    assert "5%" in client.get(url).content.decode()
    # closed: gone at once for everyone but its organisation
    Listing.objects.filter(pk=listing.pk).update(state=ListingState.CLOSED)
    assert client.get(url).status_code == 404
    # made-up ids are not kept
    stored = set(tablecache._local)
    for made_up in range(listing.pk + 100, listing.pk + 105):
        assert client.get(url.replace(f"/{listing.pk}/", f"/{made_up}/")).status_code == 404
    assert set(tablecache._local) == stored


def test_a_draft_is_shown_to_its_organisation_only_however_it_was_kept(client):
    draft = ListingFactory(title="Unpublished wool", state=ListingState.DRAFT)
    owner, outsider = member_of(draft.organisation), UserFactory()
    url = draft.get_absolute_url()
    for _visit in range(2):
        client.force_login(owner)
        assert "Unpublished wool" in client.get(url).content.decode()
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        client.logout()
        assert client.get(url).status_code == 404


def test_is_visible_to_agrees_with_visible_to():
    """Every state, verified or not, to the organisation's member, another member, a visitor."""
    organisation_verified = [True, False]
    readers = ["own", "other", "anonymous"]
    for state, verified, reader in itertools.product(
        ListingState.values, organisation_verified, readers
    ):
        organisation = OrganisationFactory(verified_at=timezone.now() if verified else None)
        listing = ListingFactory(
            organisation=organisation, site=SiteFactory(organisation=organisation), state=state
        )
        if reader == "own":
            user = member_of(organisation)
        elif reader == "other":
            user = member_of(OrganisationFactory())
        else:
            user = AnonymousUser()
        own_ids = {organisation.pk} if reader == "own" else set()
        queryset = Listing.objects.visible_to(user)
        expected = queryset.filter(pk=listing.pk).exists()
        read = Listing.objects.select_related("organisation").get(pk=listing.pk)
        assert read.is_visible_to(own_ids) == expected, (state, verified, reader)


def test_the_organisations_a_member_acts_for_are_kept_and_follow_an_approval_at_once(client):
    """The organisations a member acts for (exchange.views._organisations) are kept until a
    membership is written: a warm page asks nothing about them, and a draft of an organisation
    whose membership is approved, or withdrawn, shows, or is gone, at once."""
    from exchange.models import Membership

    user = UserFactory()
    first = OrganisationFactory(name="Widzew Knitwear")
    member_of(first, user=user)
    second = OrganisationFactory(name="Prato Rags")
    member_of(second, user=user)
    pending = Membership.objects.get(organisation=second, user=user)
    Membership.objects.filter(pk=pending.pk).update(approved_at=None)
    draft = ListingFactory(organisation=second, title="Wool offcuts", state=ListingState.DRAFT)
    client.force_login(user)
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 404
    assert not [q for q in captured if "exchange_membership" in q["sql"]]
    Membership.objects.filter(pk=pending.pk).update(approved_at=timezone.now())
    assert "Wool offcuts" in client.get(url).content.decode()
    Membership.objects.filter(pk=pending.pk).delete()
    assert client.get(url).status_code == 404


@pytest.mark.usefixtures("kept_pages")
def test_the_kept_listing_page_is_each_members_own_and_follows_their_inquiry_at_once(
    client, recycler
):
    """A signed-in member's listing page is kept for them (listing_detail.html): the inquiry
    they send shows as their conversation at once, and a member of another organisation gets
    the contact form, not that conversation."""
    from exchange.services import inquiry_start

    listing = ListingFactory(title="Denim cuttings")
    url = listing.get_absolute_url()
    client.force_login(recycler.user)
    assert "Send inquiry" in client.get(url).text
    client.get(url)
    inquiry_start(
        listing=listing, user=recycler.user, organisation=recycler.organisation, body="Hello"
    )
    assert "Open your conversation" in client.get(url).text
    other = UserFactory()
    member_of(OrganisationFactory(name="Prato Rags"), user=other)
    client.force_login(other)
    html = client.get(url).text
    assert "Open your conversation" not in html and "Send inquiry" in html
