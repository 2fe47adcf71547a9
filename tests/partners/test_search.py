import pytest
from django.core import mail
from django.urls import reverse

from cms.partners.models import ProfileTerm
from tests.exchange.factories import MembershipFactory, VerifiedOrganisationFactory
from tests.factories import UserFactory
from tests.partners.factories import CooperationProfileFactory, ExpertFactory, OpportunityFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("partners:search")


def names(response):
    return [item.name for item in response.context["page"]]


@pytest.fixture
def directory(db):
    recycler = CooperationProfileFactory(
        organisation__name="Saxon Fibre Recycling",
        organisation__country="DE",
        organisation__region__country="DE",
        value_chain=["recycling", "sorting"],
        nace_codes=["38.32"],
        competences=["mechanical recycling", "NIR sorting"],
    )
    weaver = CooperationProfileFactory(
        organisation__name="Biella Weaving",
        organisation__country="IT",
        organisation__region__country="IT",
        value_chain=["weaving_knitting"],
        nace_codes=["13.20"],
        s3_areas=["sustainable_fashion"],
        competences=["recycled wool fabrics"],
    )
    sorter = CooperationProfileFactory(
        organisation__name="Łódź Sorting Centre",
        value_chain=["sorting", "collection"],
        nace_codes=["38.11", "38.32"],
        competences=["NIR sorting"],
    )
    return {"recycler": recycler, "weaver": weaver, "sorter": sorter}


def test_profile_terms_mirror_the_lists(directory):
    terms = set(
        ProfileTerm.objects.filter(organisation=directory["weaver"].organisation).values_list(
            "scheme", "code"
        )
    )
    assert terms == {
        ("chain", "weaving_knitting"),
        ("nace", "13"),
        ("nace", "13.2"),
        ("nace", "13.20"),
        ("s3", "sustainable_fashion"),
        ("competence", "recycled wool fabrics"),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"chain": "sorting"}, ["Saxon Fibre Recycling", "Łódź Sorting Centre"]),
        ({"nace": "38"}, ["Saxon Fibre Recycling", "Łódź Sorting Centre"]),
        ({"nace": "13.2"}, ["Biella Weaving"]),
        ({"country": "IT"}, ["Biella Weaving"]),
        ({"s3": "sustainable_fashion"}, ["Biella Weaving"]),
        ({"competence": "nir SORTING"}, ["Saxon Fibre Recycling", "Łódź Sorting Centre"]),
        ({"q": "wool"}, ["Biella Weaving"]),
        ({"chain": "sorting", "country": "DE"}, ["Saxon Fibre Recycling"]),
    ],
)
def test_facets_find_organisations(client, directory, params, expected):
    assert names(client.get(SEARCH, params)) == expected


def test_every_facet_counts_the_current_results(client, directory):
    page = client.get(SEARCH).content.decode()
    assert ">Germany (1)<" in page
    assert ">Italy (1)<" in page
    assert ">Recycling (1)<" in page
    assert ">Sorting (2)<" in page
    assert "38 Waste collection, treatment and disposal activities; materials recovery (2)" in page
    # The counts follow the filters: among the sorters, nobody weaves.
    page = client.get(SEARCH, {"chain": "sorting"}).content.decode()
    assert ">Weaving and knitting (0)<" in page
    assert ">Sorting (2)<" in page
    region = directory["weaver"].organisation.region
    assert f">{region.name} (0)<" in page
    # Opportunities count their own classifications and types.
    OpportunityFactory(title="Sorting line partner", sought_partners=["sorting"], nace_codes=[])
    page = client.get(SEARCH, {"show": "opportunities"}).content.decode()
    assert "Research or project partner search (1)" in page
    assert ">Sorting (1)<" in page


def test_organisations_like_this_one(client, directory):
    response = client.get(SEARCH, {"like": directory["sorter"].organisation.slug})
    results = list(response.context["page"])
    # The recycler shares sorting, NIR sorting, 38, 38.3, 38.32 and circular economy; the
    # weaver nothing.
    assert [o.name for o in results] == ["Saxon Fibre Recycling"]
    assert results[0].shared_terms == 6
    assert "classifications in common" in response.content.decode()


def test_each_result_shows_its_profile_and_one_without_a_profile_shows_none(client, directory):
    bare = VerifiedOrganisationFactory(name="Plain Spinning Mill", country="PL")
    html = client.get(SEARCH).content.decode()
    card = html[html.index(f">{bare.name}<") :]
    card = card[: card.index("</li>")]
    assert "Poland" in card and '<p class="tags">' not in card
    card = html[html.index(">Saxon Fibre Recycling<") :]
    card = card[: card.index("</li>")]
    assert "Germany" in card and "Mechanical recycling of post-industrial cotton waste." in card
    assert "classifications in common" not in html  # only beside "like this one"


def test_invalid_filters_get_a_message_not_an_error(client, directory):
    response = client.get(SEARCH, {"nace": "99.99", "country": "\x00", "q": "x" * 500})
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert "errorlist" in response.content.decode()


