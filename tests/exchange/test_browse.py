from decimal import Decimal

import pytest
from django.urls import reverse

from exchange.models import Certification, ListingState
from tests.exchange.factories import ListingFactory, SiteFactory, VerifiedOrganisationFactory
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
BROWSE = reverse("exchange:browse")


def titles(response):
    return [listing.title for listing in response.context["listings"]]


def test_only_public_listings_are_browsable(client):
    ListingFactory(title="Active cotton")
    ListingFactory(title="Draft cotton", state=ListingState.DRAFT)
    ListingFactory(title="Closed cotton", state=ListingState.CLOSED)
    ListingFactory(title="Unverified cotton", organisation=OrganisationFactory(verified_at=None))
    assert titles(client.get(BROWSE)) == ["Active cotton"]


def test_filters(client):
    lodz = VerifiedOrganisationFactory()
    ListingFactory(
        title="Wool offer",
        composition={"wool": 100},
        waste_code="04 02 21",
        origin="post_consumer",
        organisation=lodz,
    )
    cert = ListingFactory(
        title="GRS polyester",
        composition={"polyester": 100},
        quantity=Decimal("2"),
        unit="t",
        form="fibre",
    )
    Certification.objects.create(listing=cert, scheme="GRS", number="CU-1")
    ListingFactory(title="Wanted cotton", kind="wanted")
    assert titles(client.get(BROWSE, {"kind": "wanted"})) == ["Wanted cotton"]
    assert titles(client.get(BROWSE, {"fibre": "wool"})) == ["Wool offer"]
    assert titles(client.get(BROWSE, {"waste_code": "04 02 21"})) == ["Wool offer"]
    assert titles(client.get(BROWSE, {"origin": "post_consumer"})) == ["Wool offer"]
    assert titles(client.get(BROWSE, {"form": "fibre"})) == ["GRS polyester"]
    assert titles(client.get(BROWSE, {"certification": "GRS"})) == ["GRS polyester"]
    assert titles(client.get(BROWSE, {"min_quantity": "1500"})) == ["GRS polyester"]
    assert set(titles(client.get(BROWSE, {"max_quantity": "1000"}))) == {
        "Wool offer",
        "Wanted cotton",
    }
    assert titles(client.get(BROWSE, {"region": lodz.region.slug})) == ["Wool offer"]


def test_radius_search_and_nearest_sort(client):
    prato = SiteFactory(latitude=43.88, longitude=11.10, city="Prato", country="IT")
    biella = SiteFactory(latitude=45.57, longitude=8.05, city="Biella", country="IT")
    lodz = SiteFactory(latitude=51.76, longitude=19.46)
    for site, title in ((prato, "Prato"), (biella, "Biella"), (lodz, "Lodz")):
        ListingFactory(site=site, organisation=site.organisation, title=title)
    response = client.get(BROWSE, {"near": "prato", "radius": "400"})
    assert sorted(titles(response)) == ["Biella", "Prato"]
    response = client.get(BROWSE, {"near": "lodz", "sort": "nearest"})
    assert titles(response) == ["Lodz", "Biella", "Prato"] or titles(response)[0] == "Lodz"
    assert response.context["listings"][0].distance < 5
    response = client.get(BROWSE, {"radius": "100"})
    assert "Choose a place" in response.content.decode()


def test_quality_filter_and_sort(client):
    ListingFactory(title="Poor", quality_score=30)
    ListingFactory(title="Rich", quality_score=90)
    assert titles(client.get(BROWSE, {"min_quality": "50"})) == ["Rich"]
    assert titles(client.get(BROWSE, {"sort": "quality"})) == ["Rich", "Poor"]


