"""Section 7: EU, national and regional legislation, with links to the original sources."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import ExternalResourceBlock
from cms.directory.countries import COUNTRIES

from .sections import ResourcePage, SectionIndexPage

# 7. Legislation --------------------------------------------------------------------------------
celex_validator = RegexValidator(
    r"^[0-9CE][0-9]{4}[A-Z]{1,2}[0-9]{4}(\([0-9]+\))?$",
    _("Enter a CELEX number such as 32008L0098 or 32011R1007."),
)


class LegislationIndexPage(SectionIndexPage):
    subpage_types = ["cms.LegislationPage"]

    class Meta:
        verbose_name = _("section: legislation")


class LegislationPage(ResourcePage):
    """A legal instrument. ``date`` is the adoption (or proposal) date; ``summary`` is the
    plain-language summary."""

    class InstrumentType(models.TextChoices):
        REGULATION = "regulation", _("Regulation")
        DIRECTIVE = "directive", _("Directive")
        DECISION = "decision", _("Decision")
        PROPOSAL = "proposal", _("Legislative proposal")
        STRATEGY = "strategy", _("Strategy or communication")
        NATIONAL_ACT = "national_act", _("National act")
        REGIONAL_ACT = "regional_act", _("Regional act")
        STANDARD = "standard", _("Standard or guidance")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ADOPTED = "adopted", _("Adopted, not yet applicable")
        IN_FORCE = "in_force", _("In force")
        REPEALED = "repealed", _("Repealed")

    jurisdiction = models.CharField(
        _("jurisdiction"),
        max_length=2,
        choices=[("EU", _("European Union")), *COUNTRIES],
        default="EU",
    )
    instrument_type = models.CharField(
        _("instrument type"), max_length=20, choices=InstrumentType.choices
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    identifier = models.CharField(
        _("official identifier"),
        max_length=120,
        blank=True,
        help_text=_("e.g. Directive 2008/98/EC"),
    )
    celex_number = models.CharField(
        _("CELEX number"), max_length=20, blank=True, validators=[celex_validator]
    )
    source_url = models.URLField(
        _("original source"), help_text=_("EUR-Lex or the official journal.")
    )
    entry_into_force = models.DateField(_("entry into force"), null=True, blank=True)
    application_date = models.DateField(_("date of application"), null=True, blank=True)
    related_publications = StreamField(
        [("publication", ExternalResourceBlock())],
        verbose_name=_("related publications"),
        blank=True,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel(
            [FieldPanel("jurisdiction"), FieldPanel("instrument_type"), FieldPanel("status")]
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("identifier"), FieldPanel("celex_number")]),
                FieldPanel("source_url"),
                FieldRowPanel([FieldPanel("entry_into_force"), FieldPanel("application_date")]),
            ],
            heading=_("Source and dates"),
        ),
        *ResourcePage.classification_panels,
        FieldPanel("body"),
        FieldPanel("related_publications"),
    ]
    search_fields = [
        *ResourcePage.search_fields,
        index.SearchField("identifier", boost=2),
        index.SearchField("celex_number"),
        index.FilterField("jurisdiction"),
        index.FilterField("status"),
    ]
    parent_page_types = ["cms.LegislationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("legislation")

    @property
    def eur_lex_url(self):
        if self.celex_number:
            return f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{self.celex_number}"
        return ""
