import pytest
from django.core import mail
from django.urls import reverse

from cms.partners.models import ReviewState
from cms.partners.selectors import technology_matches
from tests.cms.factories import build_site_tree, technology
from tests.exchange.factories import MembershipFactory, VerifiedOrganisationFactory
from tests.partners.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def technologies(db):
    tree = build_site_tree()
    developer = MembershipFactory(organisation__name="Maribor Textile Research Centre")
    pages = {
        "sorting": technology(
            tree["technologies"],
            title="Hyperspectral NIR sorting line",
            developer=developer.organisation,
            readiness_level=8,
            fibres=["cotton", "polyester"],
            waste_codes=["20 01 11"],
            processes=["sorting_automated"],
            contact_email="transfer@maribor.example.org",
        ),
        "glycolysis": technology(
            tree["technologies"],
            title="Glycolysis of polyester",
            developer=VerifiedOrganisationFactory(name="Lab without members"),
            readiness_level=5,
            fibres=["polyester"],
            waste_codes=["04 02 22"],
            processes=["chemical_depolymerisation"],
            contact_email="lab@example.org",
        ),
        "wool": technology(
            tree["technologies"],
            title="Tearing and carding of wool",
            readiness_level=9,
            fibres=["wool"],
            waste_codes=["04 02 22"],
            processes=["mechanical"],
        ),
    }
    return {"tree": tree, "pages": pages, "developer": developer}


def titles(response):
    return [page.title for page in response.context["resources"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"trl": "8"}, {"Hyperspectral NIR sorting line", "Tearing and carding of wool"}),
        ({"process": "mechanical"}, {"Tearing and carding of wool"}),
        ({"fibre": "polyester"}, {"Hyperspectral NIR sorting line", "Glycolysis of polyester"}),
        ({"waste_code": "04 02 22"}, {"Glycolysis of polyester", "Tearing and carding of wool"}),
        ({"fibre": "polyester", "trl": "6"}, {"Hyperspectral NIR sorting line"}),
    ],
)
def test_technologies_filter_by_readiness_process_fibre_and_waste_stream(
    client, technologies, params, expected
):
    index = technologies["tree"]["technologies"]
    assert set(titles(client.get(index.url, params))) == expected


def test_bad_technology_filters_are_refused_not_an_error(client, technologies):
    index = technologies["tree"]["technologies"]
    response = client.get(index.url, {"trl": "99", "fibre": "\x00"})
    assert response.status_code == 200
    assert len(titles(response)) == 3  # unfiltered, with the form's message


def test_technology_request_is_matched_and_sent_to_the_developers(client, technologies, sme):
    request = OpportunityFactory(
        organisation=sme.organisation,
        kind="technology_request",
        title="Sort our post-consumer cotton by fibre",
        process="sorting_automated",
        fibres=["cotton", "polyester"],
        waste_codes=["20 01 11"],
        trl_wanted=7,
        budget=150000,
        review_state=ReviewState.SUBMITTED,
    )
    OpportunityFactory(
        kind="technology_offer", title="NIR trials on a pilot line", process="sorting_automated"
    )
    matches = technology_matches(request)
    assert [m.title for m in matches] == [
        "Hyperspectral NIR sorting line",
        "NIR trials on a pilot line",
    ]  # glycolysis is TRL 5 (< 7 wanted), wool shares nothing
    assert "Same process step" in " ".join(matches[0].reasons)

    reviewer = MembershipFactory(user__roles=["Moderator"]).user
    client.force_login(reviewer)
    client.post(
        reverse("partners:review_queue"), {"opportunity": request.pk, "decision": "approve"}
    )
    developer_mail = [m for m in mail.outbox if m.to == [technologies["developer"].user.email]]
    assert len(developer_mail) == 1
    assert "Sort our post-consumer cotton" in developer_mail[0].body
    assert "150000 EUR" in developer_mail[0].body
    # The detail page lists what may answer it.
    client.logout()
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Hyperspectral NIR sorting line" in page


def test_a_developer_without_members_gets_the_request_at_the_technology_contact(
    technologies, sme, django_capture_on_commit_callbacks
):
    from cms.partners.services import technology_request_send

    request = OpportunityFactory(
        organisation=sme.organisation,
        kind="technology_request",
        process="chemical_depolymerisation",
        fibres=["polyester"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        reached = technology_request_send(opportunity=request)
        assert mail.outbox == []  # sent once the request's transaction commits
    # The glycolysis lab has no members: its technology's contact address; the sorting
    # centre (polyester too) has, so its members.
    assert len(reached) == 2
    assert sorted(m.to for m in mail.outbox) == sorted(
        [["lab@example.org"], [technologies["developer"].user.email]]
    )
