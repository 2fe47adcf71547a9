"""Factories for the training platform. Pages need ``parent=``; ``course_with_lessons`` builds
a whole course tree."""

import json
from decimal import Decimal

import factory
import wagtail_factories
from wagtail.models import Page

from cms.models import HomePage
from courses.models import CourseIndexPage, CoursePage, Enrolment, LessonPage, ModulePage
from tests.factories import OrganisationFactory, RegionFactory


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "Training"
    slug = "courses"


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Recycling course {n}")
    provider = factory.SubFactory(OrganisationFactory)
    region = factory.SubFactory(RegionFactory)
    summary = "Learn how post-consumer textiles are sorted for reuse and recycling."
    estimated_hours = Decimal("4.5")
    language = "en"
    learning_outcomes = "Grade garments for reuse\nPrepare a recycling fraction"
    prerequisites = "None"
    signatory_name = "Maria Rossi"
    signatory_title = "Training coordinator"


class ModulePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")


class LessonPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    estimated_minutes = 10
    required = True
    body = factory.LazyFunction(
        lambda: json.dumps(
            [
                {"type": "text", "value": "<p>Wet bags contaminate their neighbours.</p>"},
                {
                    "type": "key_points",
                    "value": {"heading": "Key points", "points": ["Check moisture first"]},
                },
            ]
        )
    )


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment


def home_page():
    return HomePage.objects.first() or Page.objects.get(depth=1).get_children().first()


def catalogue_page():
    return CourseIndexPage.objects.first() or CourseIndexPageFactory(parent=home_page())


def course_with_lessons(*, modules=2, lessons=2, optional_lessons=0, **kwargs):
    """A live course with ``modules`` modules of ``lessons`` required lessons each, plus
    ``optional_lessons`` optional ones in the last module."""
    course = CoursePageFactory(parent=catalogue_page(), **kwargs)
    module = None
    for _number in range(modules):
        module = ModulePageFactory(parent=course)
        for _lesson in range(lessons):
            LessonPageFactory(parent=module)
    for _lesson in range(optional_lessons):
        LessonPageFactory(parent=module, required=False)
    return course


def lessons_of(course):
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))
