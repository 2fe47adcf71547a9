"""The M3P materials exchange: organisation membership and sites, offer and wanted listings
described on EU taxonomies, stored matches, saved searches, inquiry threads and deals."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cms.directory.countries import COUNTRIES
from cms.taxonomy import (
    FIBRE_CHOICES,
    FIBRE_FAMILIES,
    FIBRE_FAMILY,
    PROCESSES,
    is_hazardous_code,
    waste_code_choices,
)

# Organisations and members -----------------------------------------------------------------


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


# Not MembershipQuerySet: django-stubs names a model's manager after its queryset class, and
# forum's would shadow this one in the type check.
class ExchangeMembershipQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(approved_at__isnull=False)


class Membership(models.Model):
    """A user acting for an organisation on the exchange. Owners approve join requests."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="exchange_memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="exchange_memberships",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExchangeMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="exchange_one_membership")
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"


class Site(models.Model):
    """A place where an organisation holds or receives material."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="exchange_sites",
    )
    name = models.CharField(_("site name"), max_length=120)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES)
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self):
        return f"{self.name} ({self.city})"


# Listings ------------------------------------------------------------------------------------


class ListingKind(models.TextChoices):
    OFFER = "offer", _("Offer")
    WANTED = "wanted", _("Wanted")


class ListingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RESERVED = "reserved", _("Reserved")
    CLOSED = "closed", _("Closed")


class Origin(models.TextChoices):
    PRE_CONSUMER = "pre_consumer", _("Pre-consumer (ISO 14021)")
    POST_CONSUMER = "post_consumer", _("Post-consumer (ISO 14021)")


class MaterialForm(models.TextChoices):
    FIBRE = "fibre", _("Fibre")
    YARN = "yarn", _("Yarn")
    FABRIC_CUTTINGS = "fabric_cuttings", _("Fabric cuttings")
    ROLL_ENDS = "roll_ends", _("Roll ends")
    DEADSTOCK = "deadstock", _("Deadstock fabric")
    GARMENTS = "garments", _("Garments")
    HOUSEHOLD = "household", _("Household textiles")
    MIXED_SORTED = "mixed_sorted", _("Mixed sorted fractions")


class ProductionStage(models.TextChoices):
    FIBRE_PRODUCTION = "fibre_production", _("Fibre production")
    SPINNING = "spinning", _("Spinning")
    WEAVING_KNITTING = "weaving_knitting", _("Weaving or knitting")
    FINISHING = "finishing", _("Dyeing and finishing")
    CUTTING = "cutting", _("Cutting and sewing")
    RETAIL = "retail", _("Retail and brands")
    USE = "use", _("After use (collection)")


class Colour(models.TextChoices):
    SORTED = "sorted", _("Sorted by colour")
    MIXED = "mixed", _("Mixed colours")
    WHITE = "white", _("White or undyed")


class Contaminant(models.TextChoices):
    BUTTONS = "buttons", _("Buttons")
    ZIPS = "zips", _("Zips")
    PRINTS = "prints", _("Prints")
    COATINGS = "coatings", _("Coatings")
    LABELS = "labels", _("Labels")
    ELASTIC = "elastic", _("Elastic trims")
    LAMINATES = "laminates", _("Laminates")


class Grade(models.TextChoices):
    UNSORTED = "unsorted", _("Unsorted")
    SORTED = "sorted", _("Sorted")
    SORTED_CLEANED = "sorted_cleaned", _("Sorted and cleaned")


class LegalStatus(models.TextChoices):
    WASTE = "waste", _("Waste")
    BY_PRODUCT = "by_product", _("By-product")
    END_OF_WASTE = "end_of_waste", _("End-of-waste")


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    TONNE = "t", _("t")
    METRE = "m", _("m")
    PIECES = "pieces", _("pieces")


class SupplyPattern(models.TextChoices):
    ONE_OFF = "one_off", _("One-off")
    WEEKLY = "week", _("per week")
    MONTHLY = "month", _("per month")
    YEARLY = "year", _("per year")


class Logistics(models.TextChoices):
    PICK_UP = "pick_up", _("Pick-up")
    DELIVERY = "delivery", _("Delivery")
    EITHER = "either", _("Pick-up or delivery")


class PriceType(models.TextChoices):
    FREE = "free", _("Free")
    NEGOTIABLE = "negotiable", _("Negotiable")
    PER_UNIT = "per_unit", _("Price per unit")


class CertificationScheme(models.TextChoices):
    GRS = "GRS", _("GRS (Global Recycled Standard)")
    RCS = "RCS", _("RCS (Recycled Claim Standard)")
    OEKO_TEX = "OEKO-TEX", _("OEKO-TEX Standard 100")
    GOTS = "GOTS", _("GOTS (Global Organic Textile Standard)")


WASTE_CODE_CHOICES = waste_code_choices()
# A fibre limit of a wanted listing names one fibre or a whole family ("family:synthetic").
FAMILY_PREFIX = "family:"
FIBRE_LIMIT_CHOICES = [
    (_("Fibre families"), [(FAMILY_PREFIX + code, label) for code, label in FIBRE_FAMILIES[:-1]]),
    (_("Fibres"), [(code, label) for code, label in FIBRE_CHOICES if code != "unknown"]),
]


def fibres_of(subject):
    """The fibre codes a limit's subject covers: itself, or every fibre of the family."""
    if subject.startswith(FAMILY_PREFIX):
        family = subject.removeprefix(FAMILY_PREFIX)
        return [code for code, fibre_family in FIBRE_FAMILY.items() if fibre_family == family]
    return [subject]


