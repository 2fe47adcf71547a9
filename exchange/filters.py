"""The browse filters of the exchange as one django-filter FilterSet. The browse page, the map,
saved searches and their e-mail alerts all read a query string through ``ListingFilter``.

A value that does not validate (an unknown code, a word where a number belongs, a NUL byte)
leaves its filter out and puts a message beside its field; the other filters still apply."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cms.directory.models import Region
from cms.taxonomy import FIBRE_CHOICES

from .matching import bounding_box
from .models import (
    WASTE_CODE_CHOICES,
    Certification,
    CertificationScheme,
    CompositionLine,
    Listing,
    ListingKind,
    MaterialForm,
    Origin,
)
from .places import PLACES
from .selectors import best_match_candidates, distance_expression, matched_listings

SORT_CHOICES = [
    ("newest", _("Newest")),
    ("nearest", _("Nearest")),
    ("best", _("Best match for my organisation")),
    ("quality", _("Data quality")),
]
# Quantities compare in kilograms; listings in metres or pieces drop out of a quantity filter.
KG_PER_UNIT = {"kg": 1, "t": 1000}


class BrowseFilterForm(forms.Form):
    """The form of ``ListingFilter``: the checks that involve two filters."""

    def clean(self):
        data = super().clean()
        if data.get("radius") and not data.get("near"):
            self.add_error("near", _("Choose a place to measure the distance from."))
        if data.get("sort") == "nearest" and not data.get("near"):
            self.add_error("near", _("Choose a place to sort by distance."))
        low, high = data.get("min_quantity"), data.get("max_quantity")
        if low is not None and high is not None and low > high:
            self.add_error("max_quantity", _("The upper quantity is below the lower one."))
        return data


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ListingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text", max_length=200)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=ListingKind.choices,
        empty_label=_("Offers and wanted"),
    )
    waste_code = django_filters.ChoiceFilter(
        label=_("Waste code"),
        choices=WASTE_CODE_CHOICES,
        empty_label=_("Any code"),
    )
    fibre = django_filters.ChoiceFilter(
        label=_("Fibre"),
        choices=FIBRE_CHOICES,
        empty_label=_("Any fibre"),
        method="filter_fibre",
    )
    form = django_filters.ChoiceFilter(
        label=_("Form"),
        choices=MaterialForm.choices,
        empty_label=_("Any form"),
    )
    origin = django_filters.ChoiceFilter(
        label=_("Origin"), choices=Origin.choices, empty_label=_("Any origin")
    )
    min_quantity = django_filters.NumberFilter(
        label=_("Quantity from (kg)"),
        method="filter_quantity",
        min_value=0,
        max_value=10**9,
        decimal_places=2,
    )
    max_quantity = django_filters.NumberFilter(
        label=_("Quantity up to (kg)"),
        method="filter_quantity",
        min_value=0,
        max_value=10**9,
        decimal_places=2,
    )
    # Distance and order need each other's values: applied together in filter_queryset.
    near = django_filters.ChoiceFilter(
        label=_("Near"),
        choices=[],
        empty_label=_("Anywhere"),
        method="applied_later",
    )
    radius = IntegerFilter(
        label=_("Within (km)"), min_value=1, max_value=5000, method="applied_later"
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        empty_label=_("Any region"),
    )
    certification = django_filters.ChoiceFilter(
        label=_("Certification"),
        choices=CertificationScheme.choices,
        empty_label=_("Any or none"),
        method="filter_certification",
    )
    min_quality = IntegerFilter(
        label=_("Data quality at least (%)"),
        field_name="quality_score",
        lookup_expr="gte",
        min_value=0,
        max_value=100,
    )
    verified = django_filters.BooleanFilter(
        label=_("Verified organisations only"),
        widget=forms.CheckboxInput,
        method="filter_verified",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        empty_label=None,
        method="applied_later",
    )

    class Meta:
        model = Listing
        fields = []
        form = BrowseFilterForm

    def __init__(self, data=None, *, user, organisation_ids=(), sites=(), **kwargs):
        # Always bound: no filters is a valid search (newest first), not an unfiltered queryset.
        data = QueryDict() if data is None else data
        super().__init__(data, queryset=Listing.objects.visible_to(user), **kwargs)
        self.organisation_ids = list(organisation_ids)
        self.sites = {f"site:{site.pk}": site for site in sites}
        self.filters["near"].extra["choices"] = [
            *((key, str(site)) for key, site in self.sites.items()),
            *((key, label) for key, (label, _lat, _lon) in PLACES.items()),
        ]
        self.filters["sort"].field.required = False

    # Filters ---------------------------------------------------------------------------------

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_fibre(self, queryset, name, value):
        return queryset.filter(
            Exists(CompositionLine.objects.filter(listing=OuterRef("pk"), fibre=value))
        )

    def filter_certification(self, queryset, name, value):
        return queryset.filter(
            Exists(Certification.objects.filter(listing=OuterRef("pk"), scheme=value))
        )

    def filter_verified(self, queryset, name, value):
        return queryset.filter(organisation__verified_at__isnull=False) if value else queryset

    def filter_quantity(self, queryset, name, value):
        lookup = "gte" if name == "min_quantity" else "lte"
        in_kg = Q()
        for unit, kg in KG_PER_UNIT.items():
            in_kg |= Q(unit=unit, **{f"remaining_quantity__{lookup}": value / kg})
        return queryset.filter(in_kg)

    def applied_later(self, queryset, name, value):
        return queryset

    # Distance and order ------------------------------------------------------------------------

    def point(self):
        """(latitude, longitude) of the chosen place, or None."""
        self.form.is_valid()  # validates once; cleaned_data holds the valid filters either way
        near = self.form.cleaned_data.get("near")
        if near in self.sites:
            return self.sites[near].latitude, self.sites[near].longitude
        if near in PLACES:
            return PLACES[near][1], PLACES[near][2]
        return None

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        point = self.point()
        if point:
            lat, lon = point
            queryset = queryset.filter(latitude__isnull=False).annotate(
                distance=distance_expression(lat, lon)
            )
            if data.get("radius"):
                min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, data["radius"])
                queryset = queryset.filter(
                    latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon)
                ).filter(distance__lte=data["radius"])
        sort = data.get("sort") or "newest"
        if sort == "nearest" and point:
            queryset = queryset.order_by("distance", "-published_at")
        elif sort == "quality":
            queryset = queryset.order_by("-quality_score", "-published_at")
        else:
            queryset = queryset.order_by("-published_at", "-created_at")
        return queryset.select_related("organisation", "region", "site")

    @property
    def best_first(self):
        """Whether the listings go best match with the member's organisations first."""
        self.form.is_valid()
        return self.form.cleaned_data.get("sort") == "best" and bool(self.organisation_ids)

    def ordered(self, queryset):
        """``queryset`` (this filter's ``qs``, possibly narrowed) in the chosen order, as the
        paginator and the map read it."""
        if self.best_first:
            return BestMatchesFirst(queryset, self.organisation_ids)
        return queryset

    @property
    def problems(self):
        """Whether some filters were left out because their values did not validate."""
        return self.is_bound and bool(self.form.errors)


