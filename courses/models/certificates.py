"""Course certificates: issued once per trainee and course, verified by a public code."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cms.files import random_file_name
from cms.storage import private_storage


def new_certificate_code():
    # 16 random bytes: unguessable, and short enough to print under a QR code.
    return secrets.token_urlsafe(16)


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        today = timezone.localdate()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today)
        )


def certificate_pdf_path(instance, filename):
    """A random name: the verification code is public, so the file's name must not be it."""
    return random_file_name("certificates", filename, extension="pdf")


class Certificate(models.Model):
    """A course certificate, issued once per trainee and course.

    What it says is copied at issue time (name, course, provider, region, hours), so a later
    edit of the course does not change a certificate already in someone's hands; the learner's
    name is refreshed only when the PDF is regenerated on request."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    code = models.CharField(
        _("verification code"), max_length=40, unique=True, default=new_certificate_code
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    learner_name = models.CharField(_("learner's name"), max_length=150)
    course_title = models.CharField(_("course title"), max_length=255)
    provider_name = models.CharField(_("provider"), max_length=200)
    region_name = models.CharField(_("region"), max_length=120, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    completed_on = models.DateField(_("completion date"))
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    # Private: only the learner and the course's editors download it (views.certificate_download).
    pdf = models.FileField(
        _("PDF"), upload_to=certificate_pdf_path, storage=private_storage, blank=True
    )
    pdf_rendered_at = models.DateTimeField(_("PDF rendered"), null=True, blank=True)
    # The Open Badges 3.0 credential (a signed VC-JWT, see courses/badges.py), issued with the
    # certificate and again when the learner's name is refreshed.
    badge_credential = models.TextField(_("Open Badges credential"), blank=True, editable=False)
    badge_issued_at = models.DateTimeField(_("badge issued"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="one_certificate_per_trainee_and_course"
            )
        ]

    def __str__(self):
        return f"{self.learner_name} – {self.course_title}"

    @property
    def status(self):
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_on and self.expires_on < timezone.localdate():
            return self.Status.EXPIRED
        return self.Status.VALID

    def get_absolute_url(self):
        return reverse("courses:certificate_verify", kwargs={"code": self.code})

    def get_verify_url(self):
        """The URL printed on the certificate and in its QR code: the same whatever the
        language of the request or job that renders it (the unprefixed, default-language
        path, docs/stack.md "Public addresses")."""
        with translation.override(settings.LANGUAGE_CODE):
            return settings.SITE_URL.rstrip("/") + self.get_absolute_url()

    def get_download_url(self):
        return reverse("courses:certificate_download", kwargs={"code": self.code})

    def get_badge_url(self, file_format):
        """The learner's download of the badge: ``png`` (baked), ``json`` or ``jwt``."""
        return reverse(
            "courses:certificate_badge", kwargs={"code": self.code, "file_format": file_format}
        )

    def get_badge_url_png(self):
        return self.get_badge_url("png")

    def get_badge_url_json(self):
        return self.get_badge_url("json")
