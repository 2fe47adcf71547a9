"""Quiz actions (start, save, submit an attempt) and what the rest of the training platform
asks of the quizzes (``passed_quiz_ids``)."""

import random
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.signals import activity_completed

from .grading import grade
from .models import (
    CHOICE_TYPES,
    Attempt,
    AttemptSlot,
    AttemptState,
    GradingMethod,
    Question,
    QuestionType,
    QuizPage,
)

HUNDRED = Decimal("100")


class QuizError(Exception):
    """An action the quiz's settings do not allow; the message is for the learner."""


def can_attempt(user, quiz):
    """Whether ``user`` may take ``quiz``: signed in and enrolled in the quiz's course. Every
    view and service asks this one function."""
    from courses.models import Enrolment

    if not (user and user.is_authenticated):
        return False
    course = quiz.get_course()
    return course is not None and Enrolment.objects.filter(user=user, course=course).exists()


# Grades ----------------------------------------------------------------------------------------


def quiz_grade(attempts, method):
    """The quiz grade (%) from finished attempts in attempt order, by the grading method."""
    percents = [attempt.percent for attempt in attempts if attempt.percent is not None]
    if not percents:
        return None
    if method == GradingMethod.FIRST:
        return percents[0]
    if method == GradingMethod.LAST:
        return percents[-1]
    if method == GradingMethod.AVERAGE:
        return (sum(percents) / len(percents)).quantize(Decimal("0.0001"))
    return max(percents)


def quiz_passed(quiz, attempts):
    grade_value = quiz_grade(attempts, quiz.grading_method)
    return grade_value is not None and grade_value >= quiz.pass_mark


def passed_quiz_ids(user, course):
    """The ids of the QuizPages of ``course`` that ``user`` has passed (by the quiz's grading
    method). Used by the course completion rule. Two queries, whatever the number of quizzes."""
    if not user or not user.is_authenticated:
        return set()
    quizzes = {
        quiz.pk: quiz
        for quiz in QuizPage.objects.descendant_of(course).only("pk", "pass_mark", "grading_method")
    }
    attempts_by_quiz = {}
    for attempt in (
        Attempt.objects.finished()
        .filter(user=user, quiz_id__in=list(quizzes))
        .only("quiz_id", "number", "percent")
        .order_by("quiz_id", "number")
    ):
        attempts_by_quiz.setdefault(attempt.quiz_id, []).append(attempt)
    return {pk for pk, attempts in attempts_by_quiz.items() if quiz_passed(quizzes[pk], attempts)}


# Starting --------------------------------------------------------------------------------------


def _draw_questions(quiz, rng):
    """The questions of a new attempt: fixed slots in order, random draws from categories
    without repeating a question already in the attempt."""
    slots = list(quiz.slots.select_related("question", "category").order_by("sort_order", "pk"))
    chosen_ids = [slot.question_id for slot in slots if slot.question_id]
    drawn = []
    for slot in slots:
        if slot.question_id:
            drawn.append(slot.question_id)
            continue
        category_ids = (
            slot.category.descendant_ids() if slot.include_subcategories else [slot.category_id]
        )
        pool = list(
            Question.objects.filter(category_id__in=category_ids)
            .exclude(pk__in=chosen_ids)
            .values_list("pk", flat=True)
        )
        picked = rng.sample(pool, min(slot.random_count, len(pool)))
        chosen_ids.extend(picked)
        drawn.extend(picked)
    return drawn


def _keys(count, rng):
    """``count`` distinct random keys for one question's options: what the browser sees instead
    of database ids, so their values reveal neither the author's order nor the right answer."""
    keys = []
    while len(keys) < count:
        key = f"{rng.getrandbits(48):012x}"
        if key not in keys:
            keys.append(key)
    return keys


