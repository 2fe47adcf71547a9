"""The training platform's page tree and learner state, one module per subject.

HomePage → CourseIndexPage (/courses/, the catalogue) → CoursePage → ModulePage (in order) →
LessonPage and quizzes.QuizPage (in order). Lessons and quizzes are the *activities* of a
course; the completion rule is "every required lesson completed and every required quiz
passed". Learner state (enrolments, lesson completions, certificates) lives in ordinary models
next to these pages; quiz state (question bank, attempts) lives in ``courses.quizzes``.

- ``catalogue``: the catalogue, course and module pages;
- ``lessons``: lesson pages and their editor form;
- ``external``: courses run elsewhere, listed in the catalogue;
- ``enrolments``: enrolments and lesson completions;
- ``certificates``: certificates.

Everything is re-exported here, so ``from courses.models import CoursePage`` keeps working and
the migrations keep their references (``courses.models.new_certificate_code``).
"""

from courses.providers import ProviderGroup

from .catalogue import (
    COURSE_LANGUAGES,
    CertificateDesign,
    CourseActivityMixin,
    CourseIndexPage,
    CoursePage,
    ModulePage,
)
from .certificates import (
    Certificate,
    CertificateQuerySet,
    certificate_pdf_path,
    new_certificate_code,
)
from .enrolments import Enrolment, EnrolmentQuerySet, LessonCompletion
from .external import DeliveryMode, ExternalCoursePage
from .lessons import LessonPage, LessonPageForm

__all__ = [
    "COURSE_LANGUAGES",
    "Certificate",
    "CertificateDesign",
    "CertificateQuerySet",
    "CourseIndexPage",
    "CourseActivityMixin",
    "CoursePage",
    "DeliveryMode",
    "Enrolment",
    "EnrolmentQuerySet",
    "ExternalCoursePage",
    "LessonCompletion",
    "LessonPage",
    "LessonPageForm",
    "ModulePage",
    "ProviderGroup",
    "certificate_pdf_path",
    "new_certificate_code",
]