def test_browse_queries_do_not_grow(client, django_assert_max_num_queries):
    for _ in range(3):
        ListingFactory(composition={"cotton": 60, "polyester": 40})
    client.get(BROWSE)  # the first request of a site creates its SiteLook
    with django_assert_max_num_queries(10):
        client.get(BROWSE, {"fibre": "cotton", "near": "lodz", "radius": "500", "sort": "nearest"})
    for _ in range(15):
        ListingFactory(composition={"cotton": 60, "polyester": 40})
    with django_assert_max_num_queries(10):
        response = client.get(
            BROWSE, {"fibre": "cotton", "near": "lodz", "radius": "500", "sort": "nearest"}
        )
    assert len(response.context["listings"]) == 18


def test_map_view_has_markers_and_no_remote_tiles(client, settings):
    settings.EXCHANGE_MAP_TILE_URL = ""
    ListingFactory(title="On the map")
    response = client.get(BROWSE, {"view": "map"})
    content = response.content.decode()
    assert response.context["markers"][0]["title"] == "On the map"
    assert "exchange/vendor/leaflet/leaflet.js" in content
    assert 'data-tile-url=""' in content


def test_best_match_sort_uses_stored_matches(client, producer, recycler):
    from exchange.matching import listing_matches_recompute

    wanted = ListingFactory(
        kind="wanted",
        organisation=recycler.organisation,
        site=recycler.organisation.exchange_sites.get(),
        limits={"cotton": (90, None)},
    )
    ListingFactory(title="Unrelated wool", composition={"wool": 100}, waste_code="04 02 21")
    good = ListingFactory(
        title="Good cotton",
        organisation=producer.organisation,
        site=producer.organisation.exchange_sites.get(),
    )
    listing_matches_recompute(listing_id=wanted.pk)
    client.force_login(recycler.user)
    response = client.get(BROWSE, {"kind": "offer", "sort": "best"})
    assert titles(response)[0] == good.title


def test_bad_filter_values_get_messages_and_the_valid_filters_still_apply(client):
    ListingFactory(title="Wool offer", composition={"wool": 100})
    ListingFactory(title="Cotton offer", composition={"cotton": 100})
    response = client.get(
        BROWSE,
        {
            "fibre": "wool",
            "kind": "bogus",
            "min_quantity": "lots",
            "max_quantity": "1e400",
            "radius": "99999999999999999999",
            "near": "atlantis",
            "region": "nowhere",
            "min_quality": "-5",
            "sort": "cheapest",
            "q": "wool\x00",
            "page": "x",
        },
    )
    assert response.status_code == 200
    assert titles(response) == ["Wool offer"]
    form = response.context["form"]
    assert set(form.errors) >= {"kind", "min_quantity", "radius", "near", "region", "sort", "q"}
    content = response.content.decode()
    assert "Some filters could not be applied" in content
    assert "Select a valid choice" in content


