"""Reads of partner matching: profile terms, organisations like another one, and the
recommendations of opportunities for an organisation (ranked, with their reasons)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.directory.countries import COUNTRY_LABELS
from cms.directory.models import Organisation
from cms.models import TechnologyPage
from cms.taxonomy import FIBRE_LABELS, PROCESS_LABELS

from .models import (
    Opportunity,
    OpportunityKind,
    OpportunityTerm,
    ProfileTerm,
    Scheme,
)
from .taxonomy import NACE_LABELS, S3_LABELS, VALUE_CHAIN_LABELS

# What a term of an organisation's profile matches in an opportunity, and how much it weighs:
# being the kind of partner sought counts most, then shared S3 areas and competences.
PROFILE_TO_OPPORTUNITY: dict[str, str] = {
    Scheme.CHAIN: Scheme.SEEKS,
    Scheme.NACE: Scheme.NACE,
    Scheme.S3: Scheme.S3,
    Scheme.COMPETENCE: Scheme.COMPETENCE,
}
WEIGHTS = {Scheme.SEEKS: 3, Scheme.S3: 2, Scheme.COMPETENCE: 2, Scheme.NACE: 1}
RECOMMENDATION_LIMIT = 20


def profile_pairs(organisation_id: int) -> set[tuple[str, str]]:
    return set(
        ProfileTerm.objects.filter(organisation_id=organisation_id).values_list("scheme", "code")
    )


def _terms_condition(pairs_by_scheme: dict[str, set[str]]) -> Q:
    condition = Q()
    for scheme, codes in pairs_by_scheme.items():
        if codes:
            condition |= Q(scheme=scheme, code__in=sorted(codes))
    return condition


def similarity_condition(organisation_id: int) -> Q:
    """A Q on ProfileTerm: the terms another profile shares with this organisation's."""
    by_scheme: dict[str, set[str]] = {}
    for scheme, code in profile_pairs(organisation_id):
        by_scheme.setdefault(scheme, set()).add(code)
    return _terms_condition(by_scheme)


def organisations_like(
    queryset: QuerySet[Organisation], organisation: Organisation
) -> QuerySet[Organisation]:
    """``queryset`` limited to the organisations sharing classifications with
    ``organisation``, most shared first, each annotated with ``shared_terms``."""
    condition = similarity_condition(organisation.pk)
    if not condition:
        return queryset.none()
    shared = (
        ProfileTerm.objects.filter(condition, organisation_id=OuterRef("pk"))
        .order_by()
        .values("organisation_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        queryset.exclude(pk=organisation.pk)
        .annotate(shared_terms=Subquery(shared, output_field=IntegerField()))
        .filter(shared_terms__gt=0)
        .order_by("-shared_terms", "name")
    )


@dataclass
class Recommendation:
    opportunity: Opportunity
    score: int
    reasons: list[str] = field(default_factory=list)


def _label_list(labels: Iterable[object]) -> str:
    return ", ".join(str(label) for label in labels)


def _reasons(matched: set[tuple[str, str]], *, country: str) -> list[str]:
    """Sentences explaining a match, from the matched (scheme, code) pairs."""
    by_scheme: dict[str, list[str]] = {}
    for scheme, code in sorted(matched):
        by_scheme.setdefault(scheme, []).append(code)
    reasons = []
    if Scheme.SEEKS in by_scheme:
        labels = [VALUE_CHAIN_LABELS.get(code, code) for code in by_scheme[Scheme.SEEKS]]
        reasons.append(
            _("Looks for partners like you: %(labels)s") % {"labels": _label_list(labels)}
        )
    if Scheme.S3 in by_scheme:
        labels = [S3_LABELS.get(code, code) for code in by_scheme[Scheme.S3]]
        reasons.append(
            _("Shared smart-specialisation area: %(labels)s") % {"labels": _label_list(labels)}
        )
    if Scheme.COMPETENCE in by_scheme:
        reasons.append(
            _("Concerns competences you offer: %(labels)s")
            % {"labels": _label_list(by_scheme[Scheme.COMPETENCE])}
        )
    if Scheme.NACE in by_scheme:
        # The most specific shared activity says the most.
        codes = by_scheme[Scheme.NACE]
        specific = [
            code for code in codes if not any(o != code and o.startswith(code) for o in codes)
        ]
        labels = [f"{code} {NACE_LABELS.get(code, '')}".strip() for code in specific]
        reasons.append(_("Same activity: %(labels)s") % {"labels": _label_list(labels)})
    if Scheme.COUNTRY in by_scheme:
        reasons.append(
            _("Seeks partners in %(country)s") % {"country": COUNTRY_LABELS.get(country, country)}
        )
    return reasons


def opportunity_recommendations(
    organisation: Organisation,
    *,
    limit: int = RECOMMENDATION_LIMIT,
    since: datetime | None = None,
) -> list[Recommendation]:
    """Live opportunities of other organisations that fit ``organisation``'s profile, best
    first, each with the reasons it fits. Opportunities restricted to other countries are left
    out. ``since``: only those published after it (for the e-mail digests).

    One grouped scan of the matching term rows of open opportunities (which carry the posting
    organisation, the deadline and the countries sought) ranks them; two more queries load
    the top ones and their reasons."""
    by_scheme: dict[str, set[str]] = {}
    for scheme, code in profile_pairs(organisation.pk):
        if scheme in PROFILE_TO_OPPORTUNITY:
            by_scheme.setdefault(PROFILE_TO_OPPORTUNITY[scheme], set()).add(code)
    condition = _terms_condition(by_scheme)
    if not condition:
        return []
    weight = Case(
        *(When(scheme=scheme, then=Value(value)) for scheme, value in WEIGHTS.items()),
        default=Value(1),
        output_field=IntegerField(),
    )
    rows = (
        OpportunityTerm.objects.filter(condition)
        .filter(Q(countries="") | Q(countries__contains=f",{organisation.country},"))
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=timezone.localdate()))
        .exclude(organisation_id=organisation.pk)
    )
    if since is not None:
        rows = rows.filter(opportunity__published_at__gte=since)
    ranked = list(
        rows.order_by()
        .values("opportunity_id")
        .annotate(score=Sum(weight))
        .order_by("-score", "-opportunity_id")
        .values_list("opportunity_id", "score")[:limit]
    )
    if not ranked:
        return []
    ids = [opportunity_id for opportunity_id, _score in ranked]
    opportunities = Opportunity.objects.select_related("organisation__region").in_bulk(ids)
    matched: dict[int, set[tuple[str, str]]] = {}
    for opportunity_id, scheme, code in OpportunityTerm.objects.filter(
        condition, opportunity_id__in=ids
    ).values_list("opportunity_id", "scheme", "code"):
        matched.setdefault(opportunity_id, set()).add((scheme, code))
    recommendations = []
    for opportunity_id, score in ranked:
        pairs = matched.get(opportunity_id, set())
        # A partner search aimed at the organisation's own country ranks a little higher.
        bonus = 0
        if organisation.country in opportunities[opportunity_id].sought_countries:
            pairs.add((Scheme.COUNTRY, organisation.country))
            bonus = 1
        recommendations.append(
            Recommendation(
                opportunity=opportunities[opportunity_id],
                score=score + bonus,
                reasons=_reasons(pairs, country=organisation.country),
            )
        )
    recommendations.sort(key=lambda r: (-r.score, -r.opportunity.pk))
    return recommendations


