"""The privacy notice and the terms of use are pages editors write (and translate) in the CMS;
/privacy/ and /terms/ lead to them, from the footer of every page and from sign-up."""

import pytest
from wagtail.models import Locale
from wagtail.rich_text import RichText

from cms.models import LegalPage
from tests.cms.factories import add_page, home_page

pytestmark = pytest.mark.django_db


def legal_page(kind, title, text, parent=None):
    return add_page(
        parent or home_page(),
        LegalPage,
        kind=kind,
        title=title,
        slug=f"{kind}-notice",
        body=[("text", RichText(f"<p>{text}</p>"))],
        publish=True,
    )


def test_privacy_and_terms_lead_to_the_pages_editors_wrote(client):
    privacy = legal_page("privacy", "Privacy notice", "We keep your profile to run the site.")
    legal_page("terms", "Terms of use", "Be honest about your materials.")
    response = client.get("/privacy/")
    assert response.status_code == 302 and response["Location"] == privacy.url
    page = client.get(privacy.url)
    assert page.status_code == 200
    assert "We keep your profile to run the site." in page.content.decode()
    terms = client.get(client.get("/terms/")["Location"])
    assert "Be honest about your materials." in terms.content.decode()


def test_without_a_live_page_the_link_is_a_404(client):
    assert client.get("/privacy/").status_code == 404
    draft = legal_page("terms", "Terms of use", "Draft")
    draft.unpublish()
    assert client.get("/terms/").status_code == 404


def test_the_translated_notice_is_found_in_its_language(client):
    english = legal_page("privacy", "Privacy notice", "English text")
    polish = english.copy_for_translation(Locale.objects.get(language_code="pl"), copy_parents=True)
    polish.title = "Polityka prywatności"
    polish.save_revision().publish()
    assert client.get("/pl/privacy/")["Location"] == polish.url
    assert client.get("/privacy/")["Location"] == english.url
    assert client.get("/it/privacy/")["Location"] == english.url  # not translated yet


def test_footer_and_sign_up_link_to_them(client, django_assert_max_num_queries):
    content = client.get("/accounts/signup/").content.decode()
    assert 'href="/terms/"' in content and 'href="/privacy/"' in content
    assert "By signing up you accept the" in content
    content = client.get("/pl/accounts/signup/").content.decode()
    assert 'href="/pl/terms/"' in content and 'href="/pl/privacy/"' in content
    content = client.get("/accounts/login/").content.decode()
    assert 'href="/privacy/"' in content and 'href="/terms/"' in content  # the footer
