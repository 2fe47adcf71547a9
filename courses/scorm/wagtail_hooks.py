"""SCORM packages in the admin (a snippet with the upload form): training providers see and
upload only their organisations' packages."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.providers import course_filter_for

from .forms import ScormPackageForm
from .models import ScormPackage


class ScormPackageViewSet(SnippetViewSet):
    model = ScormPackage
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
        return ScormPackage.objects.filter(
            course_filter_for(request.user, field="organisation_id")
        ).select_related("organisation")


register_snippet(ScormPackageViewSet)
