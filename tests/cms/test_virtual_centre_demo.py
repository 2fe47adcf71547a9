import re

import pytest
from django.core import serializers
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from cms import models as cms
from cms.directory.models import Region

pytestmark = pytest.mark.django_db


def test_demo_fills_every_section_with_real_legislation_idempotently(
    settings, django_capture_on_commit_callbacks
):
    settings.DEMO_TRANSLATIONS = True
    # wagtail-localize publishes a translation once its transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    counts = {
        model: model.objects.count()
        for model in (
            cms.StoryPage,
            cms.TechnologyPage,
            cms.ResearchPage,
            cms.NewsletterIssuePage,
            cms.LegislationPage,
            cms.EventPage,
            cms.FundingCallPage,
        )
    }
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    assert counts == {model: model.objects.count() for model in counts}
    assert all(count >= 5 for count in counts.values()), counts
    celex = set(cms.LegislationPage.objects.values_list("celex_number", flat=True))
    assert {"32008L0098", "32025L1892", "32011R1007", "32024R1781"} <= celex
    assert cms.StoryPage.objects.values("region").distinct().count() >= 4
    assert cms.StoryPage.objects.filter(locale__language_code="pl").exists()
    assert cms.StoryPage.objects.filter(locale__language_code="it").exists()
    upcoming = cms.EventPage.objects.filter(locale__language_code="en", start__gte=timezone.now())
    assert upcoming.exists() and cms.EventPage.objects.exclude(pk__in=upcoming).exists()
    assert any(call.is_open for call in cms.FundingCallPage.objects.all())
    assert not all(call.is_open for call in cms.FundingCallPage.objects.all())
    assert all(region.editor_group_id for region in Region.objects.all())
    # No development address written into the content (links to the site are paths).
    content = serializers.serialize("json", [page.specific for page in Page.objects.all()])
    assert not re.search(r"localhost|127\.0\.0\.1", content)
    assert_every_page_in_polish_and_italian()


def assert_every_page_in_polish_and_italian():
    """Every live page of the demo has live Polish and Italian translations, the sections and
    indexes under their own titles, made through wagtail-localize where they were missing."""
    from wagtail.models import Locale
    from wagtail_localize.models import Translation

    from cms.demo_translations import STRINGS

    english = Page.objects.live().filter(locale__language_code="en", depth__gte=2)
    translated = {
        (key, language)
        for key, language in Page.objects.live()
        .exclude(locale__language_code="en")
        .values_list("translation_key", "locale__language_code")
    }
    missing = [
        f"{page.title} ({language})"
        for page in english
        for language in ("pl", "it")
        if (page.translation_key, language) not in translated
    ]
    assert not missing, "Demo pages without a translation: " + ", ".join(missing)
    # Sections and indexes under their Polish and Italian titles (the home page's intro too).
    for page in english.filter(title__in=STRINGS):
        polish, italian = STRINGS[page.title]
        assert page.get_translation(Locale.objects.get(language_code="pl")).title == polish
        assert page.get_translation(Locale.objects.get(language_code="it")).title == italian
    home = Page.objects.get(depth=2, locale__language_code="it").specific
    assert "punto di riferimento" in str(home.intro)
    assert Translation.objects.filter(target_locale__language_code="pl").exists()
