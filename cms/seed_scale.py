"""`manage.py seed_scale`: a large data set made with bulk inserts, for load tests and
benchmarks. The core seeds users, organisations, CMS pages and page views; each app adds its
part through the ``SEED_SCALE`` hook (its ``seed_scale.py`` next to its models).

Pages are inserted in bulk with correct treebeard paths (``bulk_create_pages``): the rows of
every table of a page model's inheritance chain, the parents' ``numchild``, and the search
index entries, so the tree, the admin and search work as for pages made one by one."""

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from cms.accounts import roles
from cms.analytics.models import PageView
from cms.directory.models import Organisation, OrganisationKind, Region
from cms.models import (
    HomePage,
    ResearchIndexPage,
    ResearchPage,
    ResourceIndexPage,
    StoryIndexPage,
    StoryPage,
    TechnologyIndexPage,
    TechnologyPage,
    Topic,
)

BATCH = 2000
SEED_EMAIL_DOMAIN = "seed.example.org"
SEED_PASSWORD = "seed-scale-2026"  # noqa: S105 (a development data set, like the demo's)


@dataclass(frozen=True)
class ScaleSize:
    users: int
    pages: int
    organisations: int
    courses: int
    lessons: int
    questions: int
    attempts: int
    groups: int
    posts: int
    listings: int
    page_views: int


SIZES = {
    "small": ScaleSize(
        users=300,
        pages=60,
        organisations=30,
        courses=4,
        lessons=40,
        questions=200,
        attempts=1_000,
        groups=3,
        posts=600,
        listings=300,
        page_views=20_000,
    ),
    "large": ScaleSize(
        users=50_000,
        pages=5_000,
        organisations=500,
        courses=200,
        lessons=2_000,
        questions=10_000,
        attempts=200_000,
        groups=50,
        posts=100_000,
        listings=50_000,
        page_views=2_000_000,
    ),
}


@dataclass
class ScaleSeed:
    """What the core made, for the apps' parts: ids to link to, a seeded random generator,
    and the output."""

    size: ScaleSize
    stdout: object
    rng: random.Random = field(default_factory=lambda: random.Random(14))
    user_ids: list = field(default_factory=list)
    organisation_ids: list = field(default_factory=list)
    region_ids: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)

    def step(self, label):
        return _Step(self, label)


class _Step:
    def __init__(self, seed, label):
        self.seed, self.label = seed, label

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        elapsed = time.perf_counter() - self.start
        self.seed.timings[self.label] = elapsed
        if exc[0] is None:
            self.seed.stdout.write(f"  {self.label}: {elapsed:.1f} s")


def chunks(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bulk_insert(model, objects, batch_size=BATCH):
    """``bulk_create`` in batches; returns the objects (with their keys where the database
    returns them: PostgreSQL and SQLite)."""
    created = []
    for batch in chunks(objects, batch_size):
        created.extend(model.objects.bulk_create(batch, batch_size=batch_size))
    return created


# Pages -------------------------------------------------------------------------------------


def _path_segment(number, steplen):
    alphabet = Page.alphabet
    digits = ""
    while number:
        number, remainder = divmod(number, len(alphabet))
        digits = alphabet[remainder] + digits
    return digits.rjust(steplen, alphabet[0])


def _next_child_number(parent):
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).aggregate(
        last=models.Max("path")
    )["last"]
    if last is None:
        return 1
    return int(last[-Page.steplen :], len(Page.alphabet)) + 1


def bulk_create_pages(parent, pages, *, index=True):
    """Insert ``pages`` (unsaved instances of one specific page model) as live children of
    ``parent`` in bulk: treebeard paths after the parent's last child, url paths, one row per
    table of the model's inheritance chain, the parent's ``numchild``, search index entries.
    Slugs must be unique among the parent's children. Returns the pages with their ids."""
    if not pages:
        return []
    model = type(pages[0])
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    number = _next_child_number(parent)
    for offset, page in enumerate(pages):
        page.path = parent.path + _path_segment(number + offset, Page.steplen)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type_id = content_type.pk
        page.locale_id = page.locale_id or parent.locale_id
        page.translation_key = page.translation_key or uuid.uuid4()
        page.live = True
        page.has_unpublished_changes = False
        page.draft_title = page.title
        page.first_published_at = page.first_published_at or now
        page.last_published_at = page.first_published_at
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    for batch in chunks(pages):
        rows = [
            Page(**{f.attname: getattr(page, f.attname) for f in base_fields}) for page in batch
        ]
        Page.objects.bulk_create(rows)
        for page, row in zip(batch, rows, strict=True):
            page.pk = page.page_ptr_id = row.pk
    # One INSERT per table below Page in the inheritance chain (bulk_create cannot do
    # multi-table inheritance): each table's own columns, its parent link set to the page id.
    chain = [m for m in reversed(model._meta.get_parent_list()) if m is not Page] + [model]
    for table_model in chain:
        for link in table_model._meta.parents.values():
            if link is not None:
                for page in pages:
                    setattr(page, link.attname, page.pk)
        fields = list(table_model._meta.local_concrete_fields)
        for batch in chunks(pages):
            table_model._base_manager._insert(batch, fields=fields, using=connection.alias)
    Page.objects.filter(pk=parent.pk).update(numchild=models.F("numchild") + len(pages))
    parent.numchild += len(pages)
    if index:
        index_objects(model, [page.pk for page in pages])
    return pages


