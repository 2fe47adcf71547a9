import pytest
from django.core import mail
from django.urls import reverse

from cms.partners.models import Expert
from tests.exchange.factories import MembershipFactory
from tests.factories import UserFactory
from tests.partners.factories import ExpertFactory

pytestmark = pytest.mark.django_db

EDIT = reverse("partners:expert_edit")


def data(**overrides):
    values = {
        "headline": "Chemical recycling of cellulosic waste",
        "bio": "Ten years of pilot work on dissolving pulp.",
        "expertise": "chemical recycling, dissolving pulp",
        "languages": ["sl", "en"],
        "country": "SI",
    }
    values.update(overrides)
    return values


def test_nothing_is_public_until_the_person_opts_in(client, sme):
    client.force_login(sme.user)
    client.post(EDIT, data(organisation=sme.organisation.pk))
    expert = Expert.objects.get()
    assert not expert.is_public
    client.logout()
    assert client.get(expert.get_absolute_url()).status_code == 404
    search = client.get(reverse("partners:search"), {"show": "experts"}).content.decode()
    assert "Chemical recycling of cellulosic waste" not in search
    organisation_page = client.get(sme.organisation.get_absolute_url()).content.decode()
    assert "Chemical recycling of cellulosic waste" not in organisation_page

    client.force_login(sme.user)
    response = client.post(EDIT, data(organisation=sme.organisation.pk, listed="on"))
    expert.refresh_from_db()
    assert response.url == expert.get_absolute_url()
    assert expert.is_public and expert.expertise == ["chemical recycling", "dissolving pulp"]
    client.logout()
    page = client.get(expert.get_absolute_url()).content.decode()
    assert "Chemical recycling of cellulosic waste" in page
    assert sme.user.email not in page
    assert "Chemical recycling" in client.get(sme.organisation.get_absolute_url()).content.decode()

    # Opting out hides everything again.
    client.force_login(sme.user)
    client.post(EDIT, data(organisation=sme.organisation.pk))
    client.logout()
    assert client.get(expert.get_absolute_url()).status_code == 404


def test_an_expert_names_only_an_organisation_they_belong_to(client, sme):
    stranger_org = MembershipFactory().organisation
    client.force_login(sme.user)
    response = client.post(EDIT, data(organisation=stranger_org.pk, listed="on"))
    assert response.status_code == 200
    assert not Expert.objects.exists()


def test_writing_to_an_expert_goes_through_the_site(client):
    expert = ExpertFactory(user__email="maja@private.example")
    sender = UserFactory(display_name="Luca Rossi")
    url = reverse("partners:expert_contact", args=[expert.pk])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(sender)
    client.post(url, {"body": "Could you review our LCA?"})
    message = mail.outbox[-1]
    assert message.to == ["maja@private.example"]
    assert message.extra_headers["Reply-To"] == sender.email
    assert "Could you review our LCA?" in message.body
