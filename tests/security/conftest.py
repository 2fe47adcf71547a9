"""The quiz fixtures, for the bad-input tests of quiz answers."""

from tests.quizzes.conftest import course_module, sorting_quiz, trainee  # noqa: F401
