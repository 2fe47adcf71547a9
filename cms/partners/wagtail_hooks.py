"""How partner matching plugs into the site: the organisation page (its experts and open
opportunities), the user menu, and the admin listings."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.hooks import (
    LOAD_DEMO,
    NOTIFICATION_TOPICS,
    ORGANISATION_LINKS,
    USER_MENU_ITEMS,
    LinkedGroup,
    LinkedItem,
    MenuItem,
)

from .demo import load as load_demo
from .models import CooperationProfile, Expert, Opportunity
from .topics import partner_topics

hooks.register(NOTIFICATION_TOPICS, partner_topics)


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


class OpportunityViewSet(SnippetViewSet):
    model = Opportunity
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
