"""Admin views of snippets that belong to a course or an organisation (question banks, SCORM
packages): the listing is filtered by the viewset's ``get_queryset``, but Wagtail's edit,
delete, copy, history, usage and inspect views load any object by its id. These subclasses
answer 404 for an object outside the user's scope, so an id typed into the URL reaches nothing.
"""

from django.http import Http404
from wagtail.snippets.views import snippets as snippet_views

SCOPED_VIEWS = {
    "edit_view_class": snippet_views.EditView,
    "delete_view_class": snippet_views.DeleteView,
    "copy_view_class": snippet_views.CopyView,
    "history_view_class": snippet_views.HistoryView,
    "usage_view_class": snippet_views.UsageView,
    "inspect_view_class": snippet_views.InspectView,
}


def scoped_view_classes(scope):
    """``{attribute: view class}`` for a SnippetViewSet; ``scope(user)`` returns a Q."""

    def scoped(view_class):
        class ScopedView(view_class):
            def get_object(self, queryset=None):
                obj = super().get_object(queryset)
                if obj is not None and not (
                    type(obj)._default_manager.filter(scope(self.request.user), pk=obj.pk).exists()
                ):
                    raise Http404
                return obj

        ScopedView.__name__ = f"Scoped{view_class.__name__}"
        return ScopedView

    return {name: scoped(view_class) for name, view_class in SCOPED_VIEWS.items()}
