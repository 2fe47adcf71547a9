import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.directory.models import Region
from cms.partners.taxonomy import S3_AREAS

from .choices import ProjectStatus


class ProjectFilterSet(django_filters.FilterSet):
    """/projects/ filters; the queryset is ``selectors.listed_projects()``."""

    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProjectStatus.choices)
    s3_area = django_filters.ChoiceFilter(label=_("Smart-specialisation area"), choices=S3_AREAS)
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="regions", queryset=Region.objects.all()
    )

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(acronym__icontains=value)
            | Q(summary__icontains=value)
            | Q(programme__icontains=value)
        )
