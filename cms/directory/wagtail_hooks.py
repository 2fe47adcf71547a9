from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

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
