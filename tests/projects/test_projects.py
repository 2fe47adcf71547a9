"""/projects/ and /projects/<slug>/: partners, programme, area, regions, outputs linking to pages
of the site, filters, the organisation page's list of projects, pinned query counts."""

import datetime
from decimal import Decimal

import pytest

from cms.projects.models import ProjectIndexPage, ProjectOutput, ProjectPage, ProjectPartner
from tests.cms.factories import add_page, build_site_tree, home_page, story
from tests.factories import OrganisationFactory, RegionFactory


@pytest.fixture
def tree(db):
    tree = build_site_tree()
    tree["projects"] = home_page().add_child(
        instance=ProjectIndexPage(title="Joint projects", slug="projects")
    )
    return tree


def project(tree, *, partners, outputs=(), regions=(), **fields):
    fields.setdefault("summary", "Regions working together on textile recycling.")
    fields.setdefault("programme", "Interreg CENTRAL EUROPE")
    page = add_page(
        tree["projects"],
        ProjectPage,
        relations={
            "partners": [ProjectPartner(organisation=o, role=r) for o, r in partners],
            "outputs": [ProjectOutput(page=p) for p in outputs],
            "regions": list(regions),
        },
        **fields,
    )
    return page


def test_project_page_shows_partners_programme_and_outputs(
    tree, client, django_assert_max_num_queries
):
    coordinator = OrganisationFactory(name="Łódź Textile Cluster")
    partner = OrganisationFactory(name="Rigenera Lane")
    pilot = story(tree["stories"], title="NIR sorting pilot")
    draft = story(tree["stories"], title="Unpublished draft", live=False)
    page = project(
        tree,
        title="ENTeR",
        slug="enter",
        partners=[(coordinator, "coordinator"), (partner, "partner")],
        outputs=[pilot, draft],
        regions=[coordinator.region],
        s3_area="circular_economy",
        status="completed",
        start_date=datetime.date(2017, 6, 1),
        end_date=datetime.date(2020, 11, 10),
        budget=Decimal("2000000"),
    )
    client.get("/projects/enter/")
    with django_assert_max_num_queries(22):
        response = client.get("/projects/enter/")
    assert response.status_code == 200
    text = response.content.decode()
    assert page.url == "/projects/enter/"
    for expected in (
        "Łódź Textile Cluster",
        "Coordinator",
        "Rigenera Lane",
        "Interreg CENTRAL EUROPE",
        "Circular economy and recycling",
        "NIR sorting pilot",
        "Completed",
    ):
        assert expected in text
    assert "Unpublished draft" not in text


def test_project_list_filters_and_pins_queries(tree, client, django_assert_max_num_queries):
    prato = RegionFactory(name="Prato", nuts_code="ITI15", country="IT")
    org = OrganisationFactory(region=prato)
    for n in range(6):
        project(
            tree,
            title=f"Running {n}",
            partners=[(org, "partner")],
            regions=[prato],
            status="running",
        )
    project(
        tree,
        title="Finished wool",
        partners=[(org, "partner")],
        status="completed",
        s3_area="digital",
    )
    client.get("/projects/")
    with django_assert_max_num_queries(22):
        response = client.get("/projects/")
    assert response.status_code == 200
    assert "Running 5" in response.content.decode()
    response = client.get("/projects/", {"status": "completed"})
    assert "Finished wool" in response.content.decode()
    assert "Running 1" not in response.content.decode()
    response = client.get("/projects/", {"region": prato.pk})
    assert "Running 1" in response.content.decode()
    assert "Finished wool" not in response.content.decode()
    response = client.get(
        "/projects/", {"status": "nonsense\x00", "region": "abc", "q": "x" * 5000}
    )
    assert response.status_code == 200  # bad filters give a message in the form, never a 500


def test_an_organisation_page_lists_its_projects(tree, client):
    org = OrganisationFactory(name="Biella Wool Lab")
    other = OrganisationFactory()
    project(tree, title="Wool Trace", partners=[(org, "coordinator")])
    project(tree, title="Someone else's project", partners=[(other, "partner")])
    response = client.get(org.get_absolute_url())
    text = response.content.decode()
    assert "Joint projects" in text
    assert "Wool Trace" in text
    assert "Someone else&#x27;s project" not in text and "Someone else's project" not in text


def test_a_project_cannot_end_before_it_starts(tree):
    from django.core.exceptions import ValidationError

    page = ProjectPage(
        title="Backwards",
        summary="x",
        programme="LIFE",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError):
        page.clean()