# Technology transfer ------------------------------------------------------------------------------


@dataclass
class TechnologyMatch:
    """A technology page or a technology offer that may answer a technology request."""

    title: str
    url: str
    organisation_id: int
    organisation_name: str
    score: int
    reasons: list[str] = field(default_factory=list)
    technology: TechnologyPage | None = None
    offer: Opportunity | None = None


def _json_has_any(field_name: str, codes: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for code in codes:
        condition |= Q(**{f"{field_name}__icontains": f'"{code}"'})
    return condition


def _technology_reasons(
    request: Opportunity,
    *,
    processes: list[str],
    fibres: list[str],
    waste_codes: list[str],
    trl: int | None,
) -> tuple[int, list[str]]:
    """Score and explain how a technology fits a request: the process step counts most."""
    score, reasons = 0, list[str]()
    if request.process and request.process in processes:
        score += 3
        reasons.append(
            _("Same process step: %(label)s") % {"label": PROCESS_LABELS[request.process]}
        )
    shared_fibres = [code for code in request.fibres if code in fibres]
    if shared_fibres:
        score += len(shared_fibres)
        reasons.append(
            _("Handles %(labels)s")
            % {"labels": _label_list(FIBRE_LABELS.get(c, c) for c in shared_fibres)}
        )
    shared_codes = [code for code in request.waste_codes if code in waste_codes]
    if shared_codes:
        score += 2 * len(shared_codes)
        reasons.append(_("Same waste stream: %(codes)s") % {"codes": ", ".join(shared_codes)})
    if trl is not None and request.trl_wanted:
        reasons.append(_("Readiness TRL %(level)s") % {"level": trl})
    return score, reasons


def technology_matches(request: Opportunity, *, limit: int = 10) -> list[TechnologyMatch]:
    """Technology pages and technology offers that may answer a technology request (process
    step, fibres, waste streams; at least the readiness wanted), best first. Two queries."""
    condition = _json_has_any("fibres", request.fibres) | _json_has_any(
        "waste_codes", request.waste_codes
    )
    if request.process:
        condition |= _json_has_any("processes", [request.process])
    pages = TechnologyPage.objects.live().filter(condition).select_related("developer")
    if request.trl_wanted:
        pages = pages.filter(readiness_level__gte=request.trl_wanted)
    found = []
    for page in pages.exclude(developer_id=request.organisation_id)[:200]:
        score, reasons = _technology_reasons(
            request,
            processes=page.processes,
            fibres=page.fibres,
            waste_codes=page.waste_codes,
            trl=page.readiness_level,
        )
        if score:
            found.append(
                TechnologyMatch(
                    title=page.title,
                    url=page.url,
                    organisation_id=page.developer_id,
                    organisation_name=page.developer.name,
                    score=score,
                    reasons=reasons,
                    technology=page,
                )
            )
    offer_condition = _json_has_any("fibres", request.fibres) | _json_has_any(
        "waste_codes", request.waste_codes
    )
    if request.process:
        offer_condition |= Q(process=request.process)
    offers = (
        Opportunity.objects.live()
        .filter(offer_condition, kind=OpportunityKind.TECHNOLOGY_OFFER)
        .exclude(organisation_id=request.organisation_id)
        .select_related("organisation")[:200]
    )
    for offer in offers:
        score, reasons = _technology_reasons(
            request,
            processes=[offer.process] if offer.process else [],
            fibres=offer.fibres,
            waste_codes=offer.waste_codes,
            trl=None,
        )
        if score:
            found.append(
                TechnologyMatch(
                    title=offer.title,
                    url=offer.get_absolute_url(),
                    organisation_id=offer.organisation_id,
                    organisation_name=offer.organisation.name,
                    score=score,
                    reasons=reasons,
                    offer=offer,
                )
            )
    found.sort(key=lambda match: (-match.score, match.title))
    return found[:limit]
