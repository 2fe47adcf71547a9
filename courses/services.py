"""Actions of the training platform: enrol, complete a lesson, complete a course, issue,
render, regenerate and revoke certificates. Views, tasks, commands and tests call these."""

import calendar
import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.accounts.models import User
from cms.mail import email_queue_template

from . import badges, selectors
from .models import Certificate, CoursePage, Enrolment, LessonCompletion, LessonPage
from .signals import certificate_pdf_outdated

logger = logging.getLogger(__name__)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def course_enrol(*, user: User, course: CoursePage, key: str = "") -> Enrolment:
    """Enrol ``user`` in ``course`` (idempotent). A course with an enrolment key needs it."""
    existing = Enrolment.objects.filter(user=user, course=course).first()
    if existing:
        return existing
    if course.enrolment_key and not constant_time_compare(
        (key or "").strip(), course.enrolment_key.strip()
    ):
        raise ValidationError(
            _("The enrolment key is not correct. Ask the course provider for the key."),
            code="wrong_key",
        )
    try:
        with transaction.atomic():
            return Enrolment.objects.create(user=user, course=course)
    except IntegrityError:  # a double click enrolled in parallel
        return Enrolment.objects.get(user=user, course=course)


# A learner back at the activity they visited last within this many seconds is not stamped
# again (Moodle updates a course's last access at most once a minute: LASTACCESS_UPDATE_SECS).
VISIT_STAMP_SECONDS = 60


def enrolment_record_visit(*, enrolment: Enrolment, page: Page) -> None:
    """Remember the last activity visited, for "resume where you left off": at once for another
    activity, at most once a minute for the same one (a reload would otherwise write the
    enrolment on every view)."""
    now = timezone.now()
    if (
        enrolment.last_activity_id == page.pk
        and enrolment.last_accessed_at is not None
        and (now - enrolment.last_accessed_at).total_seconds() < VISIT_STAMP_SECONDS
    ):
        return
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity=page, last_accessed_at=now)
    enrolment.last_activity_id, enrolment.last_accessed_at = page.pk, now


def lesson_complete(
    *, user: User, lesson: LessonPage, by_package: bool = False
) -> Certificate | None:
    """Mark ``lesson`` completed for ``user`` (who must be enrolled in its course), then
    re-evaluate the course. Returns the certificate if this completed the course. A lesson
    that plays a SCORM package is completed by the package (``by_package``), never by hand."""
    course = lesson.get_course()
    if not Enrolment.objects.filter(user=user, course=course).exists():
        raise ValidationError(_("Enrol in the course before completing its lessons."))
    if lesson.scorm_package_id and not by_package:
        raise ValidationError(_("This lesson is completed when you finish its interactive module."))
    LessonCompletion.objects.get_or_create(user=user, lesson=lesson)
    return course_completion_evaluate(user=user, course=course)


def course_completion_evaluate(*, user: User, course: CoursePage) -> Certificate | None:
    """Apply the completion rule (every required lesson completed, every required quiz
    passed). On completion, mark the enrolment completed and issue the certificate, once."""
    progress = selectors.course_progress(user=user, course=course)
    if not progress.is_complete:
        return None
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
        if enrolment is None:
            return None
        if enrolment.completed_at is None:
            enrolment.completed_at = timezone.now()
            enrolment.save(update_fields=["completed_at"])
        return certificate_issue(enrolment=enrolment)


def certificate_issue(*, enrolment: Enrolment) -> Certificate:
    """Issue the certificate of a completed enrolment, exactly once (a unique constraint backs
    this up), and ask for its PDF (rendered by a worker after the transaction commits)."""
    existing = Certificate.objects.filter(user=enrolment.user, course=enrolment.course).first()
    if existing:
        return existing
    course = enrolment.course
    completed_on = timezone.localdate(enrolment.completed_at or timezone.now())
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                user=enrolment.user,
                course=course,
                learner_name=enrolment.user.get_display_name(),
                course_title=course.title,
                provider_name=course.provider.name,
                region_name=course.region.name if course.region else "",
                hours=course.estimated_hours,
                completed_on=completed_on,
                expires_on=(
                    add_months(completed_on, course.certificate_validity_months)
                    if course.certificate_validity_months
                    else None
                ),
            )
    except IntegrityError:
        return Certificate.objects.get(user=enrolment.user, course=course)
    certificate_badge_issue(certificate=certificate)
    certificate_pdf_outdated.send(sender=Certificate, certificate_ids=[certificate.pk])
    site_url = settings.SITE_URL.rstrip("/")
    email_queue_template(
        to=[enrolment.user.email],
        template_prefix="courses/email/certificate_issued",
        context={
            "certificate": certificate,
            "verify_url": certificate.get_verify_url(),
            "dashboard_url": site_url + reverse("courses:dashboard"),
        },
        language=enrolment.user.preferred_language,
    )
    return certificate


