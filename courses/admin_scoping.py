"""Admin views of snippets that belong to a course or an organisation (question banks, SCORM
packages): the listing is filtered by the viewset's ``get_queryset``, but Wagtail's edit,
delete, copy, history, usage and inspect views load any object by its id. These subclasses
answer 404 for an object outside the user's scope, so an id typed into the URL reaches nothing.
"""

from django.http import Http404
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

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
            def get_object(self, *args, **kwargs):
                # Edit and delete views take a queryset; history and usage views take none.
                obj = super().get_object(*args, **kwargs)
                if obj is not None and not (
                    type(obj)._default_manager.filter(scope(self.request.user), pk=obj.pk).exists()
                ):
                    raise Http404
                return obj

        ScopedView.__name__ = f"Scoped{view_class.__name__}"
        return ScopedView

    return {name: scoped(view_class) for name, view_class in SCOPED_VIEWS.items()}


def scoped_chooser_viewset_class(scope, *, columns=(), select_related=()):
    """A snippet chooser that offers only the objects in the user's scope (``scope(user)``
    returns a Q): Wagtail's chooser lists every object to everyone in the admin. ``columns``
    (Wagtail table columns) follow the title, e.g. the course a question belongs to, so an
    author with several courses tells same-named objects apart; ``select_related`` reads what
    they show in the same query."""

    def scoped(request, queryset):
        return queryset.filter(scope(request.user))

    class ScopedListing:
        def get_object_list(self):
            queryset = scoped(self.request, super().get_object_list())
            return queryset.select_related(*select_related) if select_related else queryset

        @property
        def columns(self):
            return [*super().columns, *columns]

    class ScopedChooseView(ScopedListing, ChooseView):
        pass

    class ScopedChooseResultsView(ScopedListing, ChooseResultsView):
        pass

    class ScopedChosenView(SnippetChosenView):
        def get_object(self, pk):
            return scoped(self.request, self.model_class._default_manager.all()).get(pk=pk)

    class ScopedChosenMultipleView(SnippetChosenMultipleView):
        def get_objects(self, pks):
            return scoped(self.request, self.model_class._default_manager.all()).filter(pk__in=pks)

    class ScopedChooserViewSet(SnippetChooserViewSet):
        choose_view_class = ScopedChooseView
        choose_results_view_class = ScopedChooseResultsView
        chosen_view_class = ScopedChosenView
        chosen_multiple_view_class = ScopedChosenMultipleView

    return ScopedChooserViewSet
