"""The QuizPage editor form: a quiz draws only from its own course's question bank."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from courses.models import CoursePage
from courses.providers import editable_courses


class QuizPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        course = self._course()
        if course is None or "slots" not in self.formsets:
            return
        formset = self.formsets["slots"]
        for form in [*formset.forms, formset.empty_form]:
            for name in ("question", "category"):
                form.fields[name].queryset = form.fields[name].queryset.filter(course=course)

    def _course(self):
        anchor = self.instance if self.instance.pk else self.parent_page
        if anchor is None:
            return None
        return CoursePage.objects.ancestor_of(anchor, inclusive=True).first()

    def clean(self):
        cleaned = super().clean()
        course = self._course()
        formset = self.formsets.get("slots")
        if course is None or formset is None:
            return cleaned
        for form in formset.forms:
            data = getattr(form, "cleaned_data", {}) or {}
            if data.get("DELETE"):
                continue
            question, category = data.get("question"), data.get("category")
            if question and question.course_id != course.pk:
                form.add_error("question", _("This question belongs to another course's bank."))
            if category and category.course_id != course.pk:
                form.add_error("category", _("This category belongs to another course's bank."))
        return cleaned


class QuestionBankForm(WagtailAdminModelForm):
    """Questions and categories: an editor picks only courses they may edit (and their
    categories), so no one writes into another course's bank."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        courses = editable_courses(self.for_user, CoursePage.objects.order_by("title"))
        if "course" in self.fields:
            self.fields["course"].queryset = courses
        # The models import this module (their base_form_class): the categories' queryset is
        # the field's own, narrowed.
        for name in ("category", "parent"):
            if name in self.fields:
                self.fields[name].queryset = (
                    self.fields[name]
                    .queryset.filter(course__in=courses.values("pk"))
                    .select_related("course", "parent")
                )
