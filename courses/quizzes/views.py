"""The learner's quiz pages, routed under each QuizPage's URL (see ``QuizPage``'s routes).

What reaches the browser before submission is built here from ids and texts only: no
fraction, no feedback, no correct answer is ever put in the attempt page's context.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import selectors as course_selectors

from . import grading, selectors, services
from .grading import Result, correct_answer_text, grade, is_answered
from .models import CHOICE_TYPES, MANUAL_TYPES, Attempt, QuestionType, TextFormat
from .text import render


def _require_learner(request, quiz):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.can_attempt(request.user, quiz):
        raise PermissionDenied
    return None


def _own_attempt(request, quiz, number):
    try:
        return Attempt.objects.get(quiz=quiz, user=request.user, number=number)
    except Attempt.DoesNotExist:
        raise Http404 from None


def _urls(quiz, attempt=None):
    base = quiz.url
    urls = {"quiz": base, "start": base + quiz.reverse_subpage("start_route")}
    if attempt is not None:
        number = {"number": attempt.number}
        urls["attempt"] = base + quiz.reverse_subpage("attempt_route", kwargs=number)
        urls["save"] = base + quiz.reverse_subpage("save_route", kwargs=number)
        urls["review"] = base + quiz.reverse_subpage("review_route", kwargs=number)
        urls["summary"] = base + quiz.reverse_subpage("summary_route", kwargs=number)
    return urls


def quiz_index(request, quiz):
    context = _with_course(request, quiz, quiz.get_context(request))
    attempts, in_progress, grade_value = [], None, None
    if request.user.is_authenticated:
        services.attempt_close_overdue(user=request.user, quiz=quiz)
        attempts = list(Attempt.objects.filter(quiz=quiz, user=request.user).order_by("number"))
        in_progress = next((attempt for attempt in attempts if not attempt.is_finished), None)
        finished = [attempt for attempt in attempts if attempt.is_finished]
        grade_value = grading.quiz_grade(finished, quiz.grading_method)
        for attempt in attempts:
            attempt.review_url = _urls(quiz, attempt)["review"]
    used = len(attempts)
    context.update(
        attempts=attempts,
        in_progress=in_progress,
        in_progress_url=_urls(quiz, in_progress)["attempt"] if in_progress else None,
        grade=grade_value,
        passed=grade_value is not None and grade_value >= quiz.pass_mark,
        attempts_left=None if not quiz.attempts_allowed else max(0, quiz.attempts_allowed - used),
        question_count=sum(
            1 if slot.question_id else slot.random_count for slot in quiz.slots.all()
        ),
        urls=_urls(quiz),
        can_attempt=selectors.can_attempt(request.user, quiz),
    )
    return TemplateResponse(request, "quizzes/quiz_page.html", context)


@require_POST
def attempt_start_view(request, quiz):
    if response := _require_learner(request, quiz):
        return response
    try:
        attempt = services.attempt_start(user=request.user, quiz=quiz)
    except services.QuizError as error:
        messages.error(request, str(error))
        return redirect(quiz.url)
    return redirect(_urls(quiz, attempt)["attempt"])


def _clock(seconds_left):
    return f"{seconds_left // 60}:{seconds_left % 60:02d}" if seconds_left is not None else ""


def _with_course(request, quiz, context):
    """The course around a quiz page: breadcrumb, outline and progress, as on a lesson."""
    course = quiz.get_course()
    outline = course_selectors.course_outline(course=course) if course else []
    context.update(course=course, modules=outline)
    if course and request.user.is_authenticated:
        # read when the outline is rendered, not when it comes kept (quiz_base.html)
        context["progress"] = SimpleLazyObject(
            lambda: course_selectors.course_progress(
                user=request.user, course=course, outline=outline
            )
        )
    return context


def _question_view(slot):
    """What the attempt page shows of a slot: texts and ids in the frozen order, the learner's
    saved response, nothing that tells the right answer."""
    question = slot.question
    view = {
        "position": slot.position,
        "name": f"q{slot.position}",
        "type": question.question_type,
        "text": render(question.text, question.text_format),
        "mark": slot.max_mark,
        "response": slot.response,
        "flagged": slot.flagged,
    }
    if question.question_type in CHOICE_TYPES:
        texts = {answer.pk: answer.text for answer in question.answers.all()}
        chosen = slot.response if isinstance(slot.response, list) else [slot.response]
        # ``key`` is the option's value in the form; ``pk`` never leaves the server.
        view["options"] = [
            {
                "key": key,
                "pk": pk,
                "text": render(texts[pk], question.text_format, inline=True),
                "checked": pk in chosen,
            }
            for key, pk in slot.options()
            if pk in texts
        ]
    elif question.question_type == QuestionType.MATCHING:
        prompts = {pair.pk: pair.prompt for pair in question.pairs.all()}
        response = slot.response if isinstance(slot.response, dict) else {}
        view["prompts"] = [
            {
                "key": key,
                "pk": pk,
                "text": render(prompts[pk], question.text_format, inline=True),
                "selected": response.get(str(pk), ""),
            }
            for key, pk in slot.prompts()
            if pk in prompts
        ]
        view["answers"] = slot.layout.get("answers", [])
    elif question.question_type == QuestionType.NUMERICAL:
        response = slot.response or {}
        view["number"] = response.get("number", "")
        view["unit"] = response.get("unit", "")
        view["units"] = [unit.unit for unit in question.units.all()]
    elif question.question_type in (QuestionType.SHORT_ANSWER, QuestionType.ESSAY):
        view["value"] = slot.response if isinstance(slot.response, str) else ""
    return view


def _slots_for_display(attempt):
    """The slots in order with their questions and answers; the matching pairs and the units
    read only when a question of those types is there (one query each then)."""
    slots = list(
        attempt.slots.select_related("question")
        .prefetch_related("question__answers")
        .order_by("position")
    )
    questions = [slot.question for slot in slots]
    for question_type, related in (
        (QuestionType.MATCHING, "pairs"),
        (QuestionType.NUMERICAL, "units"),
    ):
        prefetch_related_objects(
            [question for question in questions if question.question_type == question_type],
            related,
        )
    return slots


def attempt_view(request, quiz, number):
    if response := _require_learner(request, quiz):
        return response
    attempt = _own_attempt(request, quiz, number)
    urls = _urls(quiz, attempt)
    if attempt.is_overdue() and not attempt.is_finished:
        services.attempt_submit(attempt=attempt)
        messages.warning(
            request,
            _(
                "Time was up: your attempt was submitted with the answers saved before the deadline."
            ),
        )
        return redirect(urls["review"])
    if attempt.is_finished:
        return redirect(urls["review"])
    if request.method == "POST":
        try:
            if request.POST.get("action") == "submit":
                # From the summary page the answers were saved already: the post holds none.
                data = None if request.POST.get("from") == "summary" else request.POST
                attempt, submitted = services.attempt_submit(attempt=attempt, data=data)
                if submitted:
                    messages.success(request, _("Your attempt was submitted."))
                return redirect(urls["review"])
            services.attempt_save(attempt=attempt, data=request.POST)
        except services.InvalidResponse as error:
            messages.error(request, str(error))
            return redirect(urls["attempt"])
        if request.POST.get("action") == "finish":
            # As Moodle: "Finish attempt" leads to the summary, where the learner confirms.
            return redirect(urls["summary"])
        messages.success(request, _("Your answers were saved."))
        return redirect(urls["attempt"])
    seconds_left = attempt.seconds_left()
    context = _with_course(request, quiz, quiz.get_context(request))
    context.update(
        attempt=attempt,
        # read when the template lists them, not when they come kept (attempt.html)
        questions=SimpleLazyObject(
            lambda: [_question_view(slot) for slot in _slots_for_display(attempt)]
        ),
        seconds_left=seconds_left,
        time_left=_clock(seconds_left),
        urls=urls,
    )
    return TemplateResponse(request, "quizzes/attempt.html", context)


def attempt_summary_view(request, quiz, number):
    """Before submitting: every question answered or not, and flagged, with the way back to
    each; submitting from here is the learner's confirmation."""
    if response := _require_learner(request, quiz):
        return response
    attempt = _own_attempt(request, quiz, number)
    urls = _urls(quiz, attempt)
    if attempt.is_finished or attempt.is_overdue():
        return redirect(urls["attempt"])  # which closes an overdue attempt and shows the review
    rows = [
        {
            "position": slot.position,
            "answered": is_answered(slot.question.question_type, slot.response),
            "flagged": slot.flagged,
        }
        for slot in services.attempt_slots(attempt)
        if slot.question.question_type != QuestionType.DESCRIPTION
    ]
    seconds_left = attempt.seconds_left()
    context = _with_course(request, quiz, quiz.get_context(request))
    context.update(
        attempt=attempt,
        rows=rows,
        not_answered=sum(1 for row in rows if not row["answered"]),
        flagged=sum(1 for row in rows if row["flagged"]),
        seconds_left=seconds_left,
        time_left=_clock(seconds_left),
        urls=urls,
    )
    return TemplateResponse(request, "quizzes/summary.html", context)


