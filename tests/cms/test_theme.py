import pytest
from django.core.exceptions import ValidationError

from themes.models import contrast_with_white, validate_primary_colour

pytestmark = pytest.mark.django_db


def test_primary_colour_must_keep_white_text_readable():
    validate_primary_colour("#1d5c4d")
    with pytest.raises(ValidationError, match="contrast"):
        validate_primary_colour("#f0e68c")
    with pytest.raises(ValidationError, match="hexadecimal"):
        validate_primary_colour("green")
    assert round(contrast_with_white("#000000"), 1) == 21.0


def test_site_look_colour_reaches_the_page(client):
    from wagtail.models import Site

    from themes.models import SiteLook

    look = SiteLook.for_site(Site.objects.get(is_default_site=True))
    look.primary_colour = "#5b2a86"
    look.site_name = "Centrum Tekstylne"
    look.save()
    content = client.get("/").content.decode()
    assert "--primary: #5b2a86" in content
    assert "Centrum Tekstylne" in content


def test_page_has_landmarks_skip_link_and_language_switcher(client):
    content = client.get("/").content.decode()
    assert 'href="#main"' in content
    assert '<main id="main"' in content
    assert 'aria-label="Main"' in content
    assert 'name="language" value="pl"' in content


def test_404_page_has_the_site_look(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "site-header" in response.content.decode()


def test_polish_interface(client):
    content = client.get("/pl/").content.decode()
    assert '<html lang="pl">' in content
    assert "Szkolenia" in content


def test_set_language_redirects_to_the_translated_url(client):
    response = client.post("/i18n/setlang/", {"language": "it", "next": "/directory/"})
    assert response.status_code == 302
    assert response["Location"] == "/it/directory/"


def test_home_and_directory_run_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    from tests.factories import OrganisationFactory

    OrganisationFactory.create_batch(30)
    client.get("/")  # the first request of a site creates its look settings
    # The home page gathers the panels of every app (latest stories, events, funding calls,
    # discussions, courses, listings, impact figures): a fixed number of queries each, pinned
    # with their data by each app's own tests.
    with django_assert_max_num_queries(22):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/directory/").status_code == 200
    organisation = OrganisationFactory()
    # One query per kind of linked content (stories, technologies, ..., courses, listings,
    # working groups); the first reader of a fresh cache also reads the paths of restricted
    # pages and of aliases (two queries, then kept: cms/models/listing.py).
    with django_assert_max_num_queries(21):
        assert client.get(organisation.get_absolute_url()).status_code == 200


def test_focus_indicator_has_at_least_3_to_1_contrast():
    """WCAG 2.2 (1.4.11, 2.4.13): the focus ring against the page's backgrounds. Dark on the
    light pages; white on the header, footer and call-to-action blocks, whose colour
    validate_primary_colour keeps at 4.5:1 or more against white."""
    import re
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "themes/static/themes/css/site.css").read_text()
    ring = re.search(r"--focus-colour:\s*(#[0-9a-fA-F]{6})", css).group(1)
    for background in re.findall(r"--paper(?:-alt)?:\s*(#[0-9a-fA-F]{6})", css):
        assert contrast_with_white(ring) / contrast_with_white(background) >= 3, background
    assert re.search(r":focus-visible\s*\{[^}]*outline:\s*var\(--focus\)", css)
    assert re.search(r"\.site-header[^{]*\{\s*--focus-colour:\s*#fff;", css)
