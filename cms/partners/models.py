"""Partner matching (the M3P's second half): cooperation profiles of organisations, cooperation
opportunities with their review, and experts who opt in to be found.

Profiles and opportunities keep their classifications as lists (what forms and pages use) and
mirror them into term rows (``ProfileTerm``, ``OpportunityTerm``) on save: the facets of
/partners/, "organisations like this one" and the recommendations are indexed lookups on those
rows instead of scans of JSON."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.directory.countries import COUNTRIES
from cms.taxonomy import PROCESSES

from .taxonomy import SIZE_CLASSES, nace_ancestors, term_code


class Scheme(models.TextChoices):
    """What a term row classifies."""

    NACE = "nace", _("NACE activity")
    CHAIN = "chain", _("Value-chain position")
    S3 = "s3", _("Smart-specialisation area")
    COMPETENCE = "competence", _("Competence")
    SEEKS = "seeks", _("Sought partner type")
    COUNTRY = "country", _("Sought country")


ANY_COUNTRY = "*"


def _terms(*, nace=(), chain=(), s3=(), competences=(), seeks=(), countries=None):
    """The (scheme, code) pairs of a classification; NACE codes with their parents."""
    pairs = set()
    for code in nace:
        pairs.update((Scheme.NACE, ancestor) for ancestor in nace_ancestors(code))
    pairs.update((Scheme.CHAIN, code) for code in chain)
    pairs.update((Scheme.S3, code) for code in s3)
    pairs.update((Scheme.COMPETENCE, term_code(text)) for text in competences if term_code(text))
    pairs.update((Scheme.SEEKS, code) for code in seeks)
    if countries is not None:
        pairs.update((Scheme.COUNTRY, code) for code in (countries or [ANY_COUNTRY]))
    return pairs


class CooperationProfile(models.Model):
    """What an organisation does and offers, for partner search. The contact person's address
    is never shown: people write to them through the site."""

    organisation = models.OneToOneField(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="cooperation_profile",
    )
    offer = models.TextField(
        _("what we offer"),
        max_length=2000,
        blank=True,
        help_text=_("Services, technologies and capacity partners can use."),
    )
    seeking = models.TextField(_("what we look for"), max_length=2000, blank=True)
    nace_codes = models.JSONField(_("activities (NACE Rev. 2)"), default=list, blank=True)
    value_chain = models.JSONField(_("position in the value chain"), default=list, blank=True)
    s3_areas = models.JSONField(_("smart-specialisation areas"), default=list, blank=True)
    competences = models.JSONField(
        _("competences and technologies offered"), default=list, blank=True
    )
    equipment = models.TextField(_("equipment"), max_length=2000, blank=True)
    certifications = models.JSONField(_("certifications"), default=list, blank=True)
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    size_class = models.CharField(_("size"), max_length=8, choices=SIZE_CLASSES, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(
        _("contact person's e-mail"),
        blank=True,
        help_text=_("Never shown: messages sent through the site are forwarded to it."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("cooperation profile")
        verbose_name_plural = _("cooperation profiles")

    def __str__(self):
        return str(self.organisation)

    def term_pairs(self):
        return _terms(
            nace=self.nace_codes,
            chain=self.value_chain,
            s3=self.s3_areas,
            competences=self.competences,
        )

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            ProfileTerm.replace(self.organisation_id, self.term_pairs())


class ProfileTerm(models.Model):
    """One classification of an organisation's profile (a mirror of its lists)."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="partner_terms"
    )
    scheme = models.CharField(max_length=12, choices=Scheme.choices)
    code = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "scheme", "code"], name="partners_profile_term_once"
            )
        ]
        indexes = [models.Index(fields=["scheme", "code"], name="partners_profile_term_code")]

    @classmethod
    def replace(cls, organisation_id, pairs):
        cls.objects.filter(organisation_id=organisation_id).delete()
        cls.objects.bulk_create(
            cls(organisation_id=organisation_id, scheme=scheme, code=code)
            for scheme, code in sorted(pairs)
        )


class OpportunityKind(models.TextChoices):
    BUSINESS_OFFER = "business_offer", _("Business offer")
    BUSINESS_REQUEST = "business_request", _("Business request")
    TECHNOLOGY_OFFER = "technology_offer", _("Technology offer")
    TECHNOLOGY_REQUEST = "technology_request", _("Technology request")
    PARTNER_SEARCH = "partner_search", _("Research or project partner search")
    JOINT_ACTION = "joint_action", _("Investment or joint-action proposal")


class OpportunityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    PARTNER_FOUND = "partner_found", _("Partner found")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Returned for changes")


class OpportunityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(review_state=ReviewState.PUBLISHED)

    def live(self):
        """Published, open and not past its deadline: what partners may still answer."""
        return self.published().filter(
            Q(deadline__isnull=True) | Q(deadline__gte=timezone.localdate()),
            status=OpportunityStatus.OPEN,
        )

    def visible_to(self, user, organisation_ids=()):
        """Published opportunities for everyone; drafts and those under review only for the
        members of the posting organisation (``organisation_ids``) and reviewers."""
        if user.is_authenticated and user.has_perm("partners.review_opportunity"):
            return self
        return self.filter(
            Q(review_state=ReviewState.PUBLISHED) | Q(organisation_id__in=organisation_ids)
        )


class Opportunity(models.Model):
    """A cooperation opportunity an organisation posts: an offer or a request of business or
    technology, a partner search for a research project (optionally tied to a funding call), or
    a joint-action proposal. Staff review it before it is published."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="partner_opportunities",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("type"), max_length=24, choices=OpportunityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600)
    description = models.TextField(_("description"), max_length=6000, blank=True)
    sought_partners = models.JSONField(_("partners sought"), default=list, blank=True)
    sought_countries = models.JSONField(
        _("countries sought"),
        default=list,
        blank=True,
        help_text=_("Leave empty to welcome partners from any country."),
    )
    nace_codes = models.JSONField(_("activities (NACE Rev. 2)"), default=list, blank=True)
    s3_areas = models.JSONField(_("smart-specialisation areas"), default=list, blank=True)
    competences = models.JSONField(_("competences concerned"), default=list, blank=True)
    funding_call = models.ForeignKey(
        "cms.FundingCallPage",
        verbose_name=_("funding call"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_searches",
    )
    deadline = models.DateField(_("answer by"), null=True, blank=True)
    # Technology requests: what the need is.
    process = models.CharField(_("process step"), max_length=32, choices=PROCESSES, blank=True)
    fibres = models.JSONField(_("fibres"), default=list, blank=True)
    waste_codes = models.JSONField(_("waste streams"), default=list, blank=True)
    budget = models.DecimalField(
        _("budget (EUR)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10**11)],
    )
    trl_wanted = models.PositiveSmallIntegerField(
        _("readiness level wanted (TRL)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OpportunityStatus.choices,
        default=OpportunityStatus.OPEN,
    )
    review_state = models.CharField(
        _("review"), max_length=12, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    review_note = models.TextField(_("note from the reviewer"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("cooperation opportunity")
        verbose_name_plural = _("cooperation opportunities")
        permissions = [("review_opportunity", _("Can review cooperation opportunities"))]
        indexes = [models.Index(fields=["review_state", "status", "deadline"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partners:opportunity", kwargs={"pk": self.pk})

    @property
    def is_published(self):
        return self.review_state == ReviewState.PUBLISHED

    @property
    def is_live(self):
        return (
            self.is_published
            and self.status == OpportunityStatus.OPEN
            and (self.deadline is None or self.deadline >= timezone.localdate())
        )

    @property
    def is_editable(self):
        return self.review_state in (ReviewState.DRAFT, ReviewState.REJECTED)

    def term_pairs(self):
        return _terms(
            nace=self.nace_codes,
            s3=self.s3_areas,
            competences=self.competences,
            seeks=self.sought_partners,
        )

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            OpportunityTerm.replace(self)


def countries_column(countries):
    return f",{','.join(countries)}," if countries else ""


class OpportunityTerm(models.Model):
    """One classification of an opportunity that partners may answer (published and open):
    the rows of the others are removed. The posting organisation and the deadline are copied
    here so that the recommendations are one indexed scan of this table."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="terms")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    deadline = models.DateField(null=True, blank=True)
    # The countries sought, as ",PL,CZ," (empty: any country), so that the country restriction
    # is a filter on the matching rows themselves.
    countries = models.CharField(max_length=300, blank=True)
    scheme = models.CharField(max_length=12, choices=Scheme.choices)
    code = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "scheme", "code"], name="partners_opportunity_term_once"
            )
        ]
        indexes = [models.Index(fields=["scheme", "code"], name="partners_opp_term_code")]

    @classmethod
    def rows(cls, opportunity):
        if not (
            opportunity.review_state == ReviewState.PUBLISHED
            and opportunity.status == OpportunityStatus.OPEN
        ):
            return []
        return [
            cls(
                opportunity_id=opportunity.pk,
                organisation_id=opportunity.organisation_id,
                deadline=opportunity.deadline,
                countries=countries_column(opportunity.sought_countries),
                scheme=scheme,
                code=code,
            )
            for scheme, code in sorted(opportunity.term_pairs())
        ]

    @classmethod
    def replace(cls, opportunity):
        cls.objects.filter(opportunity_id=opportunity.pk).delete()
        cls.objects.bulk_create(cls.rows(opportunity))