PROCESS_CHOICES = list(PROCESSES)
# Units that convert to kilograms, so quantities compare and deals count as tonnes.
KG_PER_UNIT: dict[str, Decimal] = {Unit.KG: Decimal(1), Unit.TONNE: Decimal(1000)}
PER_MONTH = {
    SupplyPattern.ONE_OFF: 1.0,
    SupplyPattern.WEEKLY: 52 / 12,
    SupplyPattern.MONTHLY: 1.0,
    SupplyPattern.YEARLY: 1 / 12,
}


# The states in which a listing of a verified organisation is public (``ListingQuerySet.public``).
PUBLIC_STATES = (ListingState.ACTIVE, ListingState.RESERVED)


class ListingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state=ListingState.ACTIVE)

    def public(self):
        """What anyone may browse: active and reserved listings of verified organisations."""
        return self.filter(state__in=PUBLIC_STATES, organisation__verified_at__isnull=False)

    def with_waste_code(self, code):
        """Offers of ``code`` and wanted listings that accept it."""
        return self.filter(
            Q(kind=ListingKind.OFFER, waste_code=code)
            | Q(kind=ListingKind.WANTED, accepted_codes__code=code)
        )

    def visible_to(self, user):
        """Public listings, plus every listing of the user's own organisations (drafts too)."""
        if not user.is_authenticated:
            return self.public()
        own = Membership.objects.approved().filter(user=user).values("organisation_id")
        return self.filter(
            Q(state__in=PUBLIC_STATES, organisation__verified_at__isnull=False)
            | Q(organisation_id__in=own)
        )


