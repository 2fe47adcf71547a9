"""Admin registration of the quizzes: question banks as snippets, the import/export and report
views, and the demo loader."""

import django_filters
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.hooks import LOAD_DEMO, SEED_SCALE
from courses.admin_scoping import scoped_chooser_viewset_class, scoped_view_classes
from courses.models import CoursePage

from . import admin_urls
from .models import Question, QuestionCategory
from .selectors import courses_editable_by, question_filter_for


def _own_courses(request):
    return courses_editable_by(request.user) if request else CoursePage.objects.none()


def _own_categories(request):
    if request is None:
        return QuestionCategory.objects.none()
    return QuestionCategory.objects.filter(question_filter_for(request.user)).order_by("name")


class QuestionFilterSet(WagtailFilterSet):
    """The list's filters offer only the user's own courses and categories: a training
    provider never reads the names of another organisation's (draft) courses there."""

    course = django_filters.ModelChoiceFilter(label=_("course"), queryset=_own_courses)
    category = django_filters.ModelChoiceFilter(label=_("category"), queryset=_own_categories)

    class Meta:
        model = Question
        fields = ["question_type", "course", "category"]


class QuestionCategoryFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(label=_("course"), queryset=_own_courses)

    class Meta:
        model = QuestionCategory
        fields = ["course"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    # Edit, delete, … only within the user's banks, not any question by id.
    locals().update(scoped_view_classes(question_filter_for))
    chooser_viewset_class = scoped_chooser_viewset_class(
        question_filter_for,
        columns=[
            Column("question_type", label=_("Type"), accessor="get_question_type_display"),
            Column("course", label=_("Course")),
        ],
        select_related=["course"],
    )
    icon = "help"
    menu_label = _("Questions")
    list_display = ["name", "question_type", "category", "course", "updated_at"]
    filterset_class = QuestionFilterSet
    search_fields = ["name", "text"]

    def get_queryset(self, request):
        # Editors see only the banks of the courses they may edit.
        return Question.objects.filter(question_filter_for(request.user)).select_related(
            "course", "category"
        )


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    locals().update(scoped_view_classes(question_filter_for))
    chooser_viewset_class = scoped_chooser_viewset_class(
        question_filter_for,
        select_related=["course", "parent"],  # its name shows both
    )
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    list_display = ["name", "parent", "course"]
    filterset_class = QuestionCategoryFilterSet

    def get_queryset(self, request):
        return QuestionCategory.objects.filter(question_filter_for(request.user)).select_related(
            "course", "parent"
        )


class QuestionBankGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuestionCategoryViewSet)
    menu_icon = "help"
    menu_label = _("Question banks")
    menu_name = "question-banks"


register_snippet(QuestionBankGroup)


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    return [path("quizzes/", include((admin_urls, "quizzes_admin"), namespace="quizzes_admin"))]


@hooks.register("register_admin_menu_item")
def register_quiz_tools_menu_item():
    return MenuItem(
        _("Quiz import & reports"), reverse("quizzes_admin:index"), icon_name="list-ul", order=310
    )


@hooks.register(LOAD_DEMO, order=210)
def load_quiz_demo(*, stdout, style):
    # Imported when the command runs: the demo, scale and benchmark data builders are not loaded
    # with the site (they are large, and only manage.py load_demo/seed_scale/bench_pages use them).
    from .demo import load

    load(stdout=stdout, style=style)


@hooks.register(SEED_SCALE, order=210)
def seed_scale_quizzes(*, seed):
    # Imported when the command runs: the demo, scale and benchmark data builders are not loaded
    # with the site (they are large, and only manage.py load_demo/seed_scale/bench_pages use them).
    from .seed_scale import seed_quizzes

    seed_quizzes(seed=seed)
