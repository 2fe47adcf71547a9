"""Reads of the SCORM runtime: who may read a package's files, and a lesson's player."""

from django.contrib.auth.models import AnonymousUser

from cms.accounts.models import User
from courses.models import Enrolment, LessonPage
from courses.providers import provider_organisation_ids

from .models import ScormAttempt, ScormPackage


def package_readable_by(*, user: User | AnonymousUser, package: ScormPackage) -> bool:
    """Learners enrolled in a course with a live lesson that plays ``package``, and the people
    who manage packages of its organisation (for the admin preview). Two queries at most."""
    if not user.is_authenticated:
        return False
    if user.has_perm("scorm.view_scormpackage"):
        organisation_ids = provider_organisation_ids(user)
        if organisation_ids is None or package.organisation_id in organisation_ids:
            return True
    steplen = LessonPage.steplen
    course_paths = {
        path[: steplen * (depth - 2)]
        for path, depth in LessonPage.objects.live()
        .filter(scorm_package=package)
        .values_list("path", "depth")
    }
    return (
        bool(course_paths)
        and Enrolment.objects.filter(user=user, course__path__in=course_paths).exists()
    )


def attempts_of(*, user: User, lesson: LessonPage) -> list[ScormAttempt]:
    return list(ScormAttempt.objects.filter(user=user, lesson=lesson).order_by("-number"))
