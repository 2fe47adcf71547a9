"""The catalogue's filters (django-filter): one set of filters for the courses of this platform
and the external courses, so a visitor filters both at once."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms import tablecache
from cms.directory.models import Organisation, Region
from cms.models import Topic
from cms.search import search_text
from cms.widgets import keep_choices

from .models import COURSE_LANGUAGES, CoursePage, DeliveryMode, ExternalCoursePage

FORMAT_PLATFORM = "platform"
FORMAT_CHOICES = [
    (FORMAT_PLATFORM, _("On this platform (with certificate)")),
    ("external", _("Run elsewhere (all)")),
    (DeliveryMode.IN_PERSON, _("Elsewhere, in person")),
    (DeliveryMode.ONLINE, _("Elsewhere, online")),
    (DeliveryMode.BLENDED, _("Elsewhere, blended")),
]


class CatalogueFilterSet(django_filters.FilterSet):
    """Applied to ``CoursePage`` and to ``ExternalCoursePage`` querysets alike; ``format``
    keeps or empties each of them."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        empty_label=_("All regions"),
    )
    provider = django_filters.ModelChoiceFilter(
        label=_("Provider"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        empty_label=_("All providers"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=COURSE_LANGUAGES, empty_label=_("All languages")
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("All topics"),
    )
    format = django_filters.ChoiceFilter(
        label=_("Where"),
        choices=FORMAT_CHOICES,
        method="filter_format",
        empty_label=_("Everywhere"),
    )

    class Meta:
        fields = ["q", "region", "provider", "language", "topic", "format"]

    def __init__(self, *args, regions=None, providers=None, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices offered are the ones that have courses; any slug is still validated.
        if regions is not None:
            self.form.fields["region"].queryset = regions
        if providers is not None:
            self.form.fields["provider"].queryset = providers
        if topics is not None:
            self.form.fields["topic"].queryset = topics

    def filter_search(self, queryset, name, value):
        value = search_text(value)
        if not value:
            return queryset
        # Wagtail search finds the ids; the ORM keeps the filters, joins and pagination.
        matches = queryset.model.objects.live().search(value)
        return queryset.filter(pk__in=[page.pk for page in matches])

    def filter_format(self, queryset, name, value):
        external = queryset.model is ExternalCoursePage
        if value == FORMAT_PLATFORM:
            return queryset.none() if external else queryset
        if not external:
            return queryset.none()
        if value in DeliveryMode.values:
            return queryset.filter(delivery_mode=value)
        return queryset


def catalogue_filtersets(data, catalogue):
    """The filter set over the live courses and over the live external courses of
    ``catalogue``, bound to the same query parameters. The cards show the provider, the region
    and the image, read with the pages; not the topics, which are only filtered on. The filters
    offer the regions, providers and topics that have courses, kept until a page or one of
    those is written (three queries on every view of the catalogue otherwise)."""
    courses = (
        CoursePage.objects.live()
        .child_of(catalogue)
        .defer_streamfields()
        .select_related("provider", "region", "listing_image")
    )
    external = (
        ExternalCoursePage.objects.live().child_of(catalogue).select_related("provider", "region")
    )
    choices = {
        "regions": Region.objects.filter(
            Q(pk__in=courses.values("region")) | Q(pk__in=external.values("region"))
        ),
        "providers": Organisation.objects.filter(
            Q(pk__in=courses.values("provider")) | Q(pk__in=external.values("provider"))
        ),
        "topics": Topic.objects.filter(
            Q(pk__in=CoursePage.topics.through.objects.values("topic"))
            | Q(pk__in=ExternalCoursePage.topics.through.objects.values("topic"))
        ),
    }
    course_filter = CatalogueFilterSet(data or None, queryset=courses, **choices)
    tables = {*tablecache.page_tables(), *tablecache.tables_of(*CHOICE_TABLES)}
    for name in ("region", "provider", "topic"):
        keep_choices(
            course_filter.form.fields[name], "catalogue", catalogue.pk, name, tables=tables
        )
    return course_filter, CatalogueFilterSet(data or None, queryset=external, **choices)


CHOICE_TABLES = (
    Region,
    Organisation,
    Topic,
    CoursePage.topics.through,
    ExternalCoursePage.topics.through,
)
