"""Virtual Centre pages for tests: a page tree like the site's, and factories that add live
pages to it. Pages are built with Wagtail's own ``add_child``; ``publish=True`` makes a
revision as the admin would."""

import datetime
import itertools

import factory
from django.utils import timezone
from wagtail.models import Locale, Page

from cms import models as cms
from cms.models import (
    NewsletterIndexPage,
    NewsletterIssuePage,
    ResourceIndexPage,
    StoryIndexPage,
    StoryPage,
    TechnologyIndexPage,
    TechnologyPage,
)
from tests.factories import OrganisationFactory, RegionFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cms.Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


def home_page():
    return cms.HomePage.objects.get(locale=Locale.get_default())


def build_site_tree():
    """Resources index with its seven sections, events and funding indexes, under the home
    page created by the data migration. Returns a dict of the index pages by slug."""
    home = home_page()
    tree = {}
    tree["resources"] = home.add_child(
        instance=cms.ResourceIndexPage(title="Virtual Centre resources", slug="resources")
    )
    for model, slug, title in [
        (cms.StoryIndexPage, "stories", "Pilot cases and success stories"),
        (cms.WorkingGroupsIndexPage, "working-groups", "Forum and working groups"),
        (cms.TrainingIndexPage, "training", "Training modules"),
        (cms.TechnologyIndexPage, "technologies", "Technological solutions"),
        (cms.ResearchIndexPage, "research", "Research and technological trends"),
        (cms.NewsletterIndexPage, "newsletters", "Newsletters from partner regions"),
        (cms.LegislationIndexPage, "legislation", "Legislation"),
    ]:
        tree[slug] = tree["resources"].add_child(instance=model(title=title, slug=slug))
    tree["events"] = home.add_child(instance=cms.EventIndexPage(title="Events", slug="events"))
    tree["funding"] = home.add_child(
        instance=cms.FundingIndexPage(title="Funding calls", slug="funding")
    )
    return tree


_counter = iter(range(1, 1_000_000))


def add_page(parent, model, *, publish=False, relations=None, **fields):
    n = next(_counter)
    fields.setdefault("title", f"{model._meta.verbose_name} {n}".capitalize())
    fields.setdefault("slug", f"{model._meta.model_name}-{n}")
    page = model(**fields)
    for name, value in (relations or {}).items():
        setattr(page, name, value)
    page = parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def story(parent, **fields):
    fields.setdefault("region", RegionFactory())
    fields.setdefault("summary", "Selvedges of a wool mill recycled into carded yarn.")
    fields.setdefault("challenge", "<p>Thirty tonnes of selvedges went to landfill.</p>")
    fields.setdefault("solution", "<p>A recycler tears and cards them.</p>")
    fields.setdefault("results", "<p>The mill sells a fabric with 60 % recycled wool.</p>")
    fields.setdefault(
        "key_figures",
        [("figure", {"value": "28", "unit": "t", "label": "wool diverted a year"})],
    )
    return add_page(parent, cms.StoryPage, **fields)


def technology(parent, **fields):
    fields.setdefault("developer", OrganisationFactory())
    fields.setdefault("region", fields["developer"].region)
    fields.setdefault("readiness_level", 7)
    fields.setdefault("summary", "Automated NIR sorting of garments.")
    fields.setdefault("fibres", ["polyester", "flax"])
    fields.setdefault("waste_codes", ["20 01 11"])
    fields.setdefault("processes", ["sorting_automated"])
    return add_page(parent, cms.TechnologyPage, **fields)


def research(parent, creator_organisation=None, **fields):
    fields.setdefault("region", RegionFactory())
    fields.setdefault("summary", "Accuracy of NIR sorting.")
    fields.setdefault("source_url", "https://example.org/paper")
    fields.setdefault("doi", "10.1016/j.resconrec.2020.105012")
    relations = {
        "creators": [
            cms.ResearchCreator(
                name="Dr Anna Nowak",
                url="https://example.org/nowak",
                organisation=creator_organisation,
            )
        ]
    }
    return add_page(parent, cms.ResearchPage, relations=relations, **fields)


def newsletter(parent, **fields):
    fields.setdefault("creator", OrganisationFactory())
    fields.setdefault("region", fields["creator"].region)
    fields.setdefault("summary", "News of the cluster.")
    return add_page(parent, cms.NewsletterIssuePage, **fields)


def legislation(parent, **fields):
    fields.setdefault("summary", "The EU's basic law on waste.")
    fields.setdefault("instrument_type", "directive")
    fields.setdefault("status", "in_force")
    fields.setdefault("identifier", "Directive 2008/98/EC")
    fields.setdefault("celex_number", "32008L0098")
    fields.setdefault("source_url", "https://eur-lex.europa.eu/eli/dir/2008/98/oj")
    return add_page(parent, cms.LegislationPage, **fields)


def event(parent, *, days=10, **fields):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    fields.setdefault("start", start)
    fields.setdefault("end", start + datetime.timedelta(hours=3))
    fields.setdefault("organiser", OrganisationFactory())
    fields.setdefault("city", "Prato")
    fields.setdefault("country", "IT")
    fields.setdefault("time_zone", "Europe/Rome")
    fields.setdefault("summary", "Mill visits and matchmaking.")
    return add_page(parent, cms.EventPage, **fields)


def funding_call(parent, *, days=30, **fields):
    fields.setdefault("deadline", timezone.now() + datetime.timedelta(days=days))
    fields.setdefault("programme", "Interreg Central Europe")
    fields.setdefault("call_url", "https://example.org/call")
    fields.setdefault("summary", "Cooperation projects on circular textiles.")
    return add_page(parent, cms.FundingCallPage, **fields)


# Small page builders for the search, feed, newsletter and analytics tests: they add to the
# tree (home → resources → a section index → its pages) what a test needs, reusing what exists.

_counter = itertools.count(1)


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
