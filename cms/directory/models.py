"""Regions and the directory of organisations: the shared reference data every app links to."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from .countries import COUNTRIES


class Region(index.Indexed, models.Model):
    """A partner region of the networks (a NUTS 1, 2 or 3 unit)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES)
    nuts_code = models.CharField(
        _("NUTS code"),
        max_length=5,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z]{2}[0-9A-Z]{0,3}$", _("Enter a NUTS code such as PL71."))
        ],
        help_text=_("Eurostat NUTS 2021 code, e.g. PL71 for Łódzkie or ITI15 for Prato."),
    )
    editor_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("editor group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="edited_region",
        help_text=_("The group whose members edit this region's pages (created automatically)."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("country"), FieldPanel("nuts_code")]),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("country"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class OrganisationKind(models.TextChoices):
    CLUSTER = "cluster", _("Cluster")
    ASSOCIATION = "association", _("Association")
    RESEARCH = "research", _("Research or technology centre")
    GOVERNMENT = "government", _("Government body or agency")
    COMPANY = "company", _("Company")
    RECYCLER = "recycler", _("Recycler")
    WASTE_MANAGEMENT = "waste_management", _("Waste-management provider")
    NETWORK = "network", _("Partner network")


class OrganisationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verified_at__isnull=False)

    def in_region(self, region):
        return self.filter(region=region)


class Organisation(index.Indexed, models.Model):
    """A cluster, association, research centre, agency, company or recycler.

    The same record is the directory entry of the Virtual Centre and the trading party of the
    materials exchange; each app links its content to it (stories, courses, listings, ...).
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=32, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES)
    city = models.CharField(_("city"), max_length=120, blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("public contact e-mail"), blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registration_number = models.CharField(
        _("VAT or registration number"), max_length=40, blank=True
    )
    verified_at = models.DateTimeField(
        _("verified"),
        null=True,
        blank=True,
        help_text=_("Set by staff once the organisation's identity has been checked."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("region"), FieldPanel("country")]),
        FieldPanel("description"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [
                FieldPanel("website"),
                FieldPanel("email"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Contact and location"),
        ),
        MultiFieldPanel(
            [FieldPanel("registration_number"), FieldPanel("verified_at")],
            heading=_("Verification"),
        ),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.SearchField("city"),
        index.FilterField("kind"),
        index.FilterField("region_id"),
        index.FilterField("country"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:organisation", kwargs={"slug": self.slug})

    @property
    def is_verified(self):
        return self.verified_at is not None

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None
