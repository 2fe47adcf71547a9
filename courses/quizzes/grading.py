"""Grading of one response to one question: pure functions, no database access.

Every function takes a ``Question`` whose ``answers``, ``pairs`` and ``units`` are prefetched,
the slot's frozen ``layout`` and the learner's ``response``, and returns a ``Result``: the
fraction of the mark earned (0..1) and the feedback the learner's answer triggered.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html import escape

from .models import GradingMethod, QuestionType

ZERO = Decimal("0")
ONE = Decimal("1")
# Moodle calls a response right when its fraction exceeds 0.999999: three answers of 33.33333%
# (0.3333333 each) make 0.9999999, which is full marks. Totals are settled at 6 decimals.
SETTLE = Decimal("0.000001")
# Numbers a learner types are compared only up to this size; beyond it (1e400) they are wrong,
# never an overflow.
MAX_EXPONENT = 30


@dataclass
class Result:
    fraction: Decimal = ZERO
    feedback: list[str] = field(default_factory=list)
    # Per-part correctness for review: answer ids chosen and right/wrong, pair ids right/wrong.
    parts: dict = field(default_factory=dict)

    @property
    def state(self):
        if self.fraction >= ONE:
            return "correct"
        if self.fraction > ZERO:
            return "partial"
        return "incorrect"


def settle(value):
    """A question's fraction as Moodle compares it: rounded at 6 decimals, within 0..1."""
    return max(ZERO, min(ONE, Decimal(value).quantize(SETTLE)))


clamp = settle


def is_answered(question_type, response):
    """Whether the learner gave any answer at all: a blank is "not answered", not "incorrect"."""
    if question_type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        return isinstance(response, int)
    if question_type == QuestionType.NUMERICAL:
        return isinstance(response, dict) and bool(str(response.get("number", "")).strip())
    if isinstance(response, str):
        return bool(response.strip())
    return bool(response)


def grade(question, layout, response):
    grader = GRADERS[question.question_type]
    return grader(question, layout, response)


def _answers(question):
    return list(question.answers.all())


def grade_single(question, layout, response):
    chosen = response if isinstance(response, int) else None
    for answer in _answers(question):
        if answer.pk == chosen:
            feedback = [answer.feedback] if answer.feedback else []
            return Result(clamp(answer.fraction), feedback, {answer.pk: answer.fraction > 0})
    return Result()


def grade_multiple(question, layout, response):
    chosen = set(response) if isinstance(response, list) else set()
    total, feedback, parts = ZERO, [], {}
    for answer in _answers(question):
        if answer.pk in chosen:
            total += answer.fraction
            parts[answer.pk] = answer.fraction > 0
            if answer.feedback:
                feedback.append(answer.feedback)
    return Result(clamp(total), feedback, parts)


def normalise_text(text):
    return " ".join(str(text).split())


def short_answer_matches(pattern, response, case_sensitive):
    """Moodle's short-answer rule: the whole response matches; ``*`` stands for any characters
    (``\\*`` for a literal star); surrounding and repeated spaces do not count."""
    pattern, response = normalise_text(pattern), normalise_text(response)
    parts = re.split(r"(?<!\\)\*", pattern)
    regex = ".*".join(re.escape(part.replace("\\*", "*")) for part in parts)
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.fullmatch(regex, response, flags) is not None


def grade_short(question, layout, response):
    if not isinstance(response, str) or not response.strip():
        return Result()
    best = None
    for answer in _answers(question):
        if short_answer_matches(answer.text, response, question.case_sensitive):
            if best is None or answer.fraction > best.fraction:
                best = answer
    if best is None:
        return Result()
    return Result(clamp(best.fraction), [best.feedback] if best.feedback else [])


NUMBER = re.compile(r"^\s*([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


def parse_number(response, units):
    """The learner's number in the base unit, or None. ``units`` maps unit → multiplier; a
    number without a unit is taken as in the base unit, an unknown unit makes it wrong."""
    if isinstance(response, dict):
        number, unit = str(response.get("number", "")), str(response.get("unit", "")).strip()
        text = f"{number} {unit}"
    else:
        text = str(response or "")
    match = NUMBER.match(text)
    if not match:
        return None
    try:
        value = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or value.adjusted() > MAX_EXPONENT:
        return None
    unit = match.group(2)
    if unit:
        if unit not in units or not units[unit]:
            return None
        value = value / units[unit]
    return value


def grade_numerical(question, layout, response):
    units = {unit.unit: unit.multiplier for unit in question.units.all()}
    value = parse_number(response, units)
    answers = _answers(question)
    best = None
    for answer in answers if value is not None else []:
        if answer.value is None:
            continue
        if abs(value - answer.value) <= answer.tolerance and (
            best is None or answer.fraction > best.fraction
        ):
            best = answer
    if best is None:
        # Moodle's "*" answer (GIFT's ~#feedback): what any other given answer is told.
        other = next((a for a in answers if a.value is None and a.text.strip() == "*"), None)
        if other is None or not is_answered(QuestionType.NUMERICAL, response):
            return Result()
        return Result(clamp(other.fraction), [other.feedback] if other.feedback else [])
    return Result(clamp(best.fraction), [best.feedback] if best.feedback else [])


def grade_matching(question, layout, response):
    prompts = [pair for pair in question.pairs.all() if pair.prompt]
    if not prompts:
        return Result()
    response = response if isinstance(response, dict) else {}
    parts = {}
    for pair in prompts:
        parts[pair.pk] = normalise_text(response.get(str(pair.pk), "")) == normalise_text(
            pair.answer
        )
    right = sum(parts.values())
    return Result(clamp(Decimal(right) / Decimal(len(prompts))), [], parts)


GRADERS = {
    QuestionType.SINGLE: grade_single,
    QuestionType.TRUE_FALSE: grade_single,
    QuestionType.MULTIPLE: grade_multiple,
    QuestionType.SHORT_ANSWER: grade_short,
    QuestionType.NUMERICAL: grade_numerical,
    QuestionType.MATCHING: grade_matching,
    # Graded by a teacher (``services.essay_grade``) or not at all.
    QuestionType.ESSAY: lambda question, layout, response: Result(),
    QuestionType.DESCRIPTION: lambda question, layout, response: Result(),
}


def correct_answer_text(question):
    """A readable statement of the right answer, for reviews that may show it."""
    qtype = question.question_type
    if qtype in (QuestionType.SINGLE, QuestionType.TRUE_FALSE, QuestionType.MULTIPLE):
        return "; ".join(answer.text for answer in _answers(question) if answer.fraction > 0)
    if qtype == QuestionType.SHORT_ANSWER:
        best = max(_answers(question), key=lambda answer: answer.fraction, default=None)
        return best.text if best else ""
    if qtype == QuestionType.NUMERICAL:
        best = max(
            (answer for answer in _answers(question) if answer.value is not None),
            key=lambda answer: answer.fraction,
            default=None,
        )
        if best is None:
            return ""
        unit = next(iter(question.units.all()), None)
        text = f"{best.value.normalize():f}"
        if best.tolerance:
            text += f" ± {best.tolerance.normalize():f}"
        return f"{text} {unit.unit}" if unit else text
    if qtype == QuestionType.MATCHING:
        # The prompts are in the question's format; the answers are always plain text.
        answer = escape if question.text_format == "html" else str
        return "; ".join(
            f"{pair.prompt} → {answer(pair.answer)}" for pair in question.pairs.all() if pair.prompt
        )
    return ""


def quiz_grade(attempts, method):
    """The quiz grade (%) from graded attempts in attempt order, by the grading method
    (attempts still waiting for a teacher's grade have no percent and do not count)."""
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
