"""The StreamField block library. Every page body in every app is built from these blocks."""

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        help_text=_("Describe the image for people who cannot see it; leave empty if decorative."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)
    credit = blocks.CharBlock(label=_("credit"), required=False)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("Image")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False)
    role = blocks.CharBlock(label=_("role or organisation"), required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Quote")
        preview_value = {
            "text": "Sorting by fibre, not by colour, is what made our recycled yarn sell.",
            "attribution": "Production manager",
            "role": "Spinning mill, Prato",
        }


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.DecimalBlock(label=_("value"), decimal_places=2)
    unit = blocks.CharBlock(label=_("unit"), required=False, help_text=_("e.g. t, %, jobs, t CO2e"))
    label = blocks.CharBlock(label=_("what it measures"))

    class Meta:
        icon = "success"
        label = _("Key figure")


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("figures"), min_num=1)

    class Meta:
        icon = "table"
        template = "blocks/key_figures_block.html"
        label = _("Key figures")
        preview_value = {
            "heading": "Results in the first year",
            "figures": [
                {"value": "420", "unit": "t", "label": "textile waste diverted from landfill"},
                {"value": "12", "unit": "", "label": "jobs created"},
                {"value": "1850", "unit": "t CO2e", "label": "emissions avoided"},
            ],
        }


def validate_link(value):
    """A web address (http or https) or a path on this site starting with one slash."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"])(value)


class LinkURLBlock(blocks.URLBlock):
    """A URL block that also takes a path on this site (``/exchange/``), so content links to the
    site's own non-page views without writing the site's address (SITE_URL) into the page.

    Deconstructs as Wagtail's URLBlock: stored values and migrations stay the same."""

    def __init__(self, required=True, help_text=None, max_length=None, min_length=None, **kwargs):
        super().__init__(required=required, help_text=help_text, **kwargs)
        self.field = forms.CharField(
            required=required,
            help_text=help_text,
            max_length=max_length,
            min_length=min_length,
            validators=[validate_link],
        )

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "wagtail.blocks.URLBlock", args, kwargs


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    text = blocks.TextBlock(label=_("text"), required=False)
    link_text = blocks.CharBlock(label=_("link text"))
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    # Takes a path on this site too (/exchange/); label kept so no migration is needed.
    url = LinkURLBlock(label=_("or external URL"), required=False)

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        label = _("Call to action")
        preview_value = {
            "title": "Offer your cutting waste",
            "text": "Recyclers in your region are looking for it.",
            "link_text": "Go to the exchange",
            "url": "https://example.org/exchange/",
        }

    def clean(self, value):
        result = super().clean(value)
        if not result.get("page") and not result.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": blocks.BlockValidationError(_("Choose a page or enter a URL."))
                }
            )
        return result


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("title"), required=False, help_text=_("Defaults to the document's title.")
    )
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        label = _("Document")


class ExternalResourceBlock(blocks.StructBlock):
    """A card linking to a resource elsewhere, naming who made it ("links to the creators")."""

    title = blocks.CharBlock(label=_("title"))
    url = blocks.URLBlock(label=_("URL"))
    creator = blocks.CharBlock(label=_("creator or publisher"), required=False)
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "link-external"
        template = "blocks/external_resource_block.html"
        label = _("External resource")
        preview_value = {
            "title": "Textile waste management in the EU",
            "url": "https://www.eea.europa.eu/",
            "creator": "European Environment Agency",
            "description": "Briefing on collection, sorting and recycling capacity.",
        }


class KeyPointsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, default=_("Key points"))
    points = blocks.ListBlock(blocks.CharBlock(label=_("point")), label=_("points"), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "blocks/key_points_block.html"
        label = _("Key points")
        preview_value = {
            "heading": "Key points",
            "points": [
                "Pre-consumer waste is easier to recycle than post-consumer waste.",
                "Blends of more than two fibres rarely recycle mechanically.",
            ],
        }


class EmbedWithCaptionBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("video or media URL"))
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "media"
        template = "blocks/embed_block.html"
        label = _("Embed")


RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        kwargs.setdefault("label", _("Text"))
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/rich_text_block.html"
        preview_value = (
            "<p>Mechanical recycling opens fabric back into fibre. "
            "It works best on sorted, single-fibre waste.</p>"
        )


class BodyBlock(blocks.StreamBlock):
    """The body of every editorial page."""

    text = RichTextBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    key_figures = KeyFiguresBlock()
    call_to_action = CallToActionBlock()
    document = DocumentBlock()
    embed = EmbedWithCaptionBlock()
    external_resource = ExternalResourceBlock()
    key_points = KeyPointsBlock()
