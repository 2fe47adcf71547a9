from celery import shared_task
from django.db import transaction

from .models import Certificate
from .services import certificate_render

CERTIFICATE_BATCH_SIZE = 20


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def render_certificate_pdf(self, *, certificate_id):
    """Render and store one certificate's PDF (WeasyPrint takes ~0.1–0.3 s: off the request)."""
    certificate = Certificate.objects.filter(pk=certificate_id).select_related("course").first()
    if certificate is not None:
        certificate_render(certificate=certificate)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def render_certificate_pdfs(self, *, certificate_ids):
    """Render and store a batch of certificates' PDFs (a cohort: one task per batch, so the
    course, its images and the templates are loaded once per batch, not once per PDF)."""
    certificates = Certificate.objects.filter(pk__in=certificate_ids).select_related(
        "course", "course__provider", "user"
    )
    shared = {}
    for certificate in certificates:
        certificate_render(certificate=certificate, shared=shared)


def certificates_render_queue(*, certificate_ids, batch_size: int = CERTIFICATE_BATCH_SIZE) -> int:
    """Queue the PDFs of certificates for the workers, after the transaction commits: one task
    for one certificate, batches of ``batch_size`` for many (a cohort, or "regenerate all").
    Returns the number of tasks queued."""
    ids = list(certificate_ids)
    if len(ids) == 1:
        transaction.on_commit(lambda: render_certificate_pdf.delay(certificate_id=ids[0]))
        return 1
    batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    for batch in batches:
        transaction.on_commit(
            lambda batch=batch: render_certificate_pdfs.delay(certificate_ids=batch)
        )
    return len(batches)
