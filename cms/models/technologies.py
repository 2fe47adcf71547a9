"""Section 4: technological solutions, with their developer and readiness level."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from cms.editing import TechnologyPageForm
from cms.forms import TechnologyFilterForm
from cms.taxonomy import FIBRE_LABELS, PROCESS_LABELS, WASTE_CODE_LABELS

from .sections import ResourcePage, SectionIndexPage


class TechnologyIndexPage(SectionIndexPage):
    subpage_types = ["cms.TechnologyPage"]

    def filter_form_class(self):
        return TechnologyFilterForm

    class Meta:
        verbose_name = _("section: technological solutions")


class TechnologyPage(ResourcePage):
    developer = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("developer"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organisation that developed the technology."),
    )
    readiness_level = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("TRL 1 (basic principles observed) to 9 (proven in operational environment)."),
    )
    fibres = models.JSONField(_("fibres handled"), default=list, blank=True)
    waste_codes = models.JSONField(_("waste codes handled"), default=list, blank=True)
    processes = models.JSONField(_("processes"), default=list, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_url = models.URLField(_("contact or product page"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("developer"), FieldPanel("readiness_level")]),
        *ResourcePage.classification_panels,
        MultiFieldPanel(
            [FieldPanel("fibres"), FieldPanel("waste_codes"), FieldPanel("processes")],
            heading=_("Materials and processes"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_url")],
            heading=_("Contact"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *ResourcePage.search_fields,
        index.RelatedFields("developer", [index.SearchField("name")]),
        index.FilterField("readiness_level"),
    ]
    parent_page_types = ["cms.TechnologyIndexPage"]
    subpage_types = []
    base_form_class = TechnologyPageForm

    class Meta:
        verbose_name = _("technological solution")

    @property
    def fibre_labels(self):
        return [FIBRE_LABELS.get(code, code) for code in self.fibres]

    @property
    def waste_code_labels(self):
        return [(code, WASTE_CODE_LABELS.get(code, "")) for code in self.waste_codes]

    @property
    def process_labels(self):
        return [PROCESS_LABELS.get(code, code) for code in self.processes]

    @property
    def readiness_description(self):
        return TRL_DESCRIPTIONS.get(self.readiness_level, "")


TRL_DESCRIPTIONS = {
    1: _("Basic principles observed"),
    2: _("Technology concept formulated"),
    3: _("Experimental proof of concept"),
    4: _("Technology validated in lab"),
    5: _("Technology validated in relevant environment"),
    6: _("Technology demonstrated in relevant environment"),
    7: _("System prototype demonstration in operational environment"),
    8: _("System complete and qualified"),
    9: _("Actual system proven in operational environment"),
}