class Listing(models.Model):
    """An offer of textile material, or a wanted listing (material sought or processing
    capacity). Material is described on the EU taxonomies of ``cms.taxonomy``."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="exchange_listings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ListingKind.choices)
    title = models.CharField(_("title"), max_length=160)
    reference = models.CharField(
        _("your reference"),
        max_length=64,
        blank=True,
        help_text=_(
            "Your own reference, e.g. an article or batch number. A CSV import with the same "
            "reference updates this listing instead of adding another."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    waste_code = models.CharField(
        _("List of Waste code"),
        max_length=10,
        choices=WASTE_CODE_CHOICES,
        blank=True,
        help_text=_("Decision 2000/532/EC. Codes with * are hazardous."),
    )
    accepts_hazardous = models.BooleanField(
        _("accepts hazardous waste"),
        default=False,
        help_text=_("Wanted listings only: you are authorised to receive hazardous (*) codes."),
    )
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices, blank=True)
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices, blank=True)
    production_stage = models.CharField(
        _("production stage"), max_length=20, choices=ProductionStage.choices, blank=True
    )
    form = models.CharField(_("form"), max_length=20, choices=MaterialForm.choices, blank=True)
    accepted_forms = models.JSONField(
        _("forms accepted"),
        default=list,
        blank=True,
        help_text=_("Wanted listings: the forms you can take. None selected means any."),
    )
    colour = models.CharField(_("colour"), max_length=10, choices=Colour.choices, blank=True)
    colour_note = models.CharField(_("colours"), max_length=80, blank=True)
    contaminants = models.JSONField(_("contaminants and trims"), default=list, blank=True)
    contaminants_stated = models.BooleanField(
        _("contaminants described"),
        default=False,
        help_text=_("Tick when the list of trims above is complete (including none)."),
    )
    legal_status = models.CharField(
        _("legal status"), max_length=14, choices=LegalStatus.choices, blank=True
    )
    process = models.CharField(
        _("treatment"),
        max_length=32,
        choices=PROCESS_CHOICES,
        blank=True,
        help_text=_("Wanted listings: what you will do with the material."),
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    remaining_quantity = models.DecimalField(
        _("remaining quantity"), max_digits=12, decimal_places=2, default=0
    )
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.KG)
    supply_pattern = models.CharField(
        _("supply pattern"),
        max_length=8,
        choices=SupplyPattern.choices,
        default=SupplyPattern.ONE_OFF,
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="listings",
    )
    # Copied from the site (or the organisation) so radius search is one indexed query.
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    region = models.ForeignKey(
        "directory.Region",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logistics = models.CharField(
        _("logistics"), max_length=10, choices=Logistics.choices, blank=True
    )
    price_type = models.CharField(
        _("price"), max_length=12, choices=PriceType.choices, default=PriceType.NEGOTIABLE
    )
    price_amount = models.DecimalField(
        _("price per unit"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="EUR")
    # What an offer requires of whoever receives it.
    requires_permit = models.BooleanField(
        _("only receivers with a waste permit"),
        default=False,
        help_text=_("Offers: the receiver must hold a permit to treat this waste."),
    )
    requires_pick_up = models.BooleanField(
        _("pick-up only"),
        default=False,
        help_text=_("Offers: the receiver collects the material."),
    )
    # The buyer's specification: what a wanted listing accepts. An empty list accepts any
    # value; a list accepts only offers that state one of its values.
    any_fibre = models.BooleanField(
        _("any fibre"),
        default=False,
        help_text=_("Wanted listings: you take any fibre composition (processing capacity)."),
    )
    accepted_origins = models.JSONField(_("origins accepted"), default=list, blank=True)
    accepted_stages = models.JSONField(_("production stages accepted"), default=list, blank=True)
    accepted_colours = models.JSONField(_("colours accepted"), default=list, blank=True)
    accepted_grades = models.JSONField(_("grades accepted"), default=list, blank=True)
    accepted_legal_statuses = models.JSONField(
        _("legal statuses accepted"), default=list, blank=True
    )
    accepted_supply_patterns = models.JSONField(
        _("supply rhythms accepted"), default=list, blank=True
    )
    refused_contaminants = models.JSONField(
        _("contaminants and trims refused"), default=list, blank=True
    )
    min_lot_kg = models.DecimalField(
        _("smallest lot (kg)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_lot_kg = models.DecimalField(
        _("largest lot (kg)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    radius_km = models.PositiveIntegerField(
        _("within (km)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5000)],
        help_text=_("Wanted listings: how far from your site the material may come from."),
    )
    holds_permit = models.BooleanField(
        _("we hold a waste permit"),
        default=False,
        help_text=_("Wanted listings: you are permitted to receive and treat this waste."),
    )
    # The box around a wanted listing's radius, copied so offers find it with four comparisons.
    reach_min_latitude = models.FloatField(null=True, blank=True, editable=False)
    reach_max_latitude = models.FloatField(null=True, blank=True, editable=False)
    reach_min_longitude = models.FloatField(null=True, blank=True, editable=False)
    reach_max_longitude = models.FloatField(null=True, blank=True, editable=False)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ListingState.choices, default=ListingState.DRAFT
    )
    quality_score = models.PositiveSmallIntegerField(_("data quality"), default=0)
    primary_fibre = models.CharField(max_length=20, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ListingQuerySet.as_manager()

    # Km from the place a visitor browses from: annotated by the browse filters when one is
    # chosen (exchange.filters), None otherwise (what the card asks for then).
    distance = None

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        indexes = [
            models.Index(fields=["state", "kind", "-published_at"]),
            models.Index(fields=["-published_at", "-created_at"], name="exchange_listing_newest"),
            models.Index(fields=["latitude", "longitude"]),
            models.Index(fields=["waste_code"]),
            models.Index(fields=["form"]),
            models.Index(fields=["primary_fibre"]),
            # Browse sorted by data quality walks this index instead of sorting 50,000 rows.
            models.Index(
                fields=["-quality_score", "-published_at"], name="exchange_listing_quality"
            ),
            # The browse count (public listings) as an index-only scan.
            models.Index(fields=["state", "organisation"], name="exchange_listing_state_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_lot_kg__isnull=True)
                | Q(max_lot_kg__isnull=True)
                | Q(min_lot_kg__lte=F("max_lot_kg")),
                name="exchange_listing_lots_in_order",
            ),
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                condition=~Q(reference=""),
                name="exchange_listing_reference_unique",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exchange:listing_detail", kwargs={"pk": self.pk})

    def is_visible_to(self, organisation_ids) -> bool:
        """``Listing.objects.visible_to`` for a listing read already (with its organisation):
        public, or of one of ``organisation_ids``, the organisations the reader acts for."""
        return self.organisation_id in organisation_ids or (
            self.state in PUBLIC_STATES and self.organisation.verified_at is not None
        )

    @property
    def is_hazardous(self):
        return is_hazardous_code(self.waste_code)

    @property
    def is_offer(self):
        return self.kind == ListingKind.OFFER

    @property
    def kg_per_unit(self):
        return KG_PER_UNIT.get(self.unit)

    @property
    def monthly_quantity(self):
        return float(self.remaining_quantity) * PER_MONTH[self.supply_pattern]


class CompositionLine(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="composition")
    fibre = models.CharField(_("fibre"), max_length=20, choices=FIBRE_CHOICES)
    percent = models.PositiveSmallIntegerField(
        _("percent"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["-percent", "fibre"]
        verbose_name = _("composition line")
        verbose_name_plural = _("composition lines")
        indexes = [
            models.Index(fields=["fibre", "listing"]),
            # Fibre minimums of wanted listings: "cotton at least 90%" is one index range.
            models.Index(fields=["fibre", "percent", "listing"], name="exchange_line_fibre_pct"),
        ]

    def __str__(self):
        return f"{self.percent}% {self.get_fibre_display()}"


class AcceptedWasteCode(models.Model):
    """One List of Waste code a wanted listing accepts (none: any code)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="accepted_codes")
    code = models.CharField(_("List of Waste code"), max_length=10, choices=WASTE_CODE_CHOICES)

    class Meta:
        ordering = ["code"]
        verbose_name = _("accepted waste code")
        verbose_name_plural = _("accepted waste codes")
        constraints = [
            models.UniqueConstraint(fields=["listing", "code"], name="exchange_accepted_code_once")
        ]
        indexes = [models.Index(fields=["code", "listing"])]

    def __str__(self):
        return self.code