def test_a_radius_needs_a_place_and_quantities_an_order(client):
    ListingFactory(title="Anywhere")
    response = client.get(BROWSE, {"radius": "100", "min_quantity": "10", "max_quantity": "5"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "near" in errors and "max_quantity" in errors


def test_saved_searches_refuse_nul_bytes_and_alerts_survive_stored_ones(client, user):
    from exchange.models import SavedSearch
    from exchange.tasks import saved_search_results

    client.force_login(user)
    response = client.post(
        reverse("exchange:saved_searches"),
        {"name": "Cotton\x00", "frequency": "daily", "query": "fibre=cotton\x00"},
        follow=True,
    )
    assert response.status_code == 200
    assert not SavedSearch.objects.exists()
    assert "was not saved" in response.content.decode()
    # A query stored before this check: the bad filter is left out, never a crash.
    ListingFactory(title="Cotton", composition={"cotton": 100})
    saved = SavedSearch.objects.create(user=user, name="Old", query="fibre=cotton&q=%00")
    assert [listing.title for listing in saved_search_results(saved)] == ["Cotton"]


def _best_first_expected(*, wanted, others_newest_first):
    """The offers matched with ``wanted`` by stored score (newest first among equals), then
    every other offer newest first: the order sort=best promises."""
    from exchange.models import Match

    matched = [
        match.offer.title
        for match in Match.objects.filter(wanted=wanted)
        .select_related("offer")
        .order_by("-score", "-offer__published_at", "-offer_id")
    ]
    return matched + [title for title in others_newest_first if title not in matched]


def test_best_match_sort_follows_the_stored_matches_as_they_change(
    client, producer, recycler, monkeypatch
):
    from exchange import views
    from exchange.matching import listing_matches_recompute
    from exchange.services import listing_set_state

    monkeypatch.setattr(views, "PAGE_SIZE", 2)  # the order must hold across the page breaks
    site = producer.organisation.exchange_sites.get()
    wanted = ListingFactory(
        kind="wanted",
        title="Wanted cotton",
        organisation=recycler.organisation,
        site=recycler.organisation.exchange_sites.get(),
        limits={"cotton": (60, None)},
    )
    offers = {
        title: ListingFactory(
            title=title,
            organisation=producer.organisation,
            site=site,
            composition=composition,
            quantity=Decimal(quantity),
        )
        for title, composition, quantity in [
            ("Pure cotton, large lots", {"cotton": 100}, 5000),
            ("Cotton-polyester", {"cotton": 60, "polyester": 40}, 5000),
            ("Wool", {"wool": 100}, 5000),
            ("Pure cotton, small lots", {"cotton": 100}, 100),
            ("Acrylic", {"acrylic": 100}, 5000),
        ]
    }
    listing_matches_recompute(listing_id=wanted.pk)
    client.force_login(recycler.user)

    def browsed():
        titles_seen, page = [], 1
        while True:
            response = client.get(BROWSE, {"kind": "offer", "sort": "best", "page": page})
            titles_seen += titles(response)
            if not response.context["listings"].has_next():
                return titles_seen
            page += 1

    newest_first = ["Acrylic", "Pure cotton, small lots", "Wool", "Cotton-polyester"]
    newest_first += ["Pure cotton, large lots"]
    order = browsed()
    # 100% cotton in large lots first; 60% cotton in large lots beats 100% in small ones.
    assert order == [
        "Pure cotton, large lots",
        "Cotton-polyester",
        "Pure cotton, small lots",
        "Acrylic",
        "Wool",
    ]
    assert order == _best_first_expected(wanted=wanted, others_newest_first=newest_first)

    # The best offer is closed: its matches go, it drops out of the browsable listings.
    listing_set_state(
        listing=offers["Pure cotton, large lots"], user=producer.user, state=ListingState.CLOSED
    )
    newest_first.remove("Pure cotton, large lots")
    assert browsed() == ["Cotton-polyester", "Pure cotton, small lots", "Acrylic", "Wool"]
    # A new, better offer is matched when it is published; the buyer's limit then changes so
    # that only pure cotton passes: the cotton-polyester offer joins the unmatched, newest first.
    better = ListingFactory(
        title="Pure cotton, monthly tonnes",
        organisation=producer.organisation,
        site=site,
        quantity=Decimal(20000),
    )
    listing_matches_recompute(listing_id=better.pk)
    newest_first.insert(0, better.title)
    assert browsed()[:2] == ["Pure cotton, monthly tonnes", "Cotton-polyester"]
    wanted.fibre_limits.update(min_percent=90)
    listing_matches_recompute(listing_id=wanted.pk)
    assert browsed() == [
        "Pure cotton, monthly tonnes",
        "Pure cotton, small lots",
        "Acrylic",
        "Wool",
        "Cotton-polyester",
    ]
    # The seller sees the same from the other side: the wanted listing matched first.
    ListingFactory(kind="wanted", title="Unmatched wanted")
    client.force_login(producer.user)
    response = client.get(BROWSE, {"kind": "wanted", "sort": "best"})
    assert titles(response) == ["Wanted cotton", "Unmatched wanted"]


def test_best_match_sort_queries_do_not_grow(
    client, producer, recycler, django_assert_max_num_queries
):
    from exchange.matching import listing_matches_recompute

    wanted = ListingFactory(
        kind="wanted",
        organisation=recycler.organisation,
        site=recycler.organisation.exchange_sites.get(),
    )
    client.force_login(recycler.user)

    def offers(count):
        for _ in range(count):
            ListingFactory(organisation=producer.organisation)
            ListingFactory(composition={"wool": 100})  # not matched
        listing_matches_recompute(listing_id=wanted.pk)

    offers(2)
    client.get(BROWSE, {"sort": "best"})
    # The listings' own: count, best scores, the matched page, its fibres, the rest, its fibres.
    with django_assert_max_num_queries(17):
        first = client.get(BROWSE, {"sort": "best"})
    offers(15)
    for page in (1, 2):
        with django_assert_max_num_queries(17):
            response = client.get(BROWSE, {"sort": "best", "page": page})
    assert len(first.context["listings"]) == 5
    assert response.context["listings"].paginator.count == 35


def test_large_results_say_more_than_and_every_listing_is_reached(client, monkeypatch):
    """Past a limit the page says "more than N listings" instead of counting them all; the
    page links stop at the limit, always past the current page, and "Next" leads on to the
    last listing, where the total is exact again."""
    from exchange import pagination, views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(pagination, "CAP", 4)
    monkeypatch.setattr(pagination, "PAGES_AHEAD", 1)
    site = SiteFactory()
    for number in range(10):
        ListingFactory(title=f"Lot {number}", organisation=site.organisation, site=site)
    seen, page, headings = [], 1, []
    while True:
        response = client.get(BROWSE, {"page": page})
        listings = response.context["listings"]
        seen += titles(response)
        headings.append(response.content.decode().split('id="results-heading">')[1].split("<")[0])
        if not listings.has_next():
            break
        page += 1
    assert sorted(seen) == sorted(f"Lot {number}" for number in range(10))
    assert len(seen) == 10 and page == 5
    assert headings[:2] == ["More than 4 listings", "More than 6 listings"]
    assert headings[-1] == "10 listings"
    first = client.get(BROWSE)
    assert [str(n) for n in first.context["listings"].paginator.page_range] == ["1", "2"]
    assert 'rel="next"' in first.content.decode()


def test_a_short_result_and_the_last_page_cost_no_count(client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exchange import pagination, views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(pagination, "CAP", 4)
    site = SiteFactory()
    for number in range(3):
        ListingFactory(title=f"Lot {number}", organisation=site.organisation, site=site)
    client.get(BROWSE)  # the first request of a site creates its SiteLook

    def counts(query):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(BROWSE, query)
        return response, [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]

    response, counted = counts({"q": "Lot 1"})
    assert titles(response) == ["Lot 1"] and counted == []
    assert "1 listing<" in response.content.decode()
    response, counted = counts({"page": 2})
    assert titles(response) == ["Lot 0"] and counted == []
    assert response.context["listings"].paginator.count == 3
    # A full first page with more after it: one count, stopped at the limit.
    response, counted = counts({})
    assert len(counted) == 1 and "LIMIT" in counted[0].upper()
    assert "3 listings<" in response.content.decode()
    # A page past the end, or not a number: the last page, the first page.
    assert titles(client.get(BROWSE, {"page": 99})) == ["Lot 0"]
    assert titles(client.get(BROWSE, {"page": "99999999999999999999999"})) == ["Lot 0"]
    assert titles(client.get(BROWSE, {"page": "-3"})) == ["Lot 2", "Lot 1"]


def test_a_card_shows_the_listing_in_the_visitors_language(client):
    """The card's labels (kind, fibres, unit, rhythm, form) in English and in Polish."""
    ListingFactory(
        title="Knit cuttings",
        composition={"cotton": 60, "polyester": 40},
        remaining_quantity=Decimal("1250.50"),
        supply_pattern="month",
        form="fabric_cuttings",
    )
    card = client.get(BROWSE).content.decode().split('class="card listing-card')[1]
    assert ">Offer</span>" in card
    assert "60% cotton, 40% polyester" in card
    assert "LoW 04 02 22 · 1250.50 kg per month · Fabric cuttings" in " ".join(card.split())
    card = client.get("/pl" + BROWSE).content.decode().split('class="card listing-card')[1]
    assert ">Oferta</span>" in card
    assert "60% bawełna, 40% poliester" in card
    assert "1250,50 kg miesięcznie · Ścinki tkanin" in " ".join(card.split())


def test_best_match_sort_checks_the_filters_a_batch_at_a_time(
    client, producer, recycler, monkeypatch
):
    """The matched listings are checked against the filters in batches from the best score
    down; with batches of one, equal scores (told apart by date) and filtered-out matches, the
    order is still best first, newest first among equals, then the rest newest first."""
    from exchange import views
    from exchange.filters import BestMatchesFirst
    from exchange.matching import listing_matches_recompute
    from exchange.models import Match

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(BestMatchesFirst, "FIRST_BATCH", 1)
    monkeypatch.setattr(BestMatchesFirst, "GROWTH", 2)
    site = producer.organisation.exchange_sites.get()
    wanted = ListingFactory(
        kind="wanted",
        organisation=recycler.organisation,
        site=recycler.organisation.exchange_sites.get(),
        limits={"cotton": (60, None)},
    )
    for title, composition, form in [
        ("Twin cotton A", {"cotton": 100}, "fabric_cuttings"),
        ("Cotton fibre", {"cotton": 100}, "fibre"),  # matched, filtered out by form
        ("Twin cotton B", {"cotton": 100}, "fabric_cuttings"),
        ("Cotton-polyester", {"cotton": 60, "polyester": 40}, "fabric_cuttings"),
        ("Wool", {"wool": 100}, "fabric_cuttings"),
    ]:
        ListingFactory(
            title=title,
            organisation=producer.organisation,
            site=site,
            composition=composition,
            form=form,
        )
    listing_matches_recompute(listing_id=wanted.pk)
    matches = Match.objects.filter(wanted=wanted, offer__form="fabric_cuttings")
    scores = {match.offer.title: match.score for match in matches.select_related("offer")}
    assert scores["Twin cotton A"] == scores["Twin cotton B"] > scores["Cotton-polyester"]
    assert "Wool" not in scores
    client.force_login(recycler.user)
    order, page = [], 1
    while True:
        response = client.get(
            BROWSE, {"kind": "offer", "form": "fabric_cuttings", "sort": "best", "page": page}
        )
        order += titles(response)
        if not response.context["listings"].has_next():
            break
        page += 1
    assert order == ["Twin cotton B", "Twin cotton A", "Cotton-polyester", "Wool"]


def test_text_search_can_use_the_trigram_indexes_on_postgresql():
    """The indexes of migration 0012 are on the very expressions the text filter compares
    (the planner would otherwise read every listing)."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.http import QueryDict

    from exchange.filters import ListingFilter

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's")
    from exchange.models import Listing

    ListingFactory(title="Denim offcuts")
    filters = ListingFilter(QueryDict("q=denim"), user=AnonymousUser())
    query = filters.filter_text(Listing.objects.all(), "q", "denim").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        # Only bitmap scans allowed: possible only through indexes on the compared expressions.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "exchange_listing_title_trgm" in plan
    assert "exchange_listing_description_trgm" in plan


def test_the_map_list_links_every_marker_with_its_text_escaped(client):
    """The list alternative to the map: each listing's link, kind, place and organisation,
    written with the titles escaped; the markers' addresses are the listings' own."""
    site = SiteFactory(city="Prato", organisation__name="Lanificio & Figli")
    first = ListingFactory(title="<b>Bold</b> wool", site=site, organisation=site.organisation)
    second = ListingFactory(title="Plain cotton", kind="wanted")
    response = client.get(BROWSE, {"view": "map"})
    content = response.content.decode()
    urls = {marker["title"]: marker["url"] for marker in response.context["markers"]}
    assert urls == {
        first.title: reverse("exchange:listing_detail", kwargs={"pk": first.pk}),
        second.title: reverse("exchange:listing_detail", kwargs={"pk": second.pk}),
    }
    assert (
        f'<li><a href="{urls[first.title]}">&lt;b&gt;Bold&lt;/b&gt; wool</a> · Offer · Prato'
        " · Lanificio &amp; Figli</li>"
    ) in content
    assert f'<li><a href="{urls[second.title]}">Plain cotton</a> · Wanted · ' in content
    assert "<b>Bold</b>" not in content


# Not named "page": that is the browser journeys' fixture, and a parameter of the same name
# made pytest run every journey (transactional, flushing the database) in the middle of the
# other tests instead of after them.
@pytest.mark.parametrize(
    "junk", ["\x00", "1\x00", "%00", "x", "", " ", "2.5", "1e3", "0x2", "9" * 5000, "[]", "١"]
)
def test_junk_in_the_page_number_gives_a_page_not_an_error(client, monkeypatch, junk):
    """A NUL byte, a float, a number too long for int(), nothing at all: the first page, never
    a server error (exchange/pagination.py)."""
    from exchange import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    site = SiteFactory()
    for number in range(3):
        ListingFactory(title=f"Lot {number}", organisation=site.organisation, site=site)
    response = client.get(BROWSE, {"page": junk})
    assert response.status_code == 200
    assert titles(response) == ["Lot 2", "Lot 1"]
    assert titles(client.get(f"{BROWSE}?page=%00")) == ["Lot 2", "Lot 1"]


def test_kept_filters_and_list_are_shared_only_for_the_same_organisations(client, settings):
    """The filters and the list are kept for every visitor asking the same address for the
    same organisations (cms/fragments.py, on while the page cache is): an organisation's own
    drafts and sites never reach another member or an anonymous visitor, and a new or closed
    listing shows at once."""
    from django.test import Client

    from tests.exchange.factories import MembershipFactory

    settings.PAGE_CACHE_SECONDS = 300
    trader = MembershipFactory()
    SiteFactory(organisation=trader.organisation, name="Prato warehouse")
    ListingFactory(title="Draft cotton", state=ListingState.DRAFT, organisation=trader.organisation)
    active = ListingFactory(title="Active cotton")
    trader_client, other_client = Client(), Client()
    trader_client.force_login(trader.user)
    other_client.force_login(MembershipFactory().user)
    for _ in range(2):  # the second visit of each comes from the kept fragments
        own = trader_client.get(BROWSE).content.decode()
        assert "Draft cotton" in own and "Prato warehouse" in own and "Active cotton" in own
        for visitor in (other_client, client):
            page = visitor.get(BROWSE).content.decode()
            assert "Active cotton" in page
            assert "Draft cotton" not in page and "Prato warehouse" not in page
    ListingFactory(title="New denim")
    active.state = ListingState.CLOSED
    active.save()
    for visitor in (trader_client, other_client, client):
        page = visitor.get(BROWSE).content.decode()
        assert "New denim" in page and "Active cotton" not in page


def test_a_new_region_is_offered_at_once_and_a_chosen_one_still_validated(client):
    """The regions of the filters are kept until the regions' table is written
    (cms.widgets.keep_choices): a region added is offered on the next view."""
    from tests.factories import RegionFactory

    url = reverse("exchange:browse")
    RegionFactory(slug="prato", name="Prato")
    client.get(url)
    assert '<option value="prato">Prato</option>' in client.get(url).content.decode()
    RegionFactory(slug="lodzkie", name="Łódzkie")
    html = client.get(url).content.decode()
    assert '<option value="lodzkie">Łódzkie</option>' in html
    assert (
        '<option value="prato" selected>Prato</option>'
        in client.get(url, {"region": "prato"}).content.decode()
    )
    assert "Select a valid choice" in client.get(url, {"region": "atlantis"}).content.decode()
