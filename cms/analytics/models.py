"""Counters of dissemination: page views per page per day and clicks on newsletter links.

Nothing personal is stored: no cookie, no IP address, no user, only counts per day."""

import calendar
import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
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


class Visit(models.Model):
    """Views of one address of the site (any app's public page) on one day, from one referring
    site and one campaign. No cookie, no IP address, no user: only the referrer's domain and the
    utm_source / utm_medium / utm_campaign of the link that brought the visitor."""

    day = models.DateField(_("day"))
    path = models.CharField(_("address"), max_length=300)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The CMS page at this address, for views by section and region."),
    )
    referrer = models.CharField(_("referring site"), max_length=253, blank=True)
    source = models.CharField(_("campaign source"), max_length=100, blank=True)
    medium = models.CharField(_("campaign medium"), max_length=100, blank=True)
    campaign = models.CharField(_("campaign"), max_length=100, blank=True)
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("visits of a day")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "path", "referrer", "source", "medium", "campaign"],
                name="one_count_per_visit_kind_day",
            )
        ]
        indexes = [models.Index(fields=["day", "page"])]


# The media log: what editors record of the coverage their region got ----------------------------

MAX_COUNT = 1_000_000_000  # an audience or a count above a billion is a typing error
count_validators = [MaxValueValidator(MAX_COUNT)]


class RegionalRecordQuerySet(models.QuerySet):
    def of_regions(self, region_ids):
        """Records of ``region_ids`` (None: every region, for unrestricted editors)."""
        return self if region_ids is None else self.filter(region_id__in=region_ids)

    def in_quarter(self, year, quarter):
        start, end = quarter_bounds(year, quarter)
        return self.filter(date__gte=start, date__lte=end)


def quarter_bounds(year, quarter):
    start = datetime.date(year, 3 * (quarter - 1) + 1, 1)
    end_month = start.month + 2
    end = datetime.date(year, end_month, calendar.monthrange(year, end_month)[1])
    return start, end


class MediaType(models.TextChoices):
    PRESS = "press", _("Press")
    RADIO = "radio", _("Radio")
    TV = "tv", _("Television")
    ONLINE = "online", _("Online media")


class MediaCoverage(models.Model):
    """One article, broadcast or online piece about the Virtual Centre in traditional media."""

    region = models.ForeignKey(
        "directory.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    outlet = models.CharField(_("outlet"), max_length=200)
    media_type = models.CharField(_("type"), max_length=10, choices=MediaType.choices)
    title = models.CharField(_("title or subject"), max_length=300)
    reach = models.PositiveIntegerField(
        _("reach"),
        validators=count_validators,
        help_text=_("Circulation, listeners, viewers or visitors, as the outlet states them."),
    )
    link = models.URLField(_("link"), max_length=1000, blank=True)
    scan = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("scan or recording"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)

    objects = RegionalRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("media coverage")
        verbose_name_plural = _("media coverage")
        ordering = ["-date", "outlet"]

    def __str__(self):
        return f"{self.outlet}: {self.title}"


class SocialNetwork(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    LINKEDIN = "linkedin", "LinkedIn"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    YOUTUBE = "youtube", "YouTube"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    TIKTOK = "tiktok", "TikTok"
    OTHER = "other", _("Other")


class SocialPost(models.Model):
    """One post of a partner's social-media account, with the figures the network reports."""

    region = models.ForeignKey(
        "directory.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    network = models.CharField(_("network"), max_length=20, choices=SocialNetwork.choices)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    link = models.URLField(_("link"), max_length=1000, blank=True)
    reach = models.PositiveIntegerField(
        _("reach"), validators=count_validators, help_text=_("People who saw the post.")
    )
    engagement = models.PositiveIntegerField(
        _("engagement"),
        validators=count_validators,
        help_text=_("Reactions, comments, shares and clicks together."),
    )

    objects = RegionalRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("social-media post")
        verbose_name_plural = _("social-media posts")
        ordering = ["-date", "network"]

    def __str__(self):
        return f"{self.get_network_display()} {self.date:%Y-%m-%d}: {self.summary or self.link}"


class Indicator(models.TextChoices):
    """Output indicators of the communication plan (as an Interreg project reports them)."""

    WEB_VIEWS = "web_views", _("Page views of the region's pages")
    CAMPAIGN_VISITS = "campaign_visits", _("Visits from campaigns and share links")
    MEDIA_ITEMS = "media_items", _("Traditional media appearances")
    MEDIA_REACH = "media_reach", _("Traditional media audience")
    SOCIAL_POSTS = "social_posts", _("Social-media posts")
    SOCIAL_REACH = "social_reach", _("Social-media reach")
    SOCIAL_ENGAGEMENT = "social_engagement", _("Social-media engagement")


class OutputTarget(models.Model):
    """What a region aims for on one indicator in one quarter."""

    region = models.ForeignKey(
        "directory.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)]
    )
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    target = models.PositiveIntegerField(_("target"), validators=count_validators)

    objects = RegionalRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("output target")
        verbose_name_plural = _("output targets")
        ordering = ["-year", "-quarter", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "quarter", "indicator"], name="one_target_per_quarter"
            )
        ]

    def __str__(self):
        return f"{self.region} {self.year} Q{self.quarter}: {self.get_indicator_display()}"
