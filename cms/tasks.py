from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(self, *, to, subject, text_body, html_body=None, headers=None, from_email=None):
    """Send one e-mail. Retries on connection errors with exponential back-off."""
    message = EmailMultiAlternatives(
        subject=subject, body=text_body, to=to, headers=headers or {}, from_email=from_email
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()


@shared_task
def publish_scheduled_pages():
    """Wagtail's scheduled publishing and unpublishing (``publish_scheduled``), run by Celery
    beat every minute: a page "go live at" 10:00 is live by 10:01, its newsletter queued."""
    call_command("publish_scheduled", verbosity=0)
