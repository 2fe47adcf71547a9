"""Wagtail admin views for editors: question bank import/export and quiz reports.

Every view checks that the editor may edit the course (or the quiz's course): others get 403.
"""

import csv

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import CoursePage

from .formats import PARSERS, export_aiken, export_gift, questions_import
from .models import MANUAL_TYPES, AttemptSlot, Question, QuestionCategory, QuizPage
from .selectors import courses_editable_by, essays_to_grade, quiz_report
from .services import GradeError, essay_grade
from .text import render

MAX_IMPORT_BYTES = 2 * 1024 * 1024
NUL_MESSAGE = gettext_lazy(
    "The text contains a NUL character (byte 0), which a GIFT or Aiken file cannot hold. "
    "Nothing was imported."
)


def _course_for(request, course_id):
    course = get_object_or_404(CoursePage, pk=course_id)
    if not request.user.is_superuser and not course.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return course


class ImportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[("gift", "GIFT"), ("aiken", "Aiken")], initial="gift"
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Into category"),
        queryset=QuestionCategory.objects.none(),
        required=False,
        empty_label=gettext_lazy("Top of the bank ($CATEGORY lines create sub-categories)"),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        help_text=gettext_lazy("UTF-8 text, up to 2 MB."),
    )
    # The confirm step posts the same text back, so nothing is stored between the steps.
    content = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"null_characters_not_allowed": NUL_MESSAGE},
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = QuestionCategory.objects.filter(
            course=course
        ).select_related("parent")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > MAX_IMPORT_BYTES:
                raise forms.ValidationError(_("The file is larger than 2 MB."))
            try:
                cleaned["content"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
            if "\x00" in cleaned["content"]:
                raise forms.ValidationError(NUL_MESSAGE)
        if not cleaned.get("content") and "content" not in self.errors:
            raise forms.ValidationError(_("Choose a file to import."))
        return cleaned


def bank_index(request):
    courses = list(courses_editable_by(request.user))
    counts = {}
    for course_id in Question.objects.filter(course__in=courses).values_list(
        "course_id", flat=True
    ):
        counts[course_id] = counts.get(course_id, 0) + 1
    quizzes = QuizPage.objects.none()
    for course in courses:
        quizzes = quizzes | QuizPage.objects.descendant_of(course)
    quiz_list = list(quizzes.order_by("path")) if courses else []
    for course in courses:
        course.question_count = counts.get(course.pk, 0)
        course.quizzes = [quiz for quiz in quiz_list if quiz.path.startswith(course.path)]
    return TemplateResponse(
        request,
        "quizzes/admin/index.html",
        {
            "courses": courses,
            "essays_waiting": essays_to_grade(request.user).count() if courses else 0,
            "page_title": _("Question banks and quiz reports"),
        },
    )


def bank_import(request, course_id):
    """Upload → preview (nothing saved, every unreadable line listed) → confirm (all saved in
    one transaction, or nothing)."""
    course = _course_for(request, course_id)
    preview, errors = None, None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, course=course)
        if form.is_valid():
            file_format = form.cleaned_data["file_format"]
            result = PARSERS[file_format](form.cleaned_data["content"])
            if result.errors:
                errors = result.errors
            elif "confirm" in request.POST:
                created = questions_import(
                    course=course, parsed=result.questions, category=form.cleaned_data["category"]
                )
                # A notice on the page rather than a flash message: it stays readable and still.
                return redirect(
                    reverse("quizzes_admin:import", args=[course.pk]) + f"?imported={len(created)}"
                )
            else:
                preview = result.questions
                form = ImportForm(
                    initial={
                        "file_format": file_format,
                        "category": form.cleaned_data["category"],
                        "content": form.cleaned_data["content"],
                    },
                    course=course,
                )
    else:
        form = ImportForm(course=course)
    imported = request.GET.get("imported", "")
    return TemplateResponse(
        request,
        "quizzes/admin/import.html",
        {
            "imported": int(imported)
            if imported.isdigit() and not preview and not errors
            else None,
            "course": course,
            "form": form,
            "preview": preview,
            "errors": errors,
            "page_title": _("Import questions into “%(course)s”") % {"course": course.title},
        },
    )


