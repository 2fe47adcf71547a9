"""The media log (traditional and social media, entered or imported from CSV), output targets,
and the dissemination dashboard per region and quarter with its CSV and PDF exports; regional
editors see and keep their own regions only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.accounts import roles
from cms.analytics.models import (
    MediaCoverage,
    OutputTarget,
    PageView,
    SocialPost,
    Visit,
)
from cms.services import regional_editing_setup, user_add_to_region_editors
from tests.cms.factories import make_story
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db
Q2 = {"year": 2026, "quarter": 2}
IN_Q2 = datetime.date(2026, 5, 12)


@pytest.fixture
def regions(db):
    lodz = RegionFactory(name="Łódzkie", slug="lodzkie")
    prato = RegionFactory(name="Prato", slug="prato")
    regional_editing_setup()
    lodz.refresh_from_db()
    prato.refresh_from_db()
    return lodz, prato


@pytest.fixture
def editor(regions):
    user = UserFactory()
    user_add_to_region_editors(user=user, region=regions[0])
    return user


def coverage(region, **fields):
    values = {
        "region": region,
        "date": IN_Q2,
        "outlet": "Dziennik Łódzki",
        "media_type": "press",
        "title": "Recycled denim from Łódź",
        "reach": 40_000,
        **fields,
    }
    return MediaCoverage.objects.create(**values)


def social(region, **fields):
    values = {"region": region, "date": IN_Q2, "network": "linkedin", "reach": 1200}
    return SocialPost.objects.create(**{"engagement": 80, **values, **fields})


def dashboard(client, **params):
    return client.get(reverse("analytics_dashboard"), params)


def refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard (and a
    message), never the page."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def test_dashboard_sets_the_quarter_against_the_targets(client, editor, regions):
    lodz, prato = regions
    story = make_story(title="Łódź sorting pilot", region=lodz)
    PageView.objects.create(page=story, day=IN_Q2, views=300)
    PageView.objects.create(page=story, day=datetime.date(2026, 7, 1), views=999)  # Q3
    Visit.objects.create(
        page=story, path=story.url, day=IN_Q2, source="linkedin", medium="social", views=45
    )
    Visit.objects.create(page=story, path=story.url, day=IN_Q2, referrer="news.pl", views=12)
    coverage(lodz)
    coverage(lodz, outlet="Radio Łódź", media_type="radio", reach=10_000)
    coverage(prato, outlet="La Nazione")  # another region
    social(lodz)
    social(lodz, network="facebook", reach=800, engagement=20)
    OutputTarget.objects.create(region=lodz, indicator="media_items", target=4, **Q2)
    OutputTarget.objects.create(region=lodz, indicator="web_views", target=600, **Q2)
    client.force_login(editor)

    response = dashboard(client, region=lodz.pk, **Q2)

    html = response.content.decode()
    assert response.status_code == 200
    rows = response.context["rows"]
    by_indicator = {row.indicator: row for row in rows}
    assert (by_indicator["media_items"].actual, by_indicator["media_items"].percent) == (2, 50)
    assert by_indicator["media_reach"].actual == 50_000
    assert by_indicator["web_views"].actual == 300 and by_indicator["web_views"].percent == 50
    assert by_indicator["campaign_visits"].actual == 45
    assert by_indicator["social_reach"].actual == 2000
    assert by_indicator["social_engagement"].actual == 100
    assert "La Nazione" not in html
    assert "<svg" in html and "news.pl" in html
    assert html.count('class="bar-done"') == 2  # one bar per indicator with a target


def test_regional_editor_is_refused_another_regions_dashboard(client, editor, regions):
    lodz, prato = regions
    client.force_login(editor)
    assert refused(dashboard(client, region=prato.pk, **Q2))
    assert refused(dashboard(client, region=prato.pk, format="csv", **Q2))
    assert refused(dashboard(client, region=prato.pk, format="pdf", **Q2))
    assert refused(dashboard(client, region="x' OR 1=1", **Q2))
    response = dashboard(client, **Q2)  # no region: their own
    assert response.status_code == 200 and response.context["region"] == lodz


def test_dashboard_is_refused_without_the_report_permission(client, regions):
    assert dashboard(client).status_code == 302  # to sign in
    client.force_login(UserFactory(roles=[roles.TRAINEE]))
    assert dashboard(client).status_code in (302, 403)
    assert b"Output indicators" not in dashboard(client).content
    client.force_login(UserFactory(roles=[roles.REGIONAL_EDITOR]))  # of no region
    assert refused(dashboard(client))


def test_moderator_sees_every_region_together(client, regions):
    lodz, prato = regions
    coverage(lodz)
    coverage(prato, outlet="La Nazione")
    client.force_login(UserFactory(roles=[roles.MODERATOR]))
    html = dashboard(client, **Q2).content.decode()
    assert "La Nazione" in html and "Dziennik Łódzki" in html


def test_bad_dashboard_parameters_fall_back_with_a_message(client, editor):
    client.force_login(editor)
    response = dashboard(client, year="99999999999", quarter="7")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_csv_and_pdf_exports(client, editor, regions):
    lodz, _prato = regions
    coverage(lodz)
    OutputTarget.objects.create(region=lodz, indicator="media_items", target=4, **Q2)
    client.force_login(editor)

    csv_text = dashboard(client, format="csv", **Q2).content.decode()
    assert "indicator,media_items,Traditional media appearances,1,4,25" in csv_text
    assert "Dziennik Łódzki: Recycled denim from Łódź" in csv_text

    pdf = dashboard(client, format="pdf", **Q2)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="dissemination-lodzkie-2026-q2.pdf"' in pdf["Content-Disposition"]


def test_dashboard_query_count_does_not_grow(
    client, editor, regions, django_assert_max_num_queries
):
    lodz, _prato = regions
    for n in range(10):
        coverage(lodz, outlet=f"Outlet {n}")
        social(lodz, reach=n)
    client.force_login(editor)
    with django_assert_max_num_queries(40):
        assert dashboard(client, **Q2).status_code == 200


# The media log in the admin ---------------------------------------------------------------------


def test_editor_records_coverage_of_their_region_only(client, editor, regions):
    lodz, prato = regions
    client.force_login(editor)
    url = reverse("media_coverage:add")
    data = {
        "date": "2026-05-12",
        "outlet": "TVP Łódź",
        "media_type": "tv",
        "title": "Sorting line on the evening news",
        "reach": "120000",
        "link": "https://example.org/news",
    }
    refused = client.post(url, {**data, "region": prato.pk})
    assert refused.status_code == 200 and not MediaCoverage.objects.exists()
    client.post(url, {**data, "region": lodz.pk})
    assert MediaCoverage.objects.get().outlet == "TVP Łódź"


@pytest.mark.parametrize(
    "field, value",
    [("reach", "10000000000"), ("reach", "-5"), ("outlet", "TVP\x00"), ("date", "x")],
)
def test_bad_coverage_values_are_refused_with_a_message(client, editor, regions, field, value):
    client.force_login(editor)
    data = {
        "region": regions[0].pk,
        "date": "2026-05-12",
        "outlet": "TVP Łódź",
        "media_type": "tv",
        "title": "News",
        "reach": "100",
        field: value,
    }
    response = client.post(reverse("media_coverage:add"), data)
    assert response.status_code == 200
    assert not MediaCoverage.objects.exists()


def test_another_regions_records_are_not_found(client, editor, regions):
    lodz, prato = regions
    own, other = coverage(lodz), coverage(prato, outlet="La Nazione")
    client.force_login(editor)
    listing = client.get(reverse("media_coverage:index")).content.decode()
    assert "Dziennik Łódzki" in listing and "La Nazione" not in listing
    assert client.get(reverse("media_coverage:edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("media_coverage:delete", args=[other.pk])).status_code == 404
    assert MediaCoverage.objects.filter(pk=other.pk).exists()
    assert client.get(reverse("media_coverage:edit", args=[own.pk])).status_code == 200


# Social-media posts from CSV ---------------------------------------------------------------------


def upload(client, region, content, name="posts.csv"):
    return client.post(
        reverse("analytics_social_import"),
        {"region": region.pk, "file": SimpleUploadedFile(name, content, "text/csv")},
    )


def test_social_posts_are_imported_from_csv_once(client, editor, regions):
    lodz, _prato = regions
    client.force_login(editor)
    content = (
        b"date,network,reach,engagement,link,summary\n"
        b"2026-05-02,LinkedIn,1500,120,https://linkedin.com/p/1,Pilot results\n"
        b"2026-05-09,facebook,900,35,https://facebook.com/p/2,\n"
    )

    assert upload(client, lodz, content).status_code == 302
    assert SocialPost.objects.filter(region=lodz).count() == 2
    upload(client, lodz, content)  # the same export again
    assert SocialPost.objects.count() == 2


@pytest.mark.parametrize(
    "content, message",
    [
        (b"date,network,reach,engagement\n2026-05-02,linkedin,99999999999,1\n", "Row 2, reach"),
        (b"date,network,reach,engagement\n2026-13-02,linkedin,5,1\n", "Row 2, date"),
        (b"date,network,reach,engagement\n2026-05-02,myspace,5,1\n", "Row 2, network"),
        (b"date,network,reach,engagement\n2026-05-02,linkedin,many,1\n", "Row 2, reach"),
        (b"date,network\n2026-05-02,linkedin\n", "Columns missing: engagement, reach"),
        (b"date,network,reach,engagement\n2026-05-02,link\x00edin,5,1\n", "NUL byte"),
        ("date,network,reach,engagement\n2026-05-02,linkedin,5,1\n".encode("utf-16"), "NUL"),
        (b"date,network,reach,engagement\n2026-05-02,linkedin,5,1\n" + b"x" * 1_100_000, "1 MB"),
    ],
)
def test_a_bad_import_saves_nothing_and_says_why(client, editor, regions, content, message):
    lodz, _prato = regions
    client.force_login(editor)
    response = upload(client, lodz, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SocialPost.objects.exists()


def test_import_into_another_region_is_refused(client, editor, regions):
    _lodz, prato = regions
    client.force_login(editor)
    response = upload(client, prato, b"date,network,reach,engagement\n2026-05-02,x,5,1\n")
    assert response.status_code == 200
    assert not SocialPost.objects.exists()
