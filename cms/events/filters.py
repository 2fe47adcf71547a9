"""Filters of the event list (/events/): partner network, region and type."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.directory.models import Organisation, OrganisationKind, Region

EVENT_KINDS = [
    ("conference", _("Conference")),
    ("workshop", _("Workshop")),
    ("webinar", _("Webinar")),
    ("matchmaking", _("Matchmaking and B2B meetings")),
    ("fair", _("Fair or exhibition")),
    ("open_day", _("Open day or site visit")),
    ("training", _("Training")),
]


class EventFilterSet(django_filters.FilterSet):
    """The queryset is a listing of event pages (``EventPage.objects.upcoming()``, ...)."""

    network = django_filters.ModelChoiceFilter(
        label=_("Network"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.NETWORK),
        method="in_network",
        empty_label=_("All networks"),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=Region.objects.all(), empty_label=_("All regions")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=EVENT_KINDS, empty_label=_("All types")
    )

    def in_network(self, queryset, name, value):
        """Events the network organises or shares with its members."""
        return queryset.filter(Q(organiser=value) | Q(networks=value)).distinct()
