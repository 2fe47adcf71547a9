"""Demo quizzes (LOAD_DEMO order 210)."""


def load(*, stdout, style):
    pass
