"""Signals of the training platform.

``activity_completed(sender, user, page)`` is sent when a learner completes a lesson or
passes a quiz; the course's completion rule is re-evaluated on it (and a certificate issued
when the course is complete).
"""

from django.dispatch import Signal

activity_completed = Signal()
