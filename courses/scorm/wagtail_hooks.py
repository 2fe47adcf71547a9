"""SCORM packages in the admin (a snippet with the upload form): training providers see and
upload only their organisations' packages."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.admin_scoping import scoped_chooser_viewset_class, scoped_view_classes
from courses.providers import course_filter_for

from .forms import ScormPackageForm
from .models import ScormPackage


def package_scope(user):
    return course_filter_for(user, field="organisation_id")


class ScormPackageViewSet(SnippetViewSet):
    model = ScormPackage
    locals().update(scoped_view_classes(package_scope))
    chooser_viewset_class = scoped_chooser_viewset_class(package_scope)
    icon = "media"
    menu_label = _("SCORM packages")
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["title", "version", "organisation", "file_count", "created_at"]
    list_filter = ["version"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [FieldPanel("package_file"), FieldPanel("title"), FieldPanel("organisation")],
        base_form_class=ScormPackageForm,
    )

    def get_queryset(self, request):
        return ScormPackage.objects.filter(package_scope(request.user)).select_related(
            "organisation"
        )


register_snippet(ScormPackageViewSet)
