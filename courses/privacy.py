"""Training's part of a person's data export and account deletion (cms/hooks.py
PERSONAL_DATA, PERSONAL_DATA_ERASE)."""

from cms.accounts.privacy import json_value

from .models import Certificate, Enrolment, LessonCompletion
from .quizzes.models import Attempt
from .scorm.models import ScormAttempt


def personal_data(user):
    return {
        "enrolments": [
            {
                "course": enrolment.course.title,
                "enrolled": json_value(enrolment.enrolled_at),
                "completed": json_value(enrolment.completed_at),
                "last_visit": json_value(enrolment.last_accessed_at),
            }
            for enrolment in Enrolment.objects.filter(user=user).select_related("course")
        ],
        "lesson_completions": [
            {"lesson": completion.lesson.title, "completed": json_value(completion.completed_at)}
            for completion in LessonCompletion.objects.filter(user=user).select_related("lesson")
        ],
        "quiz_attempts": [
            {
                "quiz": attempt.quiz.title,
                "number": attempt.number,
                "state": attempt.state,
                "started": json_value(attempt.started_at),
                "finished": json_value(attempt.finished_at),
                "percent": json_value(attempt.percent),
            }
            for attempt in Attempt.objects.filter(user=user).select_related("quiz")
        ],
        "scorm_attempts": [
            {
                "lesson": attempt.lesson.title,
                "number": attempt.number,
                "started": json_value(attempt.started_at),
                "completion": attempt.completion_status,
                "success": attempt.success_status,
                "score": json_value(attempt.score_raw),
            }
            for attempt in ScormAttempt.objects.filter(user=user).select_related("lesson")
        ],
        "certificates": [
            {
                "code": certificate.code,
                "name": certificate.learner_name,
                "course": certificate.course_title,
                "provider": certificate.provider_name,
                "hours": json_value(certificate.hours),
                "completed_on": json_value(certificate.completed_on),
                "expires_on": json_value(certificate.expires_on),
                "revoked": json_value(certificate.revoked_at),
            }
            for certificate in Certificate.objects.filter(user=user)
        ],
    }


def erase_personal_data(user):
    """Progress and attempts go; certificates stay verifiable by their code, without the name
    (their PDF and badge, which print it, are deleted)."""
    for certificate in Certificate.objects.filter(user=user):
        if certificate.pdf:
            certificate.pdf.delete(save=False)
        certificate.learner_name = ""
        certificate.badge_credential = ""
        certificate.pdf_rendered_at = None
        certificate.save(
            update_fields=["learner_name", "badge_credential", "pdf", "pdf_rendered_at"]
        )
    ScormAttempt.objects.filter(user=user).delete()
    Attempt.objects.filter(user=user).delete()
    LessonCompletion.objects.filter(user=user).delete()
    Enrolment.objects.filter(user=user).delete()
