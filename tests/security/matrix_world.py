"""The people and records of the permission matrix (tests/security/test_permission_matrix.py):
one of each role, and for each kind of private thing a real row that only some of them may
see: a private working group's forum, topic, post, attachment, report and invitation;
organisation A's draft listing, CSV import and saved search; B's inquiry and deal on A's
listing; a draft partner opportunity; another person's certificate; an unpublished page and a
private page; a draft page of region X and one of region Y."""

from datetime import timedelta
from decimal import Decimal
from http.cookies import SimpleCookie
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.mfa.models import Authenticator
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from machina.apps.forum_conversation.forum_attachments.models import Attachment
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from cms.accounts import roles
from cms.partners.models import ReviewState
from cms.services import regional_editing_setup, user_add_to_region_editors
from courses import services as course_services
from courses.providers import provider_add_member, training_providers_setup
from courses.scorm import services as scorm_services
from courses.scorm.models import ScormPackage
from exchange.models import ListingState
from exchange.services import inquiries as inquiry_services
from exchange.services import organisations as exchange_organisations
from exchange.services.alerts import saved_search_create
from exchange.services.imports import csv_import_start
from forum import services as forum_services
from forum.models import Invitation, Membership, Report, WorkingGroup
from tests.cms import factories as cms_factories
from tests.courses import scorm_packages
from tests.courses.factories import course_with_lessons, lessons_of
from tests.exchange.factories import (
    ListingFactory,
    MembershipFactory,
    SiteFactory,
    VerifiedOrganisationFactory,
)
from tests.factories import OrganisationFactory, RegionFactory, UserFactory
from tests.forum.factories import WorkingGroupFactory, topic_with_posts
from tests.partners.factories import CooperationProfileFactory, ExpertFactory, OpportunityFactory
from tests.quizzes import factories as quiz_factories

LOGIN_PATHS = (
    "/accounts/login/",
    "/accounts/admin-login/",
    "/_util/login/",
    "/admin/login/",
    "/django-admin/login/",
)

ROLES = (
    "anonymous",
    "trainee",
    "member",
    "outsider",
    "exchange_a",
    "exchange_b",
    "editor",
    "moderator",
    "provider",
    "admin",
)


