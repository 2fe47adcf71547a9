"""Section 5: research and technological trends, linked to their creators."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from .sections import ResourcePage, SectionIndexPage

doi_validator = RegexValidator(
    r"^10\.\d{4,9}/\S+$", _("Enter a DOI such as 10.1016/j.resconrec.2020.105012.")
)


class ResearchIndexPage(SectionIndexPage):
    subpage_types = ["cms.ResearchPage"]

    class Meta:
        verbose_name = _("section: research and technological trends")


class ResearchPage(ResourcePage):
    """A publication or trend report. ``date`` is the publication date."""

    source_url = models.URLField(_("source URL"))
    doi = models.CharField(_("DOI"), max_length=200, blank=True, validators=[doi_validator])
    publisher = models.CharField(_("publisher or journal"), max_length=200, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        InlinePanel("creators", label=_("Creators"), min_num=1),
        MultiFieldPanel(
            [FieldPanel("source_url"), FieldPanel("doi"), FieldPanel("publisher")],
            heading=_("Source"),
        ),
        *ResourcePage.classification_panels,
        FieldPanel("body"),
    ]
    search_fields = [
        *ResourcePage.search_fields,
        index.SearchField("publisher"),
        index.RelatedFields("creators", [index.SearchField("name")]),
    ]
    parent_page_types = ["cms.ResearchIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("research or trend")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["creator_list"] = self.creators.select_related("organisation")
        return context

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""


class ResearchCreator(Orderable):
    page = ParentalKey(ResearchPage, on_delete=models.CASCADE, related_name="creators")
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("url"), FieldPanel("organisation")]
