from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def send_event_reminders():
    """Beat, every hour: the e-mail the day before an event (once per registration)."""
    return services.reminders_send()