def index_objects(model, ids):
    """Add search index entries for ``ids`` of ``model`` in batches, related fields fetched
    once per batch (what ``wagtail_update_index`` does, for these objects only)."""
    backend = get_search_backend()
    related = [
        f.field_name for f in model.get_search_fields() if type(f).__name__ == "RelatedFields"
    ]
    for batch in chunks(ids, 500):
        objects = list(model.objects.filter(pk__in=batch).prefetch_related(*related))
        backend.add_bulk(model, objects)


# The core's part ---------------------------------------------------------------------------


def seed_users(seed):
    size = seed.size
    User = get_user_model()
    if User.objects.filter(email__endswith=f"@{SEED_EMAIL_DOMAIN}").exists():
        raise RuntimeError("seed_scale already ran on this database (seed users exist).")
    rng = seed.rng
    regions = list(Region.objects.values_list("pk", flat=True))
    if not regions:
        regions = [
            r.pk
            for r in bulk_insert(
                Region,
                [
                    Region(
                        name=f"Seed region {n}",
                        slug=f"seed-region-{n}",
                        country="PL",
                        nuts_code=f"ZZ{n}",
                    )
                    for n in range(10)
                ],
            )
        ]
    seed.region_ids = regions
    with seed.step(f"{size.organisations:,} organisations"):
        organisations = bulk_insert(
            Organisation,
            [
                Organisation(
                    name=f"Seed organisation {n}",
                    slug=f"seed-organisation-{n}",
                    kind=rng.choice(OrganisationKind.values),
                    region_id=rng.choice(regions),
                    country="PL",
                    city="Łódź",
                    latitude=rng.uniform(42, 54),
                    longitude=rng.uniform(7, 24),
                    verified_at=timezone.now(),
                )
                for n in range(size.organisations)
            ],
        )
        seed.organisation_ids = [o.pk for o in organisations]
    with seed.step(f"{size.users:,} users"):
        password = make_password(SEED_PASSWORD)
        languages = ["en", "pl", "it"]
        users = bulk_insert(
            User,
            [
                User(
                    email=f"user{n:06d}@{SEED_EMAIL_DOMAIN}",
                    display_name=f"Seed User {n}",
                    password=password,
                    organisation_id=rng.choice(seed.organisation_ids) if n % 3 == 0 else None,
                    region_id=rng.choice(regions),
                    preferred_language=languages[n % 3],
                    date_joined=timezone.now() - timedelta(days=rng.randint(0, 900)),
                )
                for n in range(size.users)
            ],
        )
        seed.user_ids = [u.pk for u in users]
        bulk_insert(
            EmailAddress,
            [EmailAddress(user_id=u.pk, email=u.email, verified=True, primary=True) for u in users],
        )
        trainee = Group.objects.get(name=roles.TRAINEE)
        Membership = User.groups.through
        bulk_insert(
            Membership, [Membership(user_id=pk, group_id=trainee.pk) for pk in seed.user_ids]
        )
    seed.counts["users"] = len(seed.user_ids)


def _section_indexes():
    """The English home → resources → section indexes, made when missing (an empty database
    has only the home page of the initial migration)."""
    home = HomePage.objects.filter(locale__language_code="en").first() or HomePage.objects.first()
    resources = ResourceIndexPage.objects.child_of(home).first()
    if resources is None:
        resources = home.add_child(instance=ResourceIndexPage(title="Resources", slug="resources"))
    sections = []
    for model, title, slug in [
        (StoryIndexPage, "Pilot cases and success stories", "stories"),
        (TechnologyIndexPage, "Technological solutions", "technologies"),
        (ResearchIndexPage, "Research and trends", "research"),
    ]:
        section = model.objects.child_of(resources).first()
        if section is None:
            section = resources.add_child(instance=model(title=title, slug=slug))
        sections.append(section)
    return sections


