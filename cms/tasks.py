from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(self, *, to, subject, text_body, html_body=None, headers=None, from_email=None):
    """Send one e-mail. Retries on connection errors with exponential back-off."""
    message = EmailMultiAlternatives(
        subject=subject, body=text_body, to=to, headers=headers or {}, from_email=from_email
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()
