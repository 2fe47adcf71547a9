"""Admin registration of the quizzes: question banks as snippets, the import/export and report
views, and the demo loader."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.hooks import LOAD_DEMO, SEED_SCALE
from courses.admin_scoping import scoped_view_classes

from . import admin_urls
from .models import Question, QuestionCategory
from .selectors import question_filter_for


class QuestionViewSet(SnippetViewSet):
    model = Question
    # Edit, delete, … only within the user's banks, not any question by id.
    locals().update(scoped_view_classes(question_filter_for))
    icon = "help"
    menu_label = _("Questions")
    list_display = ["name", "question_type", "category", "course", "updated_at"]
    list_filter = ["question_type", "course", "category"]
    search_fields = ["name", "text"]

    def get_queryset(self, request):
        # Editors see only the banks of the courses they may edit.
        return Question.objects.filter(question_filter_for(request.user)).select_related(
            "course", "category"
        )


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    locals().update(scoped_view_classes(question_filter_for))
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    list_display = ["name", "parent", "course"]
    list_filter = ["course"]

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
    from .demo import load

    load(stdout=stdout, style=style)


@hooks.register(SEED_SCALE, order=210)
def seed_scale_quizzes(*, seed):
    from .seed_scale import seed_quizzes

    seed_quizzes(seed=seed)
