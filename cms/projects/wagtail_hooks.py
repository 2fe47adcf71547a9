from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cms.hooks import LOAD_DEMO, ORGANISATION_LINKS, LinkedGroup, LinkedItem

from . import demo
from .models import ProjectPage


@hooks.register(ORGANISATION_LINKS)
def organisation_projects(organisation, request):
    """The joint projects an organisation takes part in (one query)."""
    projects = ProjectPage.objects.listed().filter(partners__organisation=organisation).distinct()
    items = [
        LinkedItem(
            title=project.title, url=project.get_url(request), description=project.summary[:160]
        )
        for project in projects[:20]
    ]
    return LinkedGroup(title=_("Joint projects"), items=items, order=15)


@hooks.register(LOAD_DEMO, order=20)
def load_projects_demo(*, stdout, style):
    demo.load(stdout=stdout, style=style)
