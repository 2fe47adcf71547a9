"""Virtual Centre pages for tests: a page tree like the site's, and factories that add live
pages to it. Pages are built with Wagtail's own ``add_child``; ``publish=True`` makes a
revision as the admin would."""

import datetime

import factory
from django.utils import timezone
from wagtail.models import Locale

from cms import models as cms
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
