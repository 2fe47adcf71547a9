"""The training part of `manage.py seed_scale` (SEED_SCALE hook): courses in the catalogue,
two modules each, the lessons spread over them, and enrolments. The quizzes part
(courses/quizzes/seed_scale.py) adds quizzes, questions and attempts."""

from decimal import Decimal

from django.utils import timezone

from cms.models import HomePage
from cms.seed_scale import bulk_create_pages, bulk_insert

from .models import COURSE_LANGUAGES, CourseIndexPage, CoursePage, Enrolment, LessonPage, ModulePage

MODULES_PER_COURSE = 2


def catalogue():
    home = HomePage.objects.filter(locale__language_code="en").first() or HomePage.objects.first()
    existing = CourseIndexPage.objects.child_of(home).first()
    if existing is not None:
        return existing
    return home.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))


def seed_courses(*, seed):
    size, rng = seed.size, seed.rng
    languages = [code for code, _name in COURSE_LANGUAGES]
    with seed.step(f"{size.courses:,} courses, {size.lessons:,} lessons"):
        courses = bulk_create_pages(
            catalogue(),
            [
                CoursePage(
                    title=f"Seed course {n}: recycled fibres",
                    slug=f"seed-course-{n}",
                    provider_id=rng.choice(seed.organisation_ids),
                    region_id=rng.choice(seed.region_ids),
                    language=rng.choice(languages),
                    summary="Sorting, identifying and recycling post-consumer textiles.",
                    estimated_hours=Decimal(rng.randint(2, 40)),
                    certificate_design=rng.choice(["classic", "modern"]),
                )
                for n in range(size.courses)
            ],
        )
        lessons_per_module = max(1, size.lessons // (size.courses * MODULES_PER_COURSE))
        for course in courses:
            modules = bulk_create_pages(
                course,
                [
                    ModulePage(title=f"Module {m}", slug=f"module-{m}", summary="")
                    for m in range(1, MODULES_PER_COURSE + 1)
                ],
                index=False,
            )
            for module in modules:
                bulk_create_pages(
                    module,
                    [
                        LessonPage(title=f"Lesson {n}", slug=f"lesson-{n}", estimated_minutes=15)
                        for n in range(1, lessons_per_module + 1)
                    ],
                    index=False,
                )
    seed.courses = courses
    seed.counts["courses"] = len(courses)
    seed.counts["lessons"] = LessonPage.objects.filter(url_path__contains="/seed-course-").count()


def enrol(seed, pairs):
    """Enrolments for (user id, course id) pairs (the quizzes part enrols its attempters)."""
    now = timezone.now()
    bulk_insert(
        Enrolment,
        [Enrolment(user_id=user, course_id=course, enrolled_at=now) for user, course in pairs],
        batch_size=5000,
    )
