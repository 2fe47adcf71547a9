"""Where each page type may be created: the tree of the Virtual Centre as editors meet it in the
admin. Wagtail's own test assertions read the ``parent_page_types``/``subpage_types``
declarations, so a changed declaration fails here before an editor meets it."""

import pytest
from django.apps import apps
from wagtail.models import Page, get_page_models
from wagtail.test.utils import WagtailPageTestCase

from cms import models as cms
from courses.models import CourseIndexPage, CoursePage, ExternalCoursePage, LessonPage, ModulePage
from courses.quizzes.models import QuizPage

SECTIONS = {
    cms.StoryIndexPage: cms.StoryPage,
    cms.TechnologyIndexPage: cms.TechnologyPage,
    cms.ResearchIndexPage: cms.ResearchPage,
    cms.NewsletterIndexPage: cms.NewsletterIssuePage,
    cms.LegislationIndexPage: cms.LegislationPage,
}


@pytest.mark.django_db
class TestPageTree(WagtailPageTestCase):
    def test_home_page_is_the_root_of_a_site_and_holds_the_top_sections(self):
        self.assertAllowedParentPageTypes(cms.HomePage, {Page})
        allowed = set(cms.HomePage.allowed_subpage_models())
        # Other top-level sections may be added; these must always be there.
        assert {
            cms.ResourceIndexPage,
            cms.EventIndexPage,
            cms.FundingIndexPage,
            CourseIndexPage,
        } <= allowed
        assert not {cms.StoryPage, cms.EventPage, CoursePage, LessonPage, QuizPage} & allowed

    def test_privacy_notice_and_terms_live_under_the_home_page(self):
        self.assertAllowedParentPageTypes(cms.LegalPage, {cms.HomePage})
        self.assertAllowedSubpageTypes(cms.LegalPage, set())

    def test_sections_live_under_the_resources_index(self):
        for index in SECTIONS:
            self.assertAllowedParentPageTypes(index, {cms.ResourceIndexPage})
        self.assertAllowedParentPageTypes(cms.ResourceIndexPage, {cms.HomePage})

    def test_each_section_holds_only_its_own_pages(self):
        for index, page in SECTIONS.items():
            self.assertAllowedSubpageTypes(index, {page})
            self.assertAllowedParentPageTypes(page, {index})
            self.assertAllowedSubpageTypes(page, set())

    def test_events_and_funding_calls(self):
        self.assertAllowedSubpageTypes(cms.EventIndexPage, {cms.EventPage})
        self.assertAllowedParentPageTypes(cms.EventPage, {cms.EventIndexPage})
        self.assertAllowedSubpageTypes(cms.EventPage, set())
        self.assertAllowedSubpageTypes(cms.FundingIndexPage, {cms.FundingCallPage})
        self.assertAllowedParentPageTypes(cms.FundingCallPage, {cms.FundingIndexPage})
        self.assertAllowedSubpageTypes(cms.FundingCallPage, set())

    def test_training_tree_catalogue_course_module_lesson_or_quiz(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {cms.HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage, ExternalCoursePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage, QuizPage})
        for leaf in (LessonPage, QuizPage):
            self.assertAllowedParentPageTypes(leaf, {ModulePage})
            self.assertAllowedSubpageTypes(leaf, set())

    def test_a_lesson_cannot_be_created_outside_a_module(self):
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(cms.HomePage, QuizPage)
        self.assertCanNotCreateAt(cms.StoryIndexPage, cms.TechnologyPage)
        self.assertCanCreateAt(ModulePage, QuizPage)


def test_every_page_type_except_the_home_page_names_its_parents():
    """A page type without ``parent_page_types`` could be created anywhere in the tree."""
    home = apps.get_model("cms", "HomePage")
    unanchored = [
        model._meta.label
        for model in get_page_models()
        if model is not Page
        and model is not home
        and model._meta.app_label not in {"wagtailcore"}
        and "parent_page_types" not in vars(model)
        and not any(
            "parent_page_types" in vars(base) for base in model.__mro__[1:] if base is not Page
        )
    ]
    assert unanchored == []