def _layout(question, shuffle, rng):
    if question.question_type in CHOICE_TYPES:
        ids = [answer.pk for answer in question.answers.all()]
        if shuffle and question.question_type != QuestionType.TRUE_FALSE:
            rng.shuffle(ids)
        return {"options": [[key, pk] for key, pk in zip(_keys(len(ids), rng), ids, strict=True)]}
    if question.question_type == QuestionType.MATCHING:
        pairs = list(question.pairs.all())
        prompts = [pair.pk for pair in pairs if pair.prompt]
        answers = list(dict.fromkeys(pair.answer for pair in pairs))
        if shuffle:
            rng.shuffle(prompts)
        rng.shuffle(answers)  # matching answers are always shuffled, or the order gives them away
        keyed = [[key, pk] for key, pk in zip(_keys(len(prompts), rng), prompts, strict=True)]
        return {"prompts": keyed, "answers": answers}
    return []


def attempt_start(*, user, quiz, rng=None):
    """Start an attempt, or return the one in progress (resume). Freezes the attempt's
    questions and option order in its slots."""
    if not can_attempt(user, quiz):
        raise PermissionDenied
    attempt_close_overdue(user=user, quiz=quiz)
    existing = Attempt.objects.in_progress().filter(user=user, quiz=quiz).first()
    if existing:
        return existing
    rng = rng or random.SystemRandom()
    try:
        with transaction.atomic():
            done = Attempt.objects.filter(user=user, quiz=quiz).aggregate(n=Max("number"))["n"] or 0
            if quiz.attempts_allowed and done >= quiz.attempts_allowed:
                raise QuizError(_("You have used all the attempts allowed for this quiz."))
            question_ids = _draw_questions(quiz, rng)
            if not question_ids:
                raise QuizError(_("This quiz has no questions yet."))
            if quiz.shuffle_questions:
                rng.shuffle(question_ids)
            questions = Question.objects.for_grading().in_bulk(question_ids)
            now = timezone.now()
            attempt = Attempt.objects.create(
                quiz=quiz,
                user=user,
                number=done + 1,
                started_at=now,
                deadline=now + quiz.time_limit if quiz.time_limit else None,
            )
            slots = [
                AttemptSlot(
                    attempt=attempt,
                    position=position,
                    question=questions[pk],
                    max_mark=questions[pk].default_mark,
                    layout=_layout(questions[pk], quiz.shuffle_options, rng),
                )
                for position, pk in enumerate(question_ids, start=1)
            ]
            AttemptSlot.objects.bulk_create(slots)
            attempt.max_score = sum((slot.max_mark for slot in slots), Decimal("0"))
            attempt.save(update_fields=["max_score"])
            return attempt
    except IntegrityError:
        # Two starts at once: the other request created the attempt; resume it.
        existing = Attempt.objects.in_progress().filter(user=user, quiz=quiz).first()
        if existing is None:
            raise
        return existing


# Saving ----------------------------------------------------------------------------------------


class InvalidResponse(QuizError):
    """A posted answer that cannot be stored (a NUL byte): nothing of the post is saved."""


def _posted_text(data, name, limit, position):
    value = data.get(name, "")
    value = value if isinstance(value, str) else ""
    if "\x00" in value:
        raise InvalidResponse(
            _(
                "Your answer to question %(number)s contains a NUL character, which cannot be "
                "saved. Remove it and try again; nothing was saved."
            )
            % {"number": position}
        )
    return value[:limit]


def responses_from_post(slots, data):
    """Read the attempt form (``q<position>`` fields) into ``{position: response}``. Choice
    and matching fields carry the slot's opaque option keys; only keys the slot offered are
    kept, stored as the answer (pair) ids they stand for. Raises ``InvalidResponse`` for a
    text the database cannot hold."""
    responses = {}
    for slot in slots:
        name, position = f"q{slot.position}", slot.position
        qtype = slot.question.question_type
        if qtype in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
            options = dict(slot.options())
            responses[position] = options.get(_posted_text(data, name, 50, position))
        elif qtype == QuestionType.MULTIPLE:
            options = dict(slot.options())
            chosen = {options.get(value) for value in data.getlist(name) if isinstance(value, str)}
            responses[position] = sorted(pk for pk in chosen if pk is not None)
        elif qtype == QuestionType.SHORT_ANSWER:
            responses[position] = _posted_text(data, name, 500, position)
        elif qtype == QuestionType.NUMERICAL:
            responses[position] = {
                "number": _posted_text(data, name, 50, position),
                "unit": _posted_text(data, f"{name}-unit", 30, position),
            }
        elif qtype == QuestionType.MATCHING:
            answers = slot.layout.get("answers", [])
            response = {}
            for key, pair_id in slot.prompts():
                value = _posted_text(data, f"{name}-{key}", 500, position)
                if value in answers:
                    response[str(pair_id)] = value
            responses[position] = response
    return responses


