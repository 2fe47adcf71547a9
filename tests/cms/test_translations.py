"""English, Polish and Italian content with wagtail-localize: translating a page, the language
switcher finding the translation, and the fallback for pages not translated yet."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import Translation
from wagtail_localize.operations import TranslationCreator

from cms.models import StoryPage
from tests.cms import factories as f

pytestmark = pytest.mark.django_db


def translate(page, language, title, user):
    """Translate ``page`` with wagtail-localize as the admin's "Translate" action does, then
    publish the translated title."""
    locale = Locale.objects.get(language_code=language)
    TranslationCreator(user, [locale]).create_translations(page)
    translation = page.get_translation(locale).specific
    translation.title = title
    translation.save_revision().publish()
    return translation


def switch(client, language, page):
    return client.post(
        "/i18n/setlang/",
        {"language": language, "next": f"/translation/{page.pk}/"},
        follow=True,
    )


@pytest.fixture
def stories(site_tree, admin_user):
    translated = f.story(site_tree["stories"], title="Wool loop in Prato", publish=True)
    untranslated = f.story(site_tree["stories"], title="Nonwovens in Liberec", publish=True)
    polish = translate(translated, "pl", "Zamknięty obieg wełny w Prato", admin_user)
    return translated, untranslated, polish


def test_translating_a_page_with_wagtail_localize(client, stories):
    translated, _untranslated, polish = stories
    assert Translation.objects.filter(target_locale__language_code="pl").exists()
    assert (
        polish.locale.language_code == "pl" and polish.translation_key == translated.translation_key
    )
    assert polish.url.startswith("/pl/")
    response = client.get(polish.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zamknięty obieg wełny w Prato" in html and '<html lang="pl">' in html


def test_language_switcher_finds_the_translation(client, stories):
    translated, _untranslated, polish = stories
    response = switch(client, "pl", translated)
    assert response.redirect_chain[-1][0] == polish.url
    assert "Zamknięty obieg wełny w Prato" in response.content.decode()
    # ... and back to English.
    response = switch(client, "en", polish)
    assert response.redirect_chain[-1][0] == translated.url


def test_untranslated_page_falls_back_to_the_nearest_translated_page(client, stories):
    _translated, untranslated, polish = stories
    response = switch(client, "pl", untranslated)
    final_url = response.redirect_chain[-1][0]
    assert final_url.startswith("/pl/")
    assert final_url in (polish.get_parent().url, "/pl/")
    # The notice, in the interface language the visitor chose.
    assert "nie jest jeszcze dostępna w języku: polski" in response.content.decode()


def test_listing_in_polish_shows_translations_and_falls_back_to_english(client, stories):
    _translated, _untranslated, polish = stories
    html = client.get(polish.get_parent().url).content.decode()
    assert "Zamknięty obieg wełny w Prato" in html
    assert "Wool loop in Prato" not in html  # never the original next to its translation
    assert "Nonwovens in Liberec" in html  # untranslated: the English original
    assert StoryPage.objects.count() == 3


def test_language_without_any_translation_serves_the_original_under_its_prefix(client, site_tree):
    story = f.story(site_tree["stories"], title="Wool loop in Prato", publish=True)
    response = switch(client, "it", story)
    assert response.redirect_chain[-1][0] == "/it" + story.url
    html = response.content.decode()
    assert '<html lang="it">' in html and "Wool loop in Prato" in html


def test_pages_without_a_translation_are_served_under_a_translated_home(client, stories):
    # The home page and the stories section are translated into Polish; the events index and
    # the funding calls are not: /pl/events/ serves the English page with the Polish interface.
    response = client.get("/pl/events/")
    assert response.status_code == 200
    assert '<html lang="pl">' in response.content.decode()
    assert client.get("/pl/no-such-page/").status_code == 404
