"""Training's key pages for `manage.py bench_pages` (BENCH_PAGES hook): the catalogue, the
largest course, one of its lessons, an attempt in progress at one of its quizzes and My
learning, for a member enrolled in that course."""

from django.urls import reverse

from cms.hooks import KeyPage

from .models import CourseIndexPage, CoursePage, Enrolment, LessonPage
from .quizzes.models import Attempt, AttemptState, QuizPage
from .quizzes.services import attempt_start


def training_pages(*, member):
    quiz = QuizPage.objects.live().order_by("path").first()
    courses = CoursePage.objects.live().order_by("path")
    course = (courses.ancestor_of(quiz).first() if quiz else None) or courses.first()
    lesson = LessonPage.objects.live().descendant_of(course).order_by("path").first()
    Enrolment.objects.get_or_create(user=member, course=course)
    pages = [
        KeyPage("course catalogue", CourseIndexPage.objects.live().order_by("path").first().url),
        KeyPage("course", course.url),
        KeyPage("lesson", lesson.url),
    ]
    if quiz:
        attempt = Attempt.objects.filter(
            user=member, quiz=quiz, state=AttemptState.IN_PROGRESS
        ).first() or attempt_start(user=member, quiz=quiz)
        pages.append(
            KeyPage("quiz attempt", f"{quiz.url}attempt/{attempt.number}/", signed_in_only=True)
        )
    pages.append(KeyPage("My learning", reverse("courses:dashboard"), signed_in_only=True))
    return pages
