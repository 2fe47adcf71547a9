"""Section 6: newsletters from the partner regions (sent to subscribers by
cms/newsletters)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Page
from wagtail.search import index

from .sections import ResourcePage, SectionIndexPage


class NewsletterIndexPage(SectionIndexPage):
    subpage_types = ["cms.NewsletterIssuePage"]

    class Meta:
        verbose_name = _("section: newsletters from partner regions")


class NewsletterIssuePage(ResourcePage):
    """One issue of a region's newsletter. ``date`` is the issue date; ``region`` is required.
    Publishing it e-mails it to the region's confirmed subscribers (cms/newsletters)."""

    creator = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("creator"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organisation that writes this newsletter."),
    )
    issue_number = models.CharField(_("issue number"), max_length=20, blank=True)
    pdf = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("PDF edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("creator"), FieldPanel("issue_number")]),
        *ResourcePage.classification_panels,
        FieldPanel("pdf"),
        FieldPanel("body"),
    ]
    search_fields = [
        *ResourcePage.search_fields,
        index.RelatedFields("creator", [index.SearchField("name")]),
    ]
    parent_page_types = ["cms.NewsletterIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("newsletter issue")

    def clean(self):
        super().clean()
        if not self.region_id:
            raise ValidationError({"region": _("A newsletter issue belongs to a partner region.")})
