from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.search.backends import get_search_backend
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.highlight import highlight
from cms.hooks import SEARCH_RESULTS, HitList, SearchGroup, SearchHit

from .models import Organisation, Region


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "kind", "region", "country", "verified_at"]
    list_filter = ["kind", "region", "country"]
    search_fields = ["name", "city", "description"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    list_display = ["name", "country", "nuts_code", "editor_group"]
    list_filter = ["country"]


class DirectoryViewSetGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, RegionViewSet)
    menu_icon = "group"
    menu_label = _("Directory")
    menu_name = "directory"


register_snippet(DirectoryViewSetGroup)


@hooks.register(SEARCH_RESULTS)
def organisation_search_results(query, request, *, region=None):
    """Organisations of the directory (public: the directory lists every organisation), best
    match first, of ``region`` when one is chosen."""
    organisations = Organisation.objects.select_related("region")
    if region is not None:
        organisations = organisations.filter(region_id=region.pk)
    return SearchGroup(
        kind="organisations",
        label=_("Organisations"),
        results=HitList(
            get_search_backend().search(query, organisations),
            lambda organisation: SearchHit(
                title=organisation.name,
                url=organisation.get_absolute_url(),
                snippet=highlight(organisation.description, query),
                kind_label=" · ".join(
                    str(part)
                    for part in (organisation.get_kind_display(), organisation.city)
                    if part
                ),
            ),
        ),
        order=5,
    )