def _translated(page, locale):
    """``page``'s translation into ``locale`` (its ancestors too), made when missing."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing
    parent = page.get_parent().specific
    if parent.depth > 1:
        _translated(parent, locale)
    copy = page.copy_for_translation(locale, copy_parents=True)
    copy.save_revision().publish()
    return copy


WORDS = (
    "recycled cotton polyester wool sorting fibre textile waste circular regenerated "
    "mechanical chemical pilot cluster region traceability collection blend yarn"
).split()


def _summary(rng):
    return " ".join(rng.choice(WORDS) for _ in range(24)).capitalize() + "."


def _resource_page(model, n, rng, seed, topics, locale_id, translation_key=None, suffix=""):
    fields = {
        "title": f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} report {n}{suffix}",
        "slug": f"seed-{n}{suffix}",
        "summary": _summary(rng),
        "region_id": rng.choice(seed.region_ids),
        "date": date(2026, 12, 1) - timedelta(days=rng.randint(0, 2000)),
        "locale_id": locale_id,
        "translation_key": translation_key,
    }
    if model is ResearchPage:
        fields["source_url"] = f"https://research.example.org/{n}"
    if model is TechnologyPage:
        fields["readiness_level"] = rng.randint(1, 9)
        fields["developer_id"] = rng.choice(seed.organisation_ids)
    return model(**fields)


def seed_pages(seed):
    """CMS pages across the sections and regions: 60% in English, the rest Polish and
    Italian translations of them."""
    size, rng = seed.size, seed.rng
    sections = _section_indexes()
    models_by_section = [StoryPage, TechnologyPage, ResearchPage]
    topics = list(Topic.objects.values_list("pk", flat=True))
    english_count = max(1, size.pages * 3 // 5)
    translated_count = size.pages - english_count
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in ("en", "pl", "it")
    }
    created = {}
    with seed.step(f"{size.pages:,} CMS pages (English, Polish, Italian)"):
        for index, (section, model) in enumerate(zip(sections, models_by_section, strict=True)):
            count = english_count // 3 + (1 if index < english_count % 3 else 0)
            pages = [
                _resource_page(model, n, rng, seed, topics, locales["en"].pk)
                for n in range(index * 100_000, index * 100_000 + count)
            ]
            created[section.pk] = bulk_create_pages(section, pages)
        english = [page for pages in created.values() for page in pages]
        for position, code in enumerate(("pl", "it")):
            share = translated_count // 2 + (1 if position < translated_count % 2 else 0)
            originals = {page.pk for page in english[position::2][:share]}
            for section, model in zip(sections, models_by_section, strict=True):
                section_originals = [p for p in created[section.pk] if p.pk in originals]
                if not section_originals:
                    continue
                translated_section = _translated(section, locales[code])
                bulk_create_pages(
                    translated_section,
                    [
                        _resource_page(
                            model,
                            int(original.slug.removeprefix("seed-")),
                            rng,
                            seed,
                            topics,
                            locales[code].pk,
                            translation_key=original.translation_key,
                            suffix=f"-{code}",
                        )
                        for original in section_originals
                    ],
                )
        if topics:
            for model in models_by_section:
                through = model.topics.through
                ids = model.objects.filter(slug__startswith="seed-").values_list("pk", flat=True)
                bulk_insert(
                    through,
                    [through(resourcepage_id=pk, topic_id=rng.choice(topics)) for pk in ids],
                )
    seed.counts["pages"] = (
        Page.objects.type(*models_by_section).filter(slug__startswith="seed-").count()
    )


def seed_page_views(seed):
    """Views per page per day (cms.analytics): as many (page, day) counts as the size asks,
    spread over the live pages and the last days."""
    size, rng = seed.size, seed.rng
    page_ids = list(Page.objects.filter(depth__gt=1, live=True).values_list("pk", flat=True))
    days_needed = -(-size.page_views // len(page_ids))
    today = timezone.localdate()
    with seed.step(f"{size.page_views:,} page-view counts"):
        made = 0
        for day_offset in range(days_needed):
            day = today - timedelta(days=day_offset + 1)
            remaining = size.page_views - made
            batch = [
                PageView(page_id=pk, day=day, views=rng.randint(1, 60))
                for pk in page_ids[:remaining]
            ]
            for part in chunks(batch, 5000):
                PageView.objects.bulk_create(part, batch_size=5000, ignore_conflicts=True)
            made += len(batch)
    seed.counts["page_views"] = made


def seed_core(*, seed):
    with transaction.atomic():
        seed_users(seed)
    with transaction.atomic():
        seed_pages(seed)
