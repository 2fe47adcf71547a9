"""How partner matching plugs into the site: the organisation page (its experts and open
opportunities), the site search (opportunities and experts; organisations are the
directory's), the user menu, and the admin listings."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.directory.membership import acting_organisation_ids
from cms.highlight import highlight
from cms.hooks import (
    LOAD_DEMO,
    NOTIFICATION_TOPICS,
    ORGANISATION_LINKS,
    SEARCH_RESULTS,
    USER_MENU_ITEMS,
    HitList,
    LinkedGroup,
    LinkedItem,
    MenuItem,
    SearchGroup,
    SearchHit,
)

from .demo import load as load_demo
from .filters import ExpertFilterSet, OpportunityFilterSet
from .models import CooperationProfile, Expert, Opportunity
from .topics import partner_topics

hooks.register(NOTIFICATION_TOPICS, partner_topics)


def _site_search(filterset_class, queryset, query, region):
    """``queryset`` narrowed as /partners/ narrows it (the same filter set): every word of the
    query, and the region of the organisation when one is chosen."""
    words = query.split()[:8]
    if not words:
        return None
    for word in words:
        queryset = filterset_class.filter_search(queryset, "q", word)
    if region is not None:
        queryset = filterset_class.filter_region(queryset, "region", region)
    return queryset


@hooks.register(SEARCH_RESULTS)
def opportunity_search_results(query, request, *, region=None):
    """Cooperation opportunities partners may still answer (published, open, before their
    deadline); drafts and those under review never: newest first."""
    opportunities = _site_search(
        OpportunityFilterSet,
        Opportunity.objects.live().select_related("organisation"),
        query,
        region,
    )
    if opportunities is None:
        return None
    return SearchGroup(
        kind="opportunities",
        label=_("Cooperation opportunities"),
        results=HitList(
            opportunities.order_by("-published_at", "-pk"),
            lambda opportunity: SearchHit(
                title=opportunity.title,
                url=opportunity.get_absolute_url(),
                date=opportunity.published_at,
                snippet=highlight(opportunity.summary, query),
                kind_label=f"{opportunity.get_kind_display()} · {opportunity.organisation.name}",
            ),
        ),
        more_url=reverse("partners:search")
        + "?"
        + urlencode({"show": "opportunities", "q": query}),
        order=7,
    )


@hooks.register(SEARCH_RESULTS)
def expert_search_results(query, request, *, region=None):
    """Experts who opted in (nobody else is ever found); by name."""
    experts = _site_search(
        ExpertFilterSet,
        Expert.objects.public().select_related("user", "organisation"),
        query,
        region,
    )
    if experts is None:
        return None
    return SearchGroup(
        kind="experts",
        label=_("Experts"),
        results=HitList(
            experts.order_by("headline", "pk"),
            lambda expert: SearchHit(
                title=f"{expert.user.get_display_name()} — {expert.headline}",
                url=expert.get_absolute_url(),
                snippet=highlight(", ".join(expert.expertise) or expert.bio, query),
                kind_label=expert.organisation.name if expert.organisation else "",
            ),
        ),
        more_url=reverse("partners:search") + "?" + urlencode({"show": "experts", "q": query}),
        order=8,
    )


@hooks.register(LOAD_DEMO, order=140)
def load_partners_demo(*, stdout, style):
    """After the exchange's demo (order 130), whose memberships the threads need."""
    load_demo(stdout=stdout, style=style)


@hooks.register(ORGANISATION_LINKS)
def organisation_opportunities(organisation, request):
    opportunities = Opportunity.objects.live().filter(organisation=organisation)[:10]
    return LinkedGroup(
        title=_("Cooperation opportunities"),
        items=[
            LinkedItem(title=o.title, url=o.get_absolute_url(), description=o.get_kind_display())
            for o in opportunities
        ],
        order=60,
    )


@hooks.register(ORGANISATION_LINKS)
def organisation_experts(organisation, request):
    experts = Expert.objects.public().filter(organisation=organisation).select_related("user")
    return LinkedGroup(
        title=_("Experts"),
        items=[
            LinkedItem(title=str(e), url=e.get_absolute_url(), description=e.headline)
            for e in experts[:20]
        ],
        order=61,
    )


@hooks.register(USER_MENU_ITEMS)
def partner_menu(request):
    return MenuItem(label=_("Partner search"), url=reverse("partners:search"), order=60)


def _visible_opportunities(request):
    return Opportunity.objects.visible_to(
        request.user, organisation_ids=acting_organisation_ids(request.user)
    )


class VisibleOpportunitiesMixin:
    """The admin's opportunity chooser offers what the user may read (published ones, their
    organisation's drafts; everything to reviewers): a draft's title is not shown to every
    editor."""

    def get_object_list(self):
        return _visible_opportunities(self.request)


class OpportunityChooseView(VisibleOpportunitiesMixin, ChooseView):
    pass


class OpportunityChooseResultsView(VisibleOpportunitiesMixin, ChooseResultsView):
    pass


class OpportunityChosenView(SnippetChosenView):
    def get_object(self, pk):
        return _visible_opportunities(self.request).get(pk=pk)


class OpportunityChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return _visible_opportunities(self.request).filter(pk__in=pks)


class OpportunityChooserViewSet(SnippetChooserViewSet):
    choose_view_class = OpportunityChooseView
    choose_results_view_class = OpportunityChooseResultsView
    chosen_view_class = OpportunityChosenView
    chosen_multiple_view_class = OpportunityChosenMultipleView


class OpportunityViewSet(SnippetViewSet):
    model = Opportunity
    chooser_viewset_class = OpportunityChooserViewSet
    icon = "doc-full"
    menu_label = _("Opportunities")
    list_display = ["title", "organisation", "kind", "review_state", "status", "deadline"]
    list_filter = ["review_state", "status", "kind"]
    search_fields = ["title", "summary"]


class CooperationProfileViewSet(SnippetViewSet):
    model = CooperationProfile
    icon = "group"
    menu_label = _("Cooperation profiles")
    list_display = ["organisation", "size_class", "updated_at"]


class ExpertViewSet(SnippetViewSet):
    model = Expert
    icon = "user"
    menu_label = _("Experts")
    list_display = ["user", "headline", "organisation", "opted_in_at"]


class PartnersViewSetGroup(SnippetViewSetGroup):
    items = (OpportunityViewSet, CooperationProfileViewSet, ExpertViewSet)
    menu_icon = "group"
    menu_label = _("Partner matching")
    menu_name = "partners"


register_snippet(PartnersViewSetGroup)