class FibreLimit(models.Model):
    """A hard limit of a wanted listing on one fibre or fibre family: at least and/or at most
    a percentage of the offer's composition. Unknown fibres count against a maximum (they may
    be that fibre) and never towards a minimum."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="fibre_limits")
    fibre = models.CharField(_("fibre or family"), max_length=32, choices=FIBRE_LIMIT_CHOICES)
    min_percent = models.PositiveSmallIntegerField(
        _("at least (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_percent = models.PositiveSmallIntegerField(
        _("at most (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(99)],
    )

    class Meta:
        ordering = ["fibre"]
        verbose_name = _("fibre limit")
        verbose_name_plural = _("fibre limits")
        constraints = [
            models.UniqueConstraint(fields=["listing", "fibre"], name="exchange_fibre_limit_once"),
            models.CheckConstraint(
                condition=Q(min_percent__isnull=False) | Q(max_percent__isnull=False),
                name="exchange_fibre_limit_has_a_bound",
            ),
            models.CheckConstraint(
                condition=Q(min_percent__isnull=True)
                | Q(max_percent__isnull=True)
                | Q(min_percent__lte=F("max_percent")),
                name="exchange_fibre_limit_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.fibre} {self.min_percent}–{self.max_percent}"

    @property
    def fibres(self):
        return fibres_of(self.fibre)


class Certification(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="certifications")
    scheme = models.CharField(_("scheme"), max_length=10, choices=CertificationScheme.choices)
    number = models.CharField(_("certificate number"), max_length=60)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self):
        return f"{self.scheme} {self.number}"


def listing_photo_path(instance, filename):
    return f"exchange/photos/{uuid.uuid4().hex}.jpg"


class ListingPhoto(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=listing_photo_path)
    alt_text = models.CharField(_("description of the photo"), max_length=200)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.alt_text
