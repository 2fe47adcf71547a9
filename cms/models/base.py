"""What every page type shares: the language switch, regional editing, the topic tags and
the listing constants."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import PageViewRestriction
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from cms.editing import RegionalPageForm, RegionalPagePermissionTester

from .listing import view_restrictions_may_apply

INTRO_FEATURES = ["bold", "italic", "link"]
LISTING_PAGE_SIZE = 12


class CachedViewRestrictionsMixin:
    """Before serving a page, Wagtail reads its ancestors and then their view restrictions (two
    queries). Most pages have none on the way: the kept paths of the restricted pages and of
    the aliases (cms/models/listing.py) say so without a query; otherwise Wagtail reads them."""

    def get_view_restrictions(self):
        if not view_restrictions_may_apply(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class LanguageSwitchMixin:
    """The language switcher of a page leads to the page's own translation (cms.views
    .page_translation), not to the same path in another language."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["language_switch_next"] = reverse("page_translation", args=[self.pk])
        return context


class RegionalPageMixin:
    """Pages that belong to a region: regional editors act only on their regions' pages
    (cms/editing.py)."""

    base_form_class = RegionalPageForm

    def permissions_for_user(self, user):
        return RegionalPagePermissionTester(user, self)


@register_snippet
class Topic(index.Indexed, models.Model):
    """A controlled topic tag (sorting, chemical recycling, EPR, ...) for filtering resources."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name