class BestMatchesFirst:
    """Listings matched with the organisations' listings first, best score first (newest first
    among equal scores), then every other listing newest first; sliced like a queryset (by the
    paginator and the map).

    Ordering every browsable listing by a computed best score sorts them all (0.7 s over
    50,000 on PostgreSQL), and checking every matched listing against the browse filters reads
    each of them (some 5,000 for an organisation with 100 listings). Here the candidates, with
    their best scores, come from the stored matches alone (``best_match_candidates``); the
    browse filters are checked on the best of them, a batch at a time (a batch never splits
    equal scores), only until the page asked for is full; the rest of the listings is the
    newest-first index walk with the matched ids hashed once."""

    FIRST_BATCH = 50
    GROWTH = 8

    def __init__(self, queryset, organisation_ids):
        self.queryset = queryset
        self.organisation_ids = organisation_ids
        self._candidates = None
        self._checked = 0  # candidates checked against the filters so far
        self._passed = []  # ids of those that passed, in order

    @property
    def ordered(self):  # the paginator warns about unordered object lists
        return True

    def candidates(self):
        if self._candidates is None:
            self._candidates = best_match_candidates(organisation_ids=self.organisation_ids)
        return self._candidates

    def matched(self, stop):
        """The first ``stop`` ids of the matched listings that pass the filters, in order
        (fewer only when there are no more)."""
        candidates = self.candidates()
        batch = max(self.FIRST_BATCH, stop - len(self._passed))
        while len(self._passed) < stop and self._checked < len(candidates):
            end = min(self._checked + batch, len(candidates))
            while end < len(candidates) and candidates[end][1] == candidates[end - 1][1]:
                end += 1  # equal scores go in one batch: their order is by date
            best = dict(candidates[self._checked : end])
            passing = (
                self.queryset.order_by()
                .prefetch_related(None)
                .filter(pk__in=list(best))
                .values_list("pk", "published_at")
            )
            self._passed += [
                pk
                for pk, published in sorted(
                    passing,
                    key=lambda row: (best[row[0]], row[1] is not None, row[1] or 0, row[0]),
                    reverse=True,
                )
            ]
            self._checked = end
            batch *= self.GROWTH
        return self._passed[:stop]

    def count(self):
        return self.queryset.count()

    def count_upto(self, limit):
        """The number of listings, counted no further than ``limit``."""
        return self.queryset.order_by().values("pk")[:limit].count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("BestMatchesFirst is read in slices.")
        start = key.start or 0
        stop = self.count() if key.stop is None else key.stop
        matched = self.matched(stop)
        page_ids = matched[start:stop]
        rows = []
        if page_ids:
            by_id = {_pk(row): row for row in self.queryset.order_by().filter(pk__in=page_ids)}
            rows = [by_id[pk] for pk in page_ids if pk in by_id]
        wanted = stop - start - len(page_ids)
        if wanted > 0:
            # Fewer matched than the slice's end: every candidate was checked, so the matched
            # listings number len(matched) and the rest starts after them.
            offset = max(0, start - len(matched))
            rest = self.queryset.exclude(
                matched_listings(organisation_ids=self.organisation_ids)
            ).order_by("-published_at", "-created_at")
            rows += list(rest[offset : offset + wanted])
        return rows


def _pk(row):
    return row["pk"] if isinstance(row, dict) else row.pk