def test_experts_are_listed_only_once_they_opt_in(client, directory):
    listed = ExpertFactory(
        headline="Sorting specialist", organisation=directory["sorter"].organisation
    )
    hidden = ExpertFactory(headline="Secret consultant", opted_in_at=None)
    response = client.get(SEARCH, {"show": "experts"})
    page = response.content.decode()
    assert "Sorting specialist" in page and "Secret consultant" not in page
    assert client.get(listed.get_absolute_url()).status_code == 200
    assert client.get(reverse("partners:expert", args=[hidden.pk])).status_code == 404
    client.force_login(UserFactory())
    contact = reverse("partners:expert_contact", args=[hidden.pk])
    assert client.post(contact, {"body": "Hello"}).status_code == 404
    assert not mail.outbox
    # The organisation page lists its listed experts only.
    organisation_page = client.get(directory["sorter"].organisation.get_absolute_url())
    assert "Sorting specialist" in organisation_page.content.decode()
    assert hidden.user.email not in page


def test_organisation_page_shows_the_profile_but_never_the_contact_address(client, directory):
    profile = directory["recycler"]
    page = client.get(profile.organisation.get_absolute_url()).content.decode()
    assert "Cooperation profile" in page and "Anna Nowak" in page
    assert profile.contact_email not in page


def test_contact_through_the_site_forwards_to_the_private_address(client, directory):
    profile = directory["recycler"]
    sender = UserFactory(display_name="Marta Kowalska")
    client.force_login(sender)
    url = reverse("partners:organisation_contact", args=[profile.organisation.slug])
    response = client.post(url, {"body": "Can you take 5 t of cotton cuttings a month?"})
    assert response.url == profile.organisation.get_absolute_url()
    message = mail.outbox[-1]
    assert message.to == [profile.contact_email]
    assert message.extra_headers.get("Reply-To") == sender.email
    assert "5 t of cotton" in message.body and "Marta Kowalska" in message.body
    # Empty or NUL messages send nothing.
    count = len(mail.outbox)
    for body in ("", "\x00 nul"):
        response = client.post(url, {"body": body})
        assert response.status_code == 200
    assert len(mail.outbox) == count


def test_member_edits_the_profile_and_outsiders_cannot(client, directory):
    organisation = directory["weaver"].organisation
    url = reverse("partners:profile_edit", args=[organisation.slug])
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"offer": "hijacked"}).status_code == 403
    member = MembershipFactory(organisation=organisation).user
    client.force_login(member)
    response = client.post(
        url,
        {
            "offer": "Jacquard weaving with recycled yarns.",
            "value_chain": ["weaving_knitting", "finishing"],
            "nace_codes": ["13.20", "13.30"],
            "competences": "jacquard, recycled yarns",
            "languages": ["it", "en"],
            "size_class": "medium",
        },
    )
    assert response.status_code == 302
    directory["weaver"].refresh_from_db()
    assert directory["weaver"].offer == "Jacquard weaving with recycled yarns."
    assert ProfileTerm.objects.filter(organisation=organisation, code="13.30").exists()
    assert not ProfileTerm.objects.filter(organisation=organisation, scheme="s3").exists()


def test_search_queries_do_not_grow(client, directory, django_assert_max_num_queries):
    client.get(SEARCH)  # the site's first request creates its SiteLook
    # (the page, the other kinds' counts, and a grouped count per facet: country, region, terms)
    for show in ("organisations", "opportunities", "experts"):
        with django_assert_max_num_queries(16):
            client.get(SEARCH, {"show": show, "chain": "sorting"})
    for n in range(15):
        CooperationProfileFactory(value_chain=["sorting"], competences=[f"skill {n}"])
        OpportunityFactory(sought_partners=["sorting"])
        ExpertFactory(organisation=VerifiedOrganisationFactory())
    for show in ("organisations", "opportunities", "experts"):
        with django_assert_max_num_queries(16):
            response = client.get(SEARCH, {"show": show, "chain": "sorting"})
        assert len(response.context["page"]) >= 15 or show == "experts"


def test_kept_results_are_shared_but_every_change_and_the_visitors_own_actions_show(
    client, directory, settings
):
    """The filters and results are kept for every visitor asking the same address
    (cms/fragments.py, on while the page cache is): a second member's visit reads no
    organisation, an expert who opts out leaves the results at once, and the actions above
    them stay each visitor's own."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cms.directory.models import Organisation

    settings.PAGE_CACHE_SECONDS = 300
    expert = ExpertFactory(headline="Sorting specialist")
    acting = UserFactory()
    MembershipFactory(user=acting, organisation=directory["sorter"].organisation)
    acting_client, other_client = Client(), Client()
    acting_client.force_login(acting)
    other_client.force_login(UserFactory())
    wanted = {"show": "experts"}
    for visitor in (acting_client, other_client):  # the site's first request creates its SiteLook
        visitor.get(SEARCH, {"show": "opportunities"})
    assert "Sorting specialist" in acting_client.get(SEARCH, wanted).content.decode()
    with CaptureQueriesContext(connection) as captured:
        page = other_client.get(SEARCH, wanted).content.decode()
    assert "Sorting specialist" in page
    assert not [q for q in captured if Organisation._meta.db_table in q["sql"].split("WHERE")[0]]
    post = reverse("partners:opportunity_create")
    assert post in acting_client.get(SEARCH, wanted).content.decode()
    assert post not in page
    # Another address is another entry; a change shows at once to everyone.
    assert "Saxon Fibre Recycling" in other_client.get(SEARCH).content.decode()
    expert.opted_in_at = None
    expert.save()
    for visitor in (acting_client, other_client, client):
        assert "Sorting specialist" not in visitor.get(SEARCH, wanted).content.decode()
