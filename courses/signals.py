"""Signals of the training platform.

``activity_completed(sender, user, page)`` is sent when a learner completes a lesson or
passes a quiz; the course's completion rule is re-evaluated on it (and a certificate issued
when the course is complete).
"""

from django.dispatch import Signal

activity_completed = Signal()

# ``certificate_pdf_outdated(sender, certificate_ids)`` is sent by the certificate services when a
# certificate is issued or its learner's name refreshed; courses/signal_handlers.py queues the
# PDFs for a worker after the transaction commits (services never import tasks).
certificate_pdf_outdated = Signal()
