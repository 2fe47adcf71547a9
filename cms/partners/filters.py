"""The filters of /partners/ (django-filter): the same facets over organisations, opportunities
and experts, each applied the way it makes sense for that kind of result."""

import django_filters
from django import forms
from django.db.models import Case, Count, F, Q, When
from django.utils.translation import gettext_lazy as _

from cms.directory.countries import COUNTRIES
from cms.directory.models import Region

from .models import OpportunityKind, OpportunityTerm, ProfileTerm, Scheme
from .taxonomy import NACE_CHOICES, S3_AREAS, VALUE_CHAIN, term_code


def _profiles_with(scheme, code):
    return ProfileTerm.objects.filter(scheme=scheme, code=code).values("organisation_id")


class PartnerFilterSet(django_filters.FilterSet):
    """The facets every result kind offers. Subclasses say how each applies."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        choices=COUNTRIES,
        method="filter_country",
        empty_label=_("All countries"),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        method="filter_region",
        empty_label=_("All regions"),
    )
    chain = django_filters.ChoiceFilter(
        label=_("Value-chain position"),
        choices=VALUE_CHAIN,
        method="filter_chain",
        empty_label=_("Any position"),
    )
    nace = django_filters.ChoiceFilter(
        label=_("Activity (NACE)"),
        choices=NACE_CHOICES,
        method="filter_nace",
        empty_label=_("Any activity"),
    )
    s3 = django_filters.ChoiceFilter(
        label=_("Smart-specialisation area"),
        choices=S3_AREAS,
        method="filter_s3",
        empty_label=_("Any area"),
    )
    competence = django_filters.CharFilter(
        label=_("Competence"), method="filter_competence", max_length=80
    )

    class Meta:
        fields = ["q", "country", "region", "chain", "nace", "s3", "competence"]

    # Facet counts: how many of the current results have each value (one grouped query per
    # facet, whatever the number of results). Paths from the result model:
    country_path = "country"
    region_path = "region__slug"
    terms_path = "partner_terms"  # the term rows (scheme, code) a result is counted under
    term_facets = {"chain": Scheme.CHAIN, "nace": Scheme.NACE, "s3": Scheme.S3}

    def facet_counts(self, queryset):
        """{facet name: {value: number of results}} for the results ``queryset``."""
        results = self.queryset.model.objects.filter(pk__in=queryset.order_by().values("pk"))
        counts = {
            "country": self._grouped(results, self.country_expression()),
            "region": self._grouped(results, F(self.region_path)),
        }
        schemes = {scheme: name for name, scheme in self.term_facets.items()}
        rows = (
            results.filter(**{f"{self.terms_path}__scheme__in": list(schemes)})
            .values(scheme=F(f"{self.terms_path}__scheme"), code=F(f"{self.terms_path}__code"))
            .annotate(count=Count("pk", distinct=True))
            .order_by()
        )
        for name in self.term_facets:
            counts[name] = {}
        for row in rows:
            counts[schemes[row["scheme"]]][row["code"]] = row["count"]
        return counts

    def country_expression(self):
        return F(self.country_path)

    @staticmethod
    def _grouped(results, expression):
        rows = results.values(value=expression).annotate(count=Count("pk")).order_by()
        return {row["value"]: row["count"] for row in rows if row["value"]}

    def label_facets(self, counts):
        """Put each value's number of results in the form's options ("Poland (12)")."""
        form = self.form
        for name, values in counts.items():
            field = form.fields.get(name)
            if field is None:
                continue
            if name == "region":
                field.label_from_instance = lambda region, values=values: (
                    f"{region.name} ({values.get(region.slug, 0)})"
                )
            else:
                field.choices = [
                    (value, f"{label} ({values.get(value, 0)})" if value else label)
                    for value, label in field.choices
                ]

    # Organisations ------------------------------------------------------------------------------
    organisation_path = "pk"

    def _organisation_terms(self, queryset, scheme, code):
        return queryset.filter(**{f"{self.organisation_path}__in": _profiles_with(scheme, code)})

    def filter_country(self, queryset, name, value):
        return queryset.filter(**{f"{self.organisation_prefix}country": value})

    # The text and region filters read only the class's paths: the site search (wagtail_hooks)
    # narrows its kinds with them without making a filter set (a deep copy of every filter).
    @classmethod
    def filter_region(cls, queryset, name, value):
        return queryset.filter(**{f"{cls.organisation_prefix}region": value})

    def filter_chain(self, queryset, name, value):
        return self._organisation_terms(queryset, Scheme.CHAIN, value)

    def filter_nace(self, queryset, name, value):
        return self._organisation_terms(queryset, Scheme.NACE, value)

    def filter_s3(self, queryset, name, value):
        return self._organisation_terms(queryset, Scheme.S3, value)

    def filter_competence(self, queryset, name, value):
        code = term_code(value)
        if not code:
            return queryset
        return self._organisation_terms(queryset, Scheme.COMPETENCE, code)

    organisation_prefix = ""


class OrganisationFilterSet(PartnerFilterSet):
    @classmethod
    def filter_search(cls, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(description__icontains=value)
            | Q(city__icontains=value)
            | Q(cooperation_profile__offer__icontains=value)
            | Q(cooperation_profile__seeking__icontains=value)
            | Q(cooperation_profile__equipment__icontains=value)
            | Q(
                pk__in=ProfileTerm.objects.filter(
                    scheme=Scheme.COMPETENCE, code__icontains=term_code(value)
                ).values("organisation_id")
            )
        )


class OpportunityFilterSet(PartnerFilterSet):
    """Country and region are the posting organisation's; a value-chain position finds the
    opportunities that seek it; activities, areas and competences are the opportunity's own."""

    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=OpportunityKind.choices, empty_label=_("All types")
    )
    organisation_prefix = "organisation__"
    organisation_path = "organisation_id"
    country_path = "organisation__country"
    region_path = "organisation__region__slug"
    terms_path = "terms"
    term_facets = {"chain": Scheme.SEEKS, "nace": Scheme.NACE, "s3": Scheme.S3}

    class Meta:
        fields = ["q", "kind", "country", "region", "chain", "nace", "s3", "competence"]

    def facet_counts(self, queryset):
        counts = super().facet_counts(queryset)
        results = self.queryset.model.objects.filter(pk__in=queryset.order_by().values("pk"))
        counts["kind"] = self._grouped(results, F("kind"))
        return counts

    def _opportunity_terms(self, queryset, scheme, code):
        return queryset.filter(
            pk__in=OpportunityTerm.objects.filter(scheme=scheme, code=code).values("opportunity_id")
        )

    def filter_chain(self, queryset, name, value):
        return self._opportunity_terms(queryset, Scheme.SEEKS, value)

    def filter_nace(self, queryset, name, value):
        return self._opportunity_terms(queryset, Scheme.NACE, value)

    def filter_s3(self, queryset, name, value):
        return self._opportunity_terms(queryset, Scheme.S3, value)

    def filter_competence(self, queryset, name, value):
        code = term_code(value)
        return self._opportunity_terms(queryset, Scheme.COMPETENCE, code) if code else queryset

    @classmethod
    def filter_search(cls, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(description__icontains=value)
            | Q(organisation__name__icontains=value)
        )


class ExpertFilterSet(PartnerFilterSet):
    """Experts are found by their own expertise and country, and by their organisation's
    profile for the other facets."""

    organisation_prefix = "organisation__"
    organisation_path = "organisation_id"
    region_path = "organisation__region__slug"
    terms_path = "organisation__partner_terms"

    def country_expression(self):
        return Case(When(country="", then=F("organisation__country")), default=F("country"))

    def filter_country(self, queryset, name, value):
        return queryset.filter(Q(country=value) | Q(country="", organisation__country=value))

    def filter_competence(self, queryset, name, value):
        code = term_code(value)
        return queryset.filter(expertise_text__icontains=code) if code else queryset

    @classmethod
    def filter_search(cls, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(headline__icontains=value)
            | Q(bio__icontains=value)
            | Q(expertise_text__icontains=value)
            | Q(user__display_name__icontains=value)
            | Q(organisation__name__icontains=value)
        )