def build_world():
    w = SimpleNamespace()
    tree = cms_factories.build_site_tree()
    w.region_x = RegionFactory(name="Łódzkie", slug="lodzkie")
    w.region_y = RegionFactory(name="Prato", slug="prato")
    regional_editing_setup()

    # People --------------------------------------------------------------------------------
    w.users = {
        "trainee": UserFactory(roles=[roles.TRAINEE], display_name="Tomasz Trainee"),
        "member": UserFactory(display_name="Maria Member"),
        "outsider": UserFactory(display_name="Olga Outsider"),
        "exchange_a": UserFactory(display_name="Adam of A"),
        "exchange_b": UserFactory(display_name="Beata of B"),
        "editor": UserFactory(display_name="Edyta Editor"),
        "moderator": UserFactory(roles=[roles.MODERATOR], display_name="Marek Moderator"),
        "provider": UserFactory(display_name="Paola Provider"),
        "admin": UserFactory(
            is_staff=True, is_superuser=True, roles=[roles.ADMINISTRATOR], display_name="Ada"
        ),
    }
    u = SimpleNamespace(**w.users)
    w.u = u
    user_add_to_region_editors(user=u.editor, region=w.region_x)
    w.coordinator = UserFactory(display_name="Celina Coordinator")
    w.learner = UserFactory(display_name="Lena Learner")

    # Working groups ------------------------------------------------------------------------
    w.private_group = WorkingGroupFactory(
        name="Confidential sorting trials",
        slug="confidential-trials",
        visibility=WorkingGroup.Visibility.PRIVATE,
        coordinators=[w.coordinator],
    )
    forum_services.membership_add(group=w.private_group, user=u.member)
    w.public_group = WorkingGroupFactory(name="Open recycling", slug="open-recycling")
    forum_services.membership_add(group=w.public_group, user=u.outsider)
    forum_services.membership_add(group=w.public_group, user=w.coordinator)
    w.private_topic = topic_with_posts(
        w.private_group, w.coordinator, subject="Secret yarn prices", posts=2
    )
    w.private_forum = w.private_group.forum
    w.private_post = w.private_topic.posts.order_by("pk").last()
    w.private_attachment = Attachment.objects.create(
        post=w.private_topic.first_post,
        file=SimpleUploadedFile("prices.txt", b"9 EUR/kg"),
        comment="prices",
    )
    w.public_topic = topic_with_posts(w.public_group, u.outsider, subject="Open question")
    w.public_forum = w.public_group.forum
    w.public_post = w.public_topic.first_post
    w.report = Report.objects.create(post=w.private_post, reporter=u.member, reason="Spam")
    w.invitation = Invitation.objects.create(
        group=w.private_group, email="invitee@example.org", invited_by=w.coordinator
    )
    w.applicant = UserFactory(display_name="Anka Applicant")
    forum_services.membership_request(group=w.private_group, user=w.applicant)
    w.group_request = Membership.objects.get(group=w.private_group, user=w.applicant)
    w.member_membership = Membership.objects.get(group=w.private_group, user=u.member)

    # Exchange ------------------------------------------------------------------------------
    w.org_a = VerifiedOrganisationFactory(name="Alpha Recycling", region=w.region_x)
    w.org_b = VerifiedOrganisationFactory(name="Beta Spinning", region=w.region_y)
    MembershipFactory(organisation=w.org_a, user=u.exchange_a)
    MembershipFactory(organisation=w.org_b, user=u.exchange_b)
    site_a = SiteFactory(organisation=w.org_a)
    w.draft_listing = ListingFactory(
        organisation=w.org_a,
        site=site_a,
        title="Draft denim offcuts",
        state=ListingState.DRAFT,
        published_at=None,
    )
    w.listing = ListingFactory(organisation=w.org_a, site=site_a, title="Active cotton waste")
    w.inquiry = inquiry_services.inquiry_start(
        listing=w.listing, user=u.exchange_b, organisation=w.org_b, body="Is it baled?"
    )
    w.deal = inquiry_services.deal_propose(
        inquiry=w.inquiry,
        user=u.exchange_b,
        quantity=Decimal("100"),
        date=timezone.localdate() + timedelta(days=7),
    )
    w.csv_import = csv_import_start(
        organisation=w.org_a,
        user=u.exchange_a,
        filename="listings.csv",
        text="title;waste_code\nJersey;04 02 22\n",
    )
    w.saved_search = saved_search_create(
        user=u.exchange_a, name="Denim", query="denim", frequency="weekly"
    )
    w.exchange_applicant = UserFactory(display_name="Jan Joining")
    w.exchange_request = exchange_organisations.membership_request(
        user=w.exchange_applicant, organisation=w.org_a
    )

    # Partners ------------------------------------------------------------------------------
    w.profile_a = CooperationProfileFactory(organisation=w.org_a)
    w.draft_opportunity = OpportunityFactory(
        organisation=w.org_a,
        title="Draft joint pilot",
        review_state=ReviewState.DRAFT,
        published_at=None,
    )
    w.opportunity_b = OpportunityFactory(organisation=w.org_b, title="Partner for spinning")
    from cms.partners.services import interest_express

    w.interest = interest_express(
        user=u.exchange_a, organisation=w.org_a, body="We can help.", opportunity=w.opportunity_b
    )
    w.expert = ExpertFactory(user=w.learner)
    w.technology = cms_factories.technology(tree["technologies"], developer=w.org_b)

    # Training ------------------------------------------------------------------------------
    w.provider_org = OrganisationFactory(name="Prato Textile Lab", region=w.region_y)
    provider_add_member(user=u.provider, organisation=w.provider_org)
    w.course = course_with_lessons(modules=1, lessons=1, title="Sorting basics")
    w.provider_course = course_with_lessons(
        modules=1, lessons=1, title="Provider course", provider=w.provider_org
    )
    # After the catalogue exists: its page permissions are granted to the provider groups.
    training_providers_setup()
    w.lesson = lessons_of(w.course)[0]
    course_services.course_enrol(user=w.learner, course=w.course)
    w.certificate = course_services.lesson_complete(user=w.learner, lesson=w.lesson)

    # Pages ---------------------------------------------------------------------------------
    w.story_x = cms_factories.story(tree["stories"], region=w.region_x, title="Draft story X")
    w.story_x.unpublish()
    w.story_y = cms_factories.story(tree["stories"], region=w.region_y, title="Draft story Y")
    w.story_y.unpublish()
    w.private_page = cms_factories.story(
        tree["stories"], region=w.region_x, title="Members-only story"
    )
    w.page_restriction = PageViewRestriction.objects.create(
        page=w.private_page, restriction_type=PageViewRestriction.LOGIN
    )
    board_papers = Collection.get_first_root_node().add_child(name="Board papers")
    w.collection_restriction = CollectionViewRestriction.objects.create(
        collection=board_papers, restriction_type=CollectionViewRestriction.LOGIN
    )
    w.document = Document.objects.create(
        title="Board minutes",
        file=ContentFile(b"board minutes", name="minutes.txt"),
        collection=board_papers,
    )
    # Someone else's security key: its views refuse every role.
    w.other_key = Authenticator.objects.create(
        user=w.coordinator,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Celina's key", "credential": {}, "passwordless": False},
    )
    w.public_page = cms_factories.story(tree["stories"], region=w.region_x, title="Public story")
    w.tree = tree

    # Admin records: a topic, and the other course's question bank and SCORM package (the
    # training provider may not open them).
    w.topic = cms_factories.TopicFactory()
    w.question_category = quiz_factories.category(w.course, "Fibres")
    w.question = quiz_factories.question(
        w.course, "truefalse", name="Is wool a protein fibre?", category=w.question_category
    )
    w.scorm_package = scorm_services.package_store(
        package=ScormPackage(title="Sorting simulator", organisation=w.org_b),
        upload=SimpleUploadedFile("p.zip", scorm_packages.scorm12(), "application/zip"),
    )
    return w