@require_POST
def attempt_save_view(request, quiz, number):
    """The auto-save endpoint: the attempt form posted as it is (JS on every change).
    Answers only the state of the save, never anything about correctness."""
    if not request.user.is_authenticated or not selectors.can_attempt(request.user, quiz):
        raise PermissionDenied
    attempt = _own_attempt(request, quiz, number)
    try:
        saved = services.attempt_save(attempt=attempt, data=request.POST)
    except services.InvalidResponse as error:
        return JsonResponse({"saved": False, "error": str(error)}, status=400)
    attempt.refresh_from_db(fields=["state", "deadline"])
    return JsonResponse(
        {
            "saved": saved,
            "finished": attempt.is_finished,
            "seconds_left": attempt.seconds_left(),
            "saved_at": timezone.now().isoformat() if saved else None,
        },
        status=200 if saved else 409,
    )


def _review_item(slot, quiz):
    """A slot as the review shows it. Each review option hides what it names: the marks
    (``review_score``), right/wrong per question and per option (``review_correctness``), the
    author's feedback (``review_feedback``) and the right answer (``review_correct_answers``).
    What an option hides is left out of the item, not just out of the template."""
    question = slot.question
    if question.question_type in MANUAL_TYPES:
        # A teacher's grade: the slot's mark, or nothing yet.
        result = Result(slot.fraction or Decimal("0"))
    else:
        result = grade(question, slot.layout, slot.response)
    item = _question_view(slot)
    text_format = question.text_format
    # Short and numerical answers are plain text whatever the question's format.
    answer_format = text_format if "options" in item or "prompts" in item else TextFormat.PLAIN
    parts = result.parts if quiz.review_correctness else {}
    item.update(
        answered=is_answered(question.question_type, slot.response),
        awaiting_grade=slot.mark is None,
        state=result.state if quiz.review_correctness and slot.mark is not None else "",
        mark=slot.mark if quiz.review_score and slot.mark is not None else None,
        max_mark=slot.max_mark,
        comment=render(slot.comment, TextFormat.PLAIN)
        if quiz.review_feedback and slot.comment
        else "",
        feedback=[render(text, text_format) for text in result.feedback]
        if quiz.review_feedback
        else [],
        general_feedback=render(question.general_feedback, text_format)
        if quiz.review_feedback and question.general_feedback
        else "",
        correct_answer=render(correct_answer_text(question), answer_format, inline=True)
        if quiz.review_correct_answers
        else "",
    )
    for option in item.get("options", []):
        option["right"] = parts.get(option["pk"])
    for prompt in item.get("prompts", []):
        prompt["right"] = parts.get(prompt["pk"])
    return item


def attempt_review_view(request, quiz, number):
    if response := _require_learner(request, quiz):
        return response
    attempt = _own_attempt(request, quiz, number)
    urls = _urls(quiz, attempt)
    if attempt.is_overdue() and not attempt.is_finished:
        services.attempt_submit(attempt=attempt)
        attempt.refresh_from_db()
    if not attempt.is_finished:
        return redirect(urls["attempt"])
    slots = _slots_for_display(attempt)
    # The quiz's grade as the quiz page states it (same function, same grading method), so the
    # two pages never disagree on "passed".
    graded = Attempt.objects.finished().filter(quiz=quiz, user=request.user).order_by("number")
    quiz_grade = grading.quiz_grade(list(graded), quiz.grading_method)
    context = _with_course(request, quiz, quiz.get_context(request))
    context.update(
        attempt=attempt,
        items=[_review_item(slot, quiz) for slot in slots],
        quiz_grade=quiz_grade,
        quiz_passed=quiz_grade is not None and quiz_grade >= quiz.pass_mark,
        urls=urls,
    )
    return TemplateResponse(request, "quizzes/review.html", context)