class ExpertQuerySet(models.QuerySet):
    def public(self):
        """Experts who opted in (and whose account is active): nothing else is ever shown."""
        return self.filter(opted_in_at__isnull=False, user__is_active=True)


class Expert(models.Model):
    """A person who chose to be found as an expert. Nothing of them is public until they opt
    in; their e-mail address never is (people write to them through the site)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="expert_profile",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="experts",
    )
    headline = models.CharField(_("headline"), max_length=150)
    bio = models.TextField(_("about you"), max_length=2000, blank=True)
    expertise = models.JSONField(_("expertise"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES, blank=True)
    opted_in_at = models.DateTimeField(_("listed since"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The expertise tags as plain lower-case text, for search (JSON text escapes non-ASCII).
    expertise_text = models.TextField(editable=False, blank=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        ordering = ["headline"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self):
        return self.user.get_display_name()

    def get_absolute_url(self):
        return reverse("partners:expert", kwargs={"pk": self.pk})

    @property
    def is_public(self):
        return self.opted_in_at is not None

    def save(self, *args, **kwargs):
        self.expertise_text = "\n".join(term_code(tag) for tag in self.expertise)
        super().save(*args, **kwargs)


INTEREST_CONVERSATION = "partners.interest"


class InterestState(models.TextChoices):
    OPEN = "open", _("Open")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The states in which the thread takes no more messages.
INTEREST_ENDED = (InterestState.CLOSED, InterestState.WITHDRAWN)


class InterestQuerySet(models.QuerySet):
    def visible_to(self, organisation_ids):
        """The threads of which one of ``organisation_ids`` is a side."""
        return self.filter(
            Q(organisation_id__in=organisation_ids) | Q(owner_organisation_id__in=organisation_ids)
        )


class Interest(models.Model):
    """An expression of interest in an opportunity or a technology. Its thread is a
    ``cms.conversations`` conversation between the interested organisation and the organisation
    that posted the opportunity or developed the technology (the same mechanism as the
    exchange's inquiries); this row adds what it is about and where the receiving side put it
    (open, shortlisted, closed) or that the interested side withdrew it."""

    conversation = models.OneToOneField(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="interest"
    )
    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("cooperation opportunity"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="interests",
    )
    technology = models.ForeignKey(
        "cms.TechnologyPage",
        verbose_name=_("technology"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partner_interests",
    )
    # The two sides of the conversation, kept here for the constraint "one expression of
    # interest per organisation and subject" and the indexed lists of each side.
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("interested organisation"),
        on_delete=models.CASCADE,
        related_name="partner_interests_sent",
    )
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("receiving organisation"),
        on_delete=models.CASCADE,
        related_name="partner_interests_received",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=InterestState.choices, default=InterestState.OPEN
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = InterestQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.CheckConstraint(
                condition=Q(opportunity__isnull=False, technology__isnull=True)
                | Q(opportunity__isnull=True, technology__isnull=False),
                name="partners_interest_one_subject",
            ),
            models.UniqueConstraint(
                fields=["opportunity", "organisation"],
                condition=Q(opportunity__isnull=False),
                name="partners_interest_once_per_opportunity",
            ),
            models.UniqueConstraint(
                fields=["technology", "organisation"],
                condition=Q(technology__isnull=False),
                name="partners_interest_once_per_technology",
            ),
        ]
        indexes = [models.Index(fields=["owner_organisation", "state"])]

    def __str__(self):
        return f"{self.organisation} → {self.subject}"

    def get_absolute_url(self):
        return reverse("partners:interest", kwargs={"pk": self.pk})

    @property
    def subject(self):
        return self.opportunity if self.opportunity_id else self.technology

    @property
    def subject_title(self):
        return self.subject.title

    @property
    def messages(self):
        """The thread's messages (of its conversation)."""
        return self.conversation.messages

    @property
    def is_ended(self):
        return self.state in INTEREST_ENDED

    @property
    def sides(self):
        return self.organisation_id, self.owner_organisation_id

    def other_side(self, organisation_id):
        return (
            self.owner_organisation_id
            if organisation_id == self.organisation_id
            else self.organisation_id
        )


class RecommendationDelivery(models.Model):
    """An opportunity already announced to a user in a recommendations digest (never twice)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "opportunity"], name="partners_recommendation_once"
            )
        ]
