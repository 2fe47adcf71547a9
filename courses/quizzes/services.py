"""Quiz actions: start, save and submit an attempt, grade an essay. What the rest of the
training platform reads of the quizzes (``passed_quiz_ids``) is in ``selectors``."""

import random
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Field, Max
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.accounts.models import User
from cms.mail import email_queue_template
from courses.signals import activity_completed

from .grading import grade, is_answered
from .models import (
    CHOICE_TYPES,
    MANUAL_TYPES,
    Attempt,
    AttemptSlot,
    AttemptState,
    Question,
    QuestionType,
    QuizPage,
)
from .selectors import can_attempt, courses_editable_by, quiz_passed

HUNDRED = Decimal("100")
ESSAY_MAX_LENGTH = 20000


class QuizError(Exception):
    """An action the quiz's settings do not allow; the message is for the learner."""


# Starting --------------------------------------------------------------------------------------


def _draw_questions(quiz: QuizPage, rng: random.Random) -> list[int]:
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


def _keys(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct random keys for one question's options: what the browser sees instead
    of database ids, so their values reveal neither the author's order nor the right answer."""
    keys: list[str] = []
    while len(keys) < count:
        key = f"{rng.getrandbits(48):012x}"
        if key not in keys:
            keys.append(key)
    return keys


def _layout(
    question: Question, shuffle: bool, rng: random.Random
) -> dict[str, list[Any]] | list[int]:
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


def attempt_start(*, user: User, quiz: QuizPage, rng: random.Random | None = None) -> Attempt:
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


def _posted_text(data: QueryDict, name: str, limit: int, position: int) -> str:
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


def responses_from_post(slots: list[AttemptSlot], data: QueryDict) -> dict[int, Any]:
    """Read the attempt form (``q<position>`` fields) into ``{position: response}``. Choice
    and matching fields carry the slot's opaque option keys; only keys the slot offered are
    kept, stored as the answer (pair) ids they stand for. Raises ``InvalidResponse`` for a
    text the database cannot hold."""
    responses: dict[int, Any] = {}
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
        elif qtype == QuestionType.ESSAY:
            responses[position] = _posted_text(data, name, ESSAY_MAX_LENGTH, position)
        elif qtype == QuestionType.MATCHING:
            answers = slot.layout.get("answers", [])
            response: dict[str, str] = {}
            for key, pair_id in slot.prompts():
                value = _posted_text(data, f"{name}-{key}", 500, position)
                if value in answers:
                    response[str(pair_id)] = value
            responses[position] = response
    return responses


def attempt_slots(attempt: Attempt) -> list[AttemptSlot]:
    return list(attempt.slots.select_related("question").order_by("position"))


def _apply_responses(slots: list[AttemptSlot], data: QueryDict, now: datetime) -> list[AttemptSlot]:
    """Put the posted answers (and flags) on ``slots`` in memory; return the slots that changed.
    Raises ``InvalidResponse`` before touching any slot."""
    responses = responses_from_post(slots, data)
    changed = []
    for slot in slots:
        response = responses.get(slot.position)
        # The learner's "flag for review" mark, shown on the summary page.
        flagged = data.get(f"q{slot.position}-flag") == "1"
        if response != slot.response or flagged != slot.flagged:
            slot.response, slot.flagged = response, flagged
            slot.saved_at = now
            changed.append(slot)
    return changed


def attempt_save(*, attempt: Attempt, data: QueryDict, now: datetime | None = None) -> bool:
    """Save the learner's answers as they go. Returns False (and saves nothing) when the
    attempt is finished or its deadline has passed: answers after the deadline do not count."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.is_finished or attempt.is_overdue(now):
            return False
        changed = _apply_responses(attempt_slots(attempt), data, now)
        if changed:
            _slots_write(changed, ["response", "flagged", "saved_at"])
    return True


# Submitting ------------------------------------------------------------------------------------


def attempt_grade(attempt: Attempt, slots: list[AttemptSlot]) -> list[AttemptSlot]:
    """Grade the slots (their questions prefetched) and set the attempt's score; no writes.

    Essays are graded by a teacher: one already graded keeps its mark, an answered one is left
    without a mark (the attempt then waits, ``attempt.score``/``percent`` stay empty), a blank
    one is worth nothing, as in Moodle. Returns the slots still waiting for a grade."""
    score, pending = Decimal("0"), list[AttemptSlot]()
    for slot in slots:
        question = slot.question
        if question.question_type in MANUAL_TYPES:
            if slot.graded_at is None and is_answered(question.question_type, slot.response):
                slot.fraction = slot.mark = None
                pending.append(slot)
                continue
            if slot.graded_at is None:
                slot.fraction, slot.mark = Decimal("0"), Decimal("0")
            score += slot.mark or Decimal("0")  # a graded essay has its mark
            continue
        result = grade(question, slot.layout, slot.response)
        slot.fraction = result.fraction
        slot.mark = (result.fraction * slot.max_mark).quantize(Decimal("0.0001"))
        score += slot.mark
    if pending:
        attempt.score = attempt.percent = None
        return pending
    attempt.score = score
    attempt.percent = (
        (score / attempt.max_score * HUNDRED).quantize(Decimal("0.0001"))
        if attempt.max_score
        else Decimal("0")
    )
    return pending


def _graded_slots(attempt: Attempt) -> list[AttemptSlot]:
    return list(
        attempt.slots.select_related("question")
        .prefetch_related("question__answers", "question__pairs", "question__units")
        .order_by("position")
    )


def _finish(attempt: Attempt, *, previous: list[Attempt], was_passed: bool) -> None:
    """Save a fully graded attempt as finished; send ``activity_completed`` when it makes the
    learner pass the quiz (after the save, which the completion rule reads, and inside the
    transaction: the rule's writes, such as the certificate, commit with it)."""
    attempt.state = AttemptState.FINISHED
    attempt.save(update_fields=["state", "finished_at", "score", "percent"])
    passed = quiz_passed(attempt.quiz, [*previous, attempt])
    if passed and not was_passed:
        activity_completed.send(sender=QuizPage, user=attempt.user, page=attempt.quiz)


def _previous_graded(attempt: Attempt) -> list[Attempt]:
    return list(
        Attempt.objects.finished()
        .filter(quiz_id=attempt.quiz_id, user_id=attempt.user_id)
        .exclude(pk=attempt.pk)
        .order_by("number")
    )


def _concrete_field(name: str) -> Field[Any, Any]:
    field = AttemptSlot._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"AttemptSlot.{name} is not a column")
    return field


def _slots_write(slots: list[AttemptSlot], fields: list[str]) -> None:
    """Write ``fields`` of ``slots``: one parametrised UPDATE run for every slot (executemany:
    a pipeline on PostgreSQL). ``bulk_update``'s single CASE statement over 50 slots and 5
    fields cost more CPU than grading them: thousands of expressions to build, and psycopg
    splitting a 16 KB query with 300 parameters on every submission (docs/performance.md)."""
    if not slots:
        return
    model_fields = [_concrete_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in model_fields)
    # Table and column names come from the model; every value is a parameter.
    table, pk = quote(AttemptSlot._meta.db_table), quote(AttemptSlot._meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
    rows = [
        [field.get_db_prep_save(getattr(slot, field.attname), connection) for field in model_fields]
        + [slot.pk]
        for slot in slots
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def attempt_submit(
    *, attempt: Attempt, data: QueryDict | None = None, now: datetime | None = None
) -> tuple[Attempt, bool]:
    """Submit an attempt exactly once and grade it on the server. A second submission (double
    click, two tabs) finds it finished and changes nothing. A submission after the deadline is
    graded as at the deadline: only the answers saved before it count. An attempt with an
    answered essay waits for a teacher's grade (``essay_grade``) before it counts.

    Returns ``(attempt, submitted_now)``. Sends ``activity_completed`` when this submission
    makes the learner pass the quiz."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if attempt.is_finished:
            return attempt, False
        previous = _previous_graded(attempt)
        was_passed = quiz_passed(attempt.quiz, previous)
        slots = _graded_slots(attempt)
        fields = ["fraction", "mark"]
        if data is not None and not attempt.is_overdue(now):
            # The last answers and the marks are written in one update.
            _apply_responses(slots, data, now)
            fields += ["response", "flagged", "saved_at"]
        pending = attempt_grade(attempt, slots)
        _slots_write(slots, fields)
        attempt.finished_at = min(now, attempt.deadline) if attempt.deadline else now
        if pending:
            attempt.state = AttemptState.NEEDS_GRADING
            attempt.save(update_fields=["state", "finished_at", "score", "percent"])
        else:
            _finish(attempt, previous=previous, was_passed=was_passed)
    return attempt, True


class GradeError(QuizError):
    """A teacher's grade that cannot be stored; the message says why."""


def essay_grade(
    *,
    slot: AttemptSlot,
    mark: Decimal | None,
    comment: str,
    grader: User,
    now: datetime | None = None,
) -> Attempt:
    """A teacher grades one essay of a submitted attempt (``mark`` between 0 and the slot's
    mark) with an optional comment. When it was the attempt's last essay to grade, the
    attempt is finished: its grade counts, completion rules and certificates follow, and the
    learner is told by e-mail. A grade can be changed later: the attempt's grade follows."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update()
            .select_related("quiz", "user")
            .get(pk=slot.attempt_id)
        )
        slot = AttemptSlot.objects.select_related("question").get(pk=slot.pk)
        course_id = slot.question.course_id
        if not courses_editable_by(grader).filter(pk=course_id).exists():
            raise PermissionDenied
        if not attempt.is_finished or slot.question.question_type not in MANUAL_TYPES:
            raise GradeError(_("This answer cannot be graded."))
        if mark is None or not Decimal(mark).is_finite() or not 0 <= mark <= slot.max_mark:
            raise GradeError(
                _("The mark must be a number between 0 and %(max)s.")
                % {"max": f"{slot.max_mark.normalize():f}"}
            )
        if "\x00" in comment:
            raise GradeError(_("The comment contains a NUL character, which cannot be saved."))
        was_waiting = attempt.needs_grading
        slot.mark = Decimal(mark).quantize(Decimal("0.0001"))
        slot.fraction = (
            (slot.mark / slot.max_mark).quantize(Decimal("0.0000001"))
            if slot.max_mark
            else Decimal("0")
        )
        slot.comment, slot.graded_by, slot.graded_at = comment.strip(), grader, now
        slot.save(update_fields=["mark", "fraction", "comment", "graded_by", "graded_at"])
        previous = _previous_graded(attempt)
        was_passed = quiz_passed(
            attempt.quiz, [*previous, *([attempt] if attempt.is_graded else [])]
        )
        slots = _graded_slots(attempt)
        if attempt_grade(attempt, slots):
            return attempt
        _finish(attempt, previous=previous, was_passed=was_passed)
        if was_waiting:
            _notify_graded(attempt)
    return attempt


def _notify_graded(attempt: Attempt) -> None:
    site_url = settings.SITE_URL.rstrip("/")
    quiz = attempt.quiz
    review = quiz.reverse_subpage("review_route", kwargs={"number": attempt.number})
    email_queue_template(
        to=[attempt.user.email],
        template_prefix="quizzes/email/attempt_graded",
        context={
            "attempt": attempt,
            "quiz": quiz,
            "passed": attempt.passed(quiz.pass_mark),
            "show_score": quiz.review_score,
            "review_url": site_url + quiz.url + review,
        },
        language=getattr(attempt.user, "preferred_language", None),
    )


def attempt_close_overdue(*, user: User, quiz: QuizPage, now: datetime | None = None) -> None:
    """Submit ``user``'s in-progress attempts on ``quiz`` whose time is up (as Moodle does
    when the learner never pressed submit)."""
    now = now or timezone.now()
    for attempt in Attempt.objects.in_progress().filter(user=user, quiz=quiz, deadline__lte=now):
        attempt_submit(attempt=attempt, now=now)