def certificate_render(
    *, certificate: Certificate, shared: dict[str, Any] | None = None
) -> Certificate:
    """Render the certificate's PDF and store it; the stored file is served from then on.
    ``shared``: a dict kept across a batch of certificates (the platform's name and the
    course's images are then read once for the batch)."""
    # Not a cycle: WeasyPrint loads Pango and takes about 1.5 s to import, so only the process
    # that renders a PDF (a Celery worker) pays for it, not every web process.
    from .pdf import render_certificate

    content = render_certificate(certificate, shared=shared)
    old_name = certificate.pdf.name if certificate.pdf else None
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(content), save=False)
    certificate.pdf_rendered_at = timezone.now()
    certificate.save(update_fields=["pdf", "pdf_rendered_at"])
    if old_name and old_name != certificate.pdf.name:
        certificate.pdf.storage.delete(old_name)
    return certificate


def certificate_regenerate(*, certificate: Certificate) -> Certificate:
    """Refresh the learner's name from their profile and queue a new PDF (e.g. after the
    learner corrected their name)."""
    certificate.learner_name = certificate.user.get_display_name()
    certificate.save(update_fields=["learner_name"])
    certificate_badge_issue(certificate=certificate)
    certificate_pdf_outdated.send(sender=Certificate, certificate_ids=[certificate.pk])
    return certificate


def certificate_badge_issue(*, certificate: Certificate) -> Certificate:
    """Sign the certificate's Open Badges 3.0 credential (a VC-JWT with this platform's
    Ed25519 key) and store it. Called on issue and when the learner's name is refreshed."""
    course = certificate.course
    certificate.badge_credential = badges.sign_credential(
        badges.build_credential(
            certificate,
            platform_name=selectors.platform_look().name,
            description=course.summary if course else "",
        )
    )
    certificate.badge_issued_at = timezone.now()
    certificate.save(update_fields=["badge_credential", "badge_issued_at"])
    return certificate


def certificate_badge_png(*, certificate: Certificate, baked: bool = True) -> bytes:
    """The badge image of ``certificate``; ``baked`` puts the signed credential inside it."""
    look = selectors.platform_look()
    png = badges.badge_png(
        title=certificate.course_title,
        subtitle=certificate.provider_name,
        platform_name=look.name,
        colour=look.colour,
    )
    if baked:
        if not certificate.badge_credential:
            certificate_badge_issue(certificate=certificate)
        png = badges.bake_png(png, certificate.badge_credential)
    return png


def certificates_regenerate(*, certificates: Iterable[Certificate]) -> int:
    """``certificate_regenerate`` for many certificates (a course's, after its design or
    signature changed): names refreshed in one update, PDFs queued in batches."""
    certificates = list(certificates)
    for certificate in certificates:
        certificate.learner_name = certificate.user.get_display_name()
    Certificate.objects.bulk_update(certificates, ["learner_name"], batch_size=500)
    for certificate in certificates:  # the badge states the name too
        certificate_badge_issue(certificate=certificate)
    certificate_pdf_outdated.send(
        sender=Certificate, certificate_ids=[certificate.pk for certificate in certificates]
    )
    return len(certificates)


def certificate_revoke(*, certificate: Certificate, reason: str) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for revoking the certificate."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate


def on_activity_completed(sender: object, *, user: User, page: Page, **kwargs: object) -> None:
    """Receiver of ``activity_completed`` (a passed quiz): re-evaluate the page's course."""
    course = CoursePage.objects.ancestor_of(page).first()
    if course is not None:
        course_completion_evaluate(user=user, course=course)
