from celery import shared_task


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def render_certificate_pdf(self, *, certificate_id):
    """Render and store one certificate's PDF (WeasyPrint takes ~0.1–0.3 s: off the request)."""
    from .models import Certificate
    from .services import certificate_render

    certificate = Certificate.objects.filter(pk=certificate_id).select_related("course").first()
    if certificate is not None:
        certificate_render(certificate=certificate)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def render_certificate_pdfs(self, *, certificate_ids):
    """Render and store a batch of certificates' PDFs (a cohort: one task per batch, so the
    course, its images and the templates are loaded once per batch, not once per PDF)."""
    from .models import Certificate
    from .services import certificate_render

    certificates = Certificate.objects.filter(pk__in=certificate_ids).select_related(
        "course", "course__provider", "user"
    )
    for certificate in certificates:
        certificate_render(certificate=certificate)
