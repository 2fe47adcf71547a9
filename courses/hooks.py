"""Extension point of the training platform's pages.

The page models (``courses.models``) sit below the selectors and services (models ← selectors
← services ← views, ``pyproject.toml``'s import contracts), yet the catalogue, a course and a
lesson show the learner's state: the outline, their progress, their certificate, the SCORM
player. The pages ask for that context through this hook; ``courses/wagtail_hooks.py``
registers the views' functions (``courses.views.*_context``) that build it with the selectors::

    @hooks.register(PAGE_CONTEXT)
    def training_page_context(page, request):
        return views.page_context(page, request)

What happens before a lesson is served (the enrolment check, the visit) is Wagtail's own
``before_serve_page`` hook, registered in the same file.
"""

from typing import Any

from django.http import HttpRequest
from wagtail import hooks

# fn(page, request) -> dict | None. Context for a page of the training platform, added to what
# the page's own get_context() gives.
PAGE_CONTEXT = "courses_page_context"


def page_context(page: Any, request: HttpRequest) -> dict[str, Any]:
    """What the registered PAGE_CONTEXT functions give for ``page``, merged in hook order."""
    context: dict[str, Any] = {}
    for fn in hooks.get_hooks(PAGE_CONTEXT):
        context.update(fn(page, request) or {})
    return context


class HookContextMixin:
    """A page whose get_context() adds what the PAGE_CONTEXT hooks give."""

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context.update(page_context(self, request))
        return context
