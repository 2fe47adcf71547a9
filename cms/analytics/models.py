"""Counters of dissemination: page views per page per day and clicks on newsletter links.

Nothing personal is stored: no cookie, no IP address, no user, only counts per day."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PageView(models.Model):
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("page views of a day")
        verbose_name_plural = _("page views")
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="one_count_per_page_day")
        ]
        indexes = [models.Index(fields=["day"])]
        permissions = [("view_report", _("Can see the dissemination report"))]


class LinkClick(models.Model):
    """Clicks on one link of one sent newsletter issue on one day."""

    issue = models.ForeignKey(
        "cms.NewsletterIssuePage",
        verbose_name=_("issue"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    url = models.URLField(_("link"), max_length=1000)
    day = models.DateField(_("day"))
    clicks = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("newsletter link clicks of a day")
        verbose_name_plural = _("newsletter link clicks")
        constraints = [
            models.UniqueConstraint(fields=["issue", "url", "day"], name="one_count_per_link_day")
        ]
