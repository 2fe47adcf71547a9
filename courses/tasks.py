from celery import shared_task


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def render_certificate_pdf(self, *, certificate_id):
    """Render and store one certificate's PDF (WeasyPrint takes ~0.1–0.3 s: off the request)."""
    from .models import Certificate
    from .services import certificate_render

    certificate = Certificate.objects.filter(pk=certificate_id).select_related("course").first()
    if certificate is not None:
        certificate_render(certificate=certificate)
