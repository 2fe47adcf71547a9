import pytest
from django.core.management import call_command
from django.urls import reverse

from cms.partners.models import CooperationProfile, Expert, Interest, Opportunity

pytestmark = pytest.mark.django_db


def test_demo_fills_partner_matching_realistically_and_idempotently(client):
    call_command("load_demo")
    counts = (
        CooperationProfile.objects.count(),
        Opportunity.objects.count(),
        Interest.objects.count(),
        Expert.objects.count(),
    )
    call_command("load_demo")
    assert (
        CooperationProfile.objects.count(),
        Opportunity.objects.count(),
        Interest.objects.count(),
        Expert.objects.count(),
    ) == counts
    assert counts[0] >= 10 and counts[1] >= 8 and counts[2] >= 2
    # Every kind of opportunity, in the regions' languages, a partner search tied to a call.
    assert set(Opportunity.objects.published().values_list("kind", flat=True)) == {
        "business_offer",
        "business_request",
        "technology_offer",
        "technology_request",
        "partner_search",
        "joint_action",
    }
    assert Opportunity.objects.filter(title__contains="lana").exists()
    assert Opportunity.objects.filter(title__contains="dzianin").exists()
    search = Opportunity.objects.get(kind="partner_search")
    assert search.funding_call is not None and search.funding_call.live
    assert search.title in client.get(search.funding_call.url).content.decode()
    # Experts: the listed ones show, the one who did not opt in does not.
    page = client.get(reverse("partners:search"), {"show": "experts"}).content.decode()
    assert "Dr Anna Nowak" in page and "Petr Novák" not in page
    page = client.get(reverse("partners:search"), {"chain": "recycling"}).content.decode()
    assert "Rigenera Lane Prato" in page
    # Expressions of interest are conversations with their messages.
    interest = Interest.objects.select_related("conversation").first()
    assert interest.conversation.kind == "partners.interest"
    assert interest.messages.exists()
    # The shared events read in Polish and Italian, and share the English event's places.
    from wagtail.models import Locale

    from cms.models import EventPage

    prato = EventPage.objects.get(
        slug="textile-circularity-days-prato", locale=Locale.get_default()
    )
    polish = prato.get_translation(Locale.objects.get(language_code="pl"))
    italian = prato.get_translation(Locale.objects.get(language_code="it"))
    assert polish.title == "Dni Obiegu Zamkniętego Tekstyliów w Prato"
    assert italian.title == "Giornate della circolarità tessile a Prato"
    page = client.get(polish.url).content.decode()
    assert "kojarzenia wytwórców odpadów" in page