def attempt_slots(attempt):
    return list(attempt.slots.select_related("question").order_by("position"))


def attempt_save(*, attempt, data, now=None):
    """Save the learner's answers as they go. Returns False (and saves nothing) when the
    attempt is finished or its deadline has passed: answers after the deadline do not count."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.is_finished or attempt.is_overdue(now):
            return False
        slots = attempt_slots(attempt)
        responses = responses_from_post(slots, data)
        changed = []
        for slot in slots:
            response = responses.get(slot.position)
            if response != slot.response:
                slot.response = response
                slot.saved_at = now
                changed.append(slot)
        if changed:
            AttemptSlot.objects.bulk_update(changed, ["response", "saved_at"])
    return True


# Submitting ------------------------------------------------------------------------------------


def attempt_grade(attempt, slots):
    """Grade the slots (their questions prefetched) and set the attempt's score; no writes."""
    score = Decimal("0")
    for slot in slots:
        result = grade(slot.question, slot.layout, slot.response)
        slot.fraction = result.fraction
        slot.mark = (result.fraction * slot.max_mark).quantize(Decimal("0.0001"))
        score += slot.mark
    attempt.score = score
    attempt.percent = (
        (score / attempt.max_score * HUNDRED).quantize(Decimal("0.0001"))
        if attempt.max_score
        else Decimal("0")
    )
    return attempt


def attempt_submit(*, attempt, data=None, now=None):
    """Submit an attempt exactly once and grade it on the server. A second submission (double
    click, two tabs) finds it finished and changes nothing. A submission after the deadline is
    graded as at the deadline: only the answers saved before it count.

    Returns ``(attempt, submitted_now)``. Sends ``activity_completed`` when this submission
    makes the learner pass the quiz."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if attempt.is_finished:
            return attempt, False
        quiz = attempt.quiz
        previous = list(
            Attempt.objects.finished().filter(quiz=quiz, user_id=attempt.user_id).order_by("number")
        )
        was_passed = quiz_passed(quiz, previous)
        if data is not None and not attempt.is_overdue(now):
            attempt_save(attempt=attempt, data=data, now=now)
        slots = list(
            attempt.slots.select_related("question")
            .prefetch_related("question__answers", "question__pairs", "question__units")
            .order_by("position")
        )
        attempt_grade(attempt, slots)
        AttemptSlot.objects.bulk_update(slots, ["fraction", "mark"])
        attempt.state = AttemptState.FINISHED
        attempt.finished_at = min(now, attempt.deadline) if attempt.deadline else now
        attempt.save(update_fields=["state", "finished_at", "score", "percent"])
        passed = quiz_passed(quiz, [*previous, attempt])
        if passed and not was_passed:
            # Inside the transaction: the completion rule's writes (certificate) commit with it.
            activity_completed.send(sender=QuizPage, user=attempt.user, page=quiz)
    return attempt, True


def attempt_close_overdue(*, user, quiz, now=None):
    """Submit ``user``'s in-progress attempts on ``quiz`` whose time is up (as Moodle does
    when the learner never pressed submit)."""
    now = now or timezone.now()
    for attempt in Attempt.objects.in_progress().filter(user=user, quiz=quiz, deadline__lte=now):
        attempt_submit(attempt=attempt, now=now)
