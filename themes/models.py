"""The site's look, editable in the Wagtail admin under Settings → Site look."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.images import get_image_model
from wagtail.models import Orderable, Site

from cms import tablecache

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def contrast_with_white(hex_colour):
    """WCAG 2.1 contrast ratio of a colour against white text."""

    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    return 1.05 / (luminance + 0.05)


def validate_primary_colour(value):
    if not HEX_COLOUR.match(value):
        raise ValidationError(_("Enter a colour as # and six hexadecimal digits, e.g. #1d5c4d."))
    ratio = contrast_with_white(value)
    if ratio < 4.5:
        raise ValidationError(
            _(
                "White text on this colour has a contrast of %(ratio).1f:1; WCAG AA needs at "
                "least 4.5:1. Choose a darker colour."
            ),
            params={"ratio": ratio},
        )


# The default tagline is a UI string: the footer shows it translated (an edited one as written).
DEFAULT_TAGLINE = gettext_noop("Textile recycling and the circular economy")


@register_setting(icon="palette")
class SiteLook(ClusterableModel, BaseSiteSetting):
    site_name = models.CharField(_("site name"), max_length=100, default="Textile Virtual Centre")
    tagline = models.CharField(
        _("tagline"),
        max_length=200,
        blank=True,
        default=DEFAULT_TAGLINE,
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#1d5c4d",
        validators=[validate_primary_colour],
        help_text=_("Header and buttons. Must keep white text readable (contrast 4.5:1)."),
    )

    panels = [
        FieldPanel("site_name"),
        FieldPanel("tagline"),
        FieldPanel("logo"),
        FieldPanel("primary_colour"),
        InlinePanel("partner_logos", label=_("Footer partner logos")),
    ]

    class Meta:
        verbose_name = _("site look")

    @classmethod
    def for_request(cls, request):
        """Wagtail's, with the look and its partner logos (images and renditions with them)
        kept until a table they come from is written (cms/tablecache.py): every page's header
        and footer show them. The admin's settings form reads it afresh (``for_site``)."""
        attribute = cls.get_cache_attr_name()
        if hasattr(request, attribute):
            return getattr(request, attribute)
        site = Site.find_for_request(request)
        look = tablecache.cached(
            "site-look",
            site.pk if site else None,
            tables=tablecache.tables_of(
                cls, PartnerLogo, get_image_model(), get_image_model().get_rendition_model()
            ),
            compute=lambda: cls._for_site_with_partners(site),
        )
        look._request = request
        setattr(request, attribute, look)
        return look

    @classmethod
    def _for_site_with_partners(cls, site):
        look = cls.for_site(site)
        prefetch_related_objects(
            [look],
            "logo__renditions",
            Prefetch(
                "partner_logos",
                PartnerLogo.objects.select_related("image").prefetch_related("image__renditions"),
            ),
        )
        return look


class PartnerLogo(Orderable):
    site_look = ParentalKey(SiteLook, on_delete=models.CASCADE, related_name="partner_logos")
    name = models.CharField(_("partner name"), max_length=150)
    url = models.URLField(_("website"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("url"), FieldPanel("image")]

    def __str__(self):
        return self.name
