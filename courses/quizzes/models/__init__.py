"""Quizzes of the training platform: per-course question banks, quizzes and attempts.

A QuizPage sits in a course module next to the lessons (see ``courses.models``). Questions live
in a bank per course (``Question`` with ``Answer``, ``MatchPair`` and ``NumericalUnit`` rows),
sorted into optional nested categories. Starting an attempt freezes its questions and option
order in ``AttemptSlot`` rows; grading reads only those slots.

- ``bank``: question categories, questions and what they are graded against;
- ``quiz``: the quiz page and its slots (fixed questions or random draws);
- ``attempts``: attempts and their frozen slots.

Everything is re-exported here, so ``from courses.quizzes.models import Attempt`` keeps working.
"""

from .attempts import Attempt, AttemptQuerySet, AttemptSlot, AttemptState
from .bank import (
    CHOICE_TYPES,
    FRACTION_DIGITS,
    FRACTION_VALIDATORS,
    MANUAL_TYPES,
    Answer,
    MatchPair,
    NumericalUnit,
    Question,
    QuestionCategory,
    QuestionQuerySet,
    QuestionType,
    TextFormat,
)
from .quiz import GRADING_METHOD_EXPLANATIONS, GradingMethod, QuizPage, QuizSlot

__all__ = [
    "CHOICE_TYPES",
    "FRACTION_DIGITS",
    "FRACTION_VALIDATORS",
    "GRADING_METHOD_EXPLANATIONS",
    "MANUAL_TYPES",
    "Answer",
    "Attempt",
    "AttemptQuerySet",
    "AttemptSlot",
    "AttemptState",
    "GradingMethod",
    "MatchPair",
    "NumericalUnit",
    "Question",
    "QuestionCategory",
    "QuestionQuerySet",
    "QuestionType",
    "QuizPage",
    "QuizSlot",
    "TextFormat",
]
