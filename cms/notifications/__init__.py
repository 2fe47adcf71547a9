"""One notification-preference and unsubscribe mechanism for the whole site.

- ``models``: ``Frequency`` (instant, daily, weekly, off) and ``NotificationPreference``: what
  one user (or, for newsletters, one address without an account) wants to hear about one
  topic, optionally about one target object (a region, a saved search, a forum group).
- ``topics``: what can be subscribed to; apps declare topics with the
  ``cms.hooks.NOTIFICATION_TOPICS`` hook.
- ``selectors``: read preferences (``preference_frequency``, ``preference_frequencies``,
  ``preferences_with``, ``receiving_preferences``).
- ``services``: ``preference_set``, ``preference_unsubscribe``.
- ``links``: the one signed token, ``unsubscribe_url`` and ``unsubscribe_headers`` (RFC 8058).
- ``views``: the one-click unsubscribe page (GET confirms, POST unsubscribes).
"""
