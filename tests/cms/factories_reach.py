"""Small page builders for the search, feed, newsletter and analytics tests.

They build the Virtual Centre tree with the existing page models:
HomePage → ResourceIndexPage → a section index → its pages."""

import itertools

from wagtail.models import Page

from cms.models import (
    HomePage,
    NewsletterIndexPage,
    NewsletterIssuePage,
    ResourceIndexPage,
    StoryIndexPage,
    StoryPage,
    TechnologyIndexPage,
    TechnologyPage,
)
from tests.factories import OrganisationFactory, RegionFactory

_counter = itertools.count(1)


def home_page():
    return HomePage.objects.get(depth=2)


def _child(parent, model, slug, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    page = model(title=fields.pop("title", slug.replace("-", " ").title()), slug=slug, **fields)
    parent.add_child(instance=page)
    return page


def resource_index():
    return _child(home_page(), ResourceIndexPage, "resources", title="Virtual Centre")


def story_index():
    return _child(
        resource_index(), StoryIndexPage, "stories", title="Pilot cases and success stories"
    )


def technology_index():
    return _child(
        resource_index(), TechnologyIndexPage, "technologies", title="Technological solutions"
    )


def newsletter_index():
    return _child(
        resource_index(), NewsletterIndexPage, "newsletters", title="Regional newsletters"
    )


def _publish(page):
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk).specific


def make_story(
    *, title=None, summary="A pilot on textile waste.", region=None, live=True, **fields
):
    n = next(_counter)
    page = StoryPage(
        title=title or f"Story {n}",
        slug=f"story-{n}",
        summary=summary,
        region=region if region is not None else RegionFactory(),
        challenge="<p>Post-consumer textiles were landfilled.</p>",
        solution="<p>Automated sorting by fibre.</p>",
        results="<p>1,200 tonnes diverted.</p>",
        live=False,
        **fields,
    )
    story_index().add_child(instance=page)
    return _publish(page) if live else page


def make_technology(*, title=None, summary="A recycling technology.", region=None, **fields):
    n = next(_counter)
    page = TechnologyPage(
        title=title or f"Technology {n}",
        slug=f"technology-{n}",
        summary=summary,
        region=region if region is not None else RegionFactory(),
        developer=fields.pop("developer", None) or OrganisationFactory(),
        readiness_level=7,
        live=False,
        **fields,
    )
    technology_index().add_child(instance=page)
    return _publish(page)


def make_newsletter_issue(*, region, title=None, body_html="", publish=True, **fields):
    """An unpublished newsletter issue (publish=False) or a published one."""
    n = next(_counter)
    page = NewsletterIssuePage(
        title=title or f"Newsletter {n}",
        slug=f"newsletter-{n}",
        summary=fields.pop("summary", "News from the textile recyclers of the region."),
        region=region,
        creator=fields.pop("creator", None) or OrganisationFactory(region=region),
        live=False,
        **fields,
    )
    if body_html:
        page.body = [("text", body_html)]
    newsletter_index().add_child(instance=page)
    return _publish(page) if publish else page
