import re

import pytest
from django.core import serializers
from django.core.management import call_command
from wagtail.models import Page

from cms import models as cms
from cms.directory.models import Region

pytestmark = pytest.mark.django_db


def test_demo_fills_every_section_with_real_legislation_idempotently():
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
    call_command("load_demo")
    assert counts == {model: model.objects.count() for model in counts}
    assert all(count >= 5 for count in counts.values()), counts
    celex = set(cms.LegislationPage.objects.values_list("celex_number", flat=True))
    assert {"32008L0098", "32025L1892", "32011R1007", "32024R1781"} <= celex
    assert cms.StoryPage.objects.values("region").distinct().count() >= 4
    assert cms.StoryPage.objects.filter(locale__language_code="pl").exists()
    assert cms.StoryPage.objects.filter(locale__language_code="it").exists()
    upcoming = cms.EventPage.objects.filter(
        locale__language_code="en", start__gte=cms.timezone.now()
    )
    assert upcoming.exists() and cms.EventPage.objects.exclude(pk__in=upcoming).exists()
    assert any(call.is_open for call in cms.FundingCallPage.objects.all())
    assert not all(call.is_open for call in cms.FundingCallPage.objects.all())
    assert all(region.editor_group_id for region in Region.objects.all())
    # No development address written into the content (links to the site are paths).
    content = serializers.serialize("json", [page.specific for page in Page.objects.all()])
    assert not re.search(r"localhost|127\.0\.0\.1", content)
