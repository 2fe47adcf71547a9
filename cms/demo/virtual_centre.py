"""The Virtual Centre's demo pages: the topics, the legal pages, the seven sections with their
resources, events and funding calls, then the translations of the home page and regional editors.
Each section's content and loader is in its own module; this one builds the tree they hang on."""

from django.contrib.auth import get_user_model
from wagtail.models import Locale
from wagtail.rich_text import RichText

from cms import models as cms
from cms.accounts import roles
from cms.directory.models import Organisation, Region
from cms.services import regional_editing_setup, user_add_to_region_editors

from .core import DEMO_USERS
from .events import load_events
from .funding import load_funding_calls
from .legislation import load_legislation
from .newsletters import load_newsletters
from .pages import P, _child, _demo_images, _translate
from .research import load_research
from .stories import load_stories
from .technologies import load_technologies

TOPICS = [
    ("Sorting and identification", "sorting"),
    ("Mechanical recycling", "mechanical-recycling"),
    ("Chemical recycling", "chemical-recycling"),
    ("Extended producer responsibility", "epr"),
    ("Ecodesign and labelling", "ecodesign"),
    ("Pre-consumer waste", "pre-consumer-waste"),
    ("Post-consumer textiles", "post-consumer-textiles"),
    ("Nonwovens and technical textiles", "nonwovens"),
]

SECTIONS = [
    # model name, slug, title, intro
    (
        "StoryIndexPage",
        "stories",
        "Pilot cases and success stories",
        "How companies, recyclers and clusters of the partner regions turned textile waste into material.",
    ),
    (
        "WorkingGroupsIndexPage",
        "working-groups",
        "Forum and working groups",
        "Working groups of clusters, researchers and companies discussing recycling challenges.",
    ),
    (
        "TrainingIndexPage",
        "training",
        "Training modules",
        "Training modules on textile recycling and the circular economy, with their developers.",
    ),
    (
        "TechnologyIndexPage",
        "technologies",
        "Technological solutions",
        "Sorting, recycling and remanufacturing technologies, with their developers and readiness level.",
    ),
    (
        "ResearchIndexPage",
        "research",
        "Research and technological trends",
        "Publications and trend reports on textile recycling, linked to their creators.",
    ),
    (
        "NewsletterIndexPage",
        "newsletters",
        "Newsletters from partner regions",
        "The regional newsletters of the partner clusters and agencies.",
    ),
    (
        "LegislationIndexPage",
        "legislation",
        "Legislation",
        "EU and national law on textile waste, with links to the original sources.",
    ),
]

# The privacy notice and terms of use: placeholders for the operator's own texts.
LEGAL_PAGES = [
    (
        "privacy",
        "privacy",
        "Privacy notice",
        [
            "The Textile Virtual Centre keeps the data you give it (your profile, your training "
            "progress, your posts and listings) to run the services you use, and nothing else.",
            "You can download all of it, or delete your account, under Your data in the "
            "account menu.",
        ],
    ),
    (
        "terms",
        "terms",
        "Terms of use",
        [
            "Use the Virtual Centre for textile recycling and the circular economy: be honest "
            "about the materials you offer, respectful in the working groups, and keep other "
            "people's data to yourself.",
        ],
    ),
]


def load_topics():
    topics = {}
    for name, slug in TOPICS:
        topics[slug], _created = cms.Topic.objects.get_or_create(slug=slug, defaults={"name": name})
    return topics


def load_legal_pages(home):
    for kind, slug, title, paragraphs in LEGAL_PAGES:
        _child(
            home,
            cms.LegalPage,
            slug,
            title=title,
            kind=kind,
            body=[("text", RichText("".join(f"<p>{text}</p>" for text in paragraphs)))],
        )


def load_indexes(home):
    """/resources/ with its seven section indexes, /events/ and /funding/."""
    resources, _created = _child(
        home,
        cms.ResourceIndexPage,
        "resources",
        title="Virtual Centre resources",
        intro=P(
            "The reference point for textile recycling and the circular economy: seven sections, each linking to the people behind the resources."
        ),
    )
    sections = {}
    for model_name, slug, title, intro in SECTIONS:
        sections[slug], _created = _child(
            resources, getattr(cms, model_name), slug, title=title, intro=P(intro)
        )
    events_index, _created = _child(
        home,
        cms.EventIndexPage,
        "events",
        title="Events",
        intro=P(
            "Shared events of the partner networks: meetings, workshops, open days and webinars."
        ),
    )
    funding_index, _created = _child(
        home,
        cms.FundingIndexPage,
        "funding",
        title="Funding calls",
        intro=P("Funding programmes that can foster cooperation between the partner regions."),
    )
    return sections, events_index, funding_index


def load_regional_editors():
    """The demo's regional editors in their regions' editor groups (cms/editing.py)."""
    regional_editing_setup()
    User = get_user_model()
    for email, role, _name, region, _organisation in DEMO_USERS:
        if role == roles.REGIONAL_EDITOR:
            user_add_to_region_editors(
                user=User.objects.get(email=email), region=Region.objects.get(slug=region)
            )


def load_virtual_centre(*, stdout, style):
    stdout.write(style.MIGRATE_HEADING("Virtual Centre: sections, resources, events, funding"))
    home = cms.HomePage.objects.filter(locale=Locale.get_default()).first()
    regions = {region.slug: region for region in Region.objects.all()}
    organisations = {organisation.slug: organisation for organisation in Organisation.objects.all()}
    topics = load_topics()
    load_legal_pages(home)
    sections, events_index, funding_index = load_indexes(home)

    load_stories(
        sections["stories"],
        regions=regions,
        organisations=organisations,
        topics=topics,
        images=_demo_images(),
    )
    load_technologies(
        sections["technologies"], regions=regions, organisations=organisations, topics=topics
    )
    load_research(sections["research"], regions=regions, organisations=organisations, topics=topics)
    load_newsletters(sections["newsletters"], regions=regions, organisations=organisations)
    load_legislation(sections["legislation"], topics=topics)
    load_events(events_index, regions=regions, organisations=organisations)
    load_funding_calls(funding_index, regions=regions, organisations=organisations)

    for language, title in (
        ("pl", "Wirtualne Centrum Tekstylne"),
        ("it", "Centro Virtuale Tessile"),
    ):
        _translate(home, language, title)
        _translate(events_index, language, {"pl": "Wydarzenia", "it": "Eventi"}[language])

    load_regional_editors()
    stdout.write(
        f"  {cms.StoryPage.objects.count()} stories, {cms.EventPage.objects.count()} events, {cms.FundingCallPage.objects.count()} funding calls"
    )