def bank_export(request, course_id, file_format):
    course = _course_for(request, course_id)
    questions = list(
        Question.objects.filter(course=course)
        .for_grading()
        .select_related("category__parent")
        .order_by("pk")
    )
    if file_format == "gift":
        text = export_gift(questions)
    elif file_format == "aiken":
        text, skipped = export_aiken(questions)
        if skipped and "download" not in request.GET:
            # Say first what Aiken cannot hold, then offer the file of the others.
            return TemplateResponse(
                request,
                "quizzes/admin/export_aiken.html",
                {
                    "course": course,
                    "skipped": skipped,
                    "written": len(questions) - len(skipped),
                    "page_title": _("Export “%(course)s” as Aiken") % {"course": course.title},
                },
            )
    else:
        raise PermissionDenied
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(course.title)}.{file_format}.txt"'
    )
    return response


def quiz_results(request, quiz_id):
    quiz = get_object_or_404(QuizPage, pk=quiz_id)
    course = quiz.get_course()
    if not request.user.is_superuser and not quiz.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    report = quiz_report(quiz)
    export = request.GET.get("export")
    if export in ("results", "items"):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{slugify(quiz.title)}-{export}.csv"'
        )
        writer = csv.writer(response)
        if export == "results":
            writer.writerow([_("Learner"), _("E-mail"), _("Attempts"), _("Grade (%)"), _("Passed")])
            for learner in report.learners:
                writer.writerow(
                    [
                        learner.learner,
                        learner.email,
                        learner.attempts,
                        learner.grade,
                        learner.passed,
                    ]
                )
        else:
            writer.writerow(
                [
                    _("Question"),
                    _("Type"),
                    _("Attempts"),
                    _("Mean mark"),
                    _("Max mark"),
                    _("Facility index"),
                    _("Discrimination index"),
                ]
            )
            for item in report.items:
                writer.writerow(
                    [
                        item.name,
                        item.question_type,
                        item.attempts,
                        f"{item.mean_mark:.4f}",
                        f"{item.max_mark:.2f}",
                        "" if item.facility is None else f"{item.facility:.2f}",
                        "" if item.discrimination is None else f"{item.discrimination:.2f}",
                    ]
                )
        return response
    return TemplateResponse(
        request,
        "quizzes/admin/report.html",
        {
            "quiz": quiz,
            "course": course,
            "report": report,
            "page_title": _("Results of “%(quiz)s”") % {"quiz": quiz.title},
            "csv_url": reverse("quizzes_admin:report", args=[quiz.pk]),
        },
    )


# Essay grading ---------------------------------------------------------------------------------


def grading_queue(request):
    """The essays waiting for a grade in the courses the user may edit (their teachers), the
    oldest submission first."""
    slots = list(essays_to_grade(request.user).select_related("attempt__user", "attempt__quiz"))
    return TemplateResponse(
        request,
        "quizzes/admin/grading_queue.html",
        {"slots": slots, "page_title": _("Essays to grade")},
    )


class EssayGradeForm(forms.Form):
    mark = forms.DecimalField(
        label=gettext_lazy("Mark"), min_value=0, max_digits=8, decimal_places=4
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment for the learner"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
    )

    def __init__(self, *args, max_mark, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mark"].max_value = max_mark
        self.fields["mark"].validators.append(MaxValueValidator(max_mark))
        self.fields["mark"].widget.attrs.update(max=f"{max_mark.normalize():f}", step="any")
        self.fields["mark"].help_text = _("Between 0 and %(max)s.") % {
            "max": f"{max_mark.normalize():f}"
        }


def grade_essay(request, slot_id):
    slot = get_object_or_404(
        AttemptSlot.objects.select_related("question", "attempt__user", "attempt__quiz"),
        pk=slot_id,
        question__question_type__in=MANUAL_TYPES,
    )
    if not courses_editable_by(request.user).filter(pk=slot.question.course_id).exists():
        raise PermissionDenied
    if not slot.attempt.is_finished:
        raise Http404
    initial = {"mark": slot.mark, "comment": slot.comment}
    form = EssayGradeForm(request.POST or None, initial=initial, max_mark=slot.max_mark)
    if request.method == "POST" and form.is_valid():
        try:
            essay_grade(
                slot=slot,
                mark=form.cleaned_data["mark"],
                comment=form.cleaned_data["comment"],
                grader=request.user,
            )
        except GradeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Grade saved for %(learner)s.") % {"learner": slot.attempt.user},
            )
            return redirect("quizzes_admin:grading")
    return TemplateResponse(
        request,
        "quizzes/admin/grade_essay.html",
        {
            "slot": slot,
            "question_text": render(slot.question.text, slot.question.text_format),
            "response": slot.response if isinstance(slot.response, str) else "",
            "form": form,
            "page_title": _("Grade an essay: %(quiz)s") % {"quiz": slot.attempt.quiz.title},
        },
    )