# What only some roles may read: a page or answer that shows one of these to another role
# leaks it, whatever its status code.
SECRETS = {
    "Secret yarn prices": {"member", "moderator", "admin"},
    "Confidential sorting trials": {"member", "moderator", "admin"},
    "Anka Applicant": {"moderator", "admin"},
    "Draft denim offcuts": {"exchange_a", "admin"},
    "Jan Joining": {"exchange_a", "admin"},
    "Is it baled?": {"exchange_a", "exchange_b"},
    "Draft joint pilot": {"exchange_a", "moderator", "admin"},
    # Wagtail's admin shows the page tree, drafts included, to everyone who works in it
    # (regional editing limits what they may change, not what they may read); the site
    # itself shows a draft to nobody.
    "Draft story X": {"editor", "moderator", "provider", "admin"},
    "Draft story Y": {"editor", "moderator", "provider", "admin"},
    # A question of a course that is not the training provider's.
    "Is wool a protein fibre?": {"moderator", "admin"},
    "Members-only story": set(ROLES) - {"anonymous"},
    "Board minutes": set(ROLES) - {"anonymous"},
}


def outcome(response):
    code = response.status_code
    if code >= 500:
        return "500"
    if 300 <= code < 400 and code != 304:
        location = urlsplit(response["Location"]).path
        return "l" if location.startswith(LOGIN_PATHS) else "r"
    return {403: "d", 404: "d", 405: "5"}.get(code, "o" if code < 300 or code == 304 else "?")


class Requester:
    """One client per role, reused; each request in a transaction that is rolled back."""

    def __init__(self, world):
        self.world = world
        self.clients = {}
        for role in ROLES:
            client = Client(raise_request_exception=False)
            if role != "anonymous":
                client.force_login(world.users[role])
            self.clients[role] = client

    def __call__(self, role, case):
        url = case.url.format(w=self.world)
        return url, self.request(role, case.method, url, case.data)

    def request(self, role, method, url, data=None, *, inside=None):
        """``inside(response)`` runs before the rollback (to count what the request saved)."""
        client = self.clients[role]
        for cache in caches.all():
            cache.clear()
        cookies = client.cookies.output(header="", sep=";")
        result = None
        with transaction.atomic():
            if method == "GET":
                response = client.get(url, data)
            else:
                response = client.post(url, data or {})
            if inside is not None:
                result = inside(response)
            transaction.set_rollback(True)
        # A sign-out (or a new session) is rolled back in the database; so in the client.
        client.cookies = SimpleCookie()
        client.cookies.load(cookies)
        return response if inside is None else (response, result)
