from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cms.hooks import (
    HOME_PANELS,
    LOAD_DEMO,
    ORGANISATION_LINKS,
    SECTION_PANELS,
    USER_MENU_ITEMS,
    HomePanel,
    LinkedGroup,
    LinkedItem,
    MenuItem,
)

from . import selectors


@hooks.register(SECTION_PANELS)
def working_groups_section(section, request):
    if section != "working-groups":
        return None
    return HomePanel(
        title=_("Working groups"),
        template="working_groups/includes/section_panel.html",
        context={"groups": list(selectors.groups_for_listing(request.user))},
        order=10,
    )


@hooks.register(HOME_PANELS)
def latest_discussions(request):
    topics = selectors.latest_topics(request.user, limit=5)
    if not topics:
        return None
    return HomePanel(
        title=_("Latest discussions in the working groups"),
        template="working_groups/includes/home_panel.html",
        context={"topics": topics},
        order=300,
    )


@hooks.register(ORGANISATION_LINKS)
def organisation_working_groups(organisation, request):
    """The working groups the organisation's people take part in (those the viewer may see)."""
    groups = selectors.groups_of_organisation(organisation, request.user)
    return LinkedGroup(
        title=_("Working groups"),
        items=[
            LinkedItem(
                title=group.name, url=group.get_absolute_url(), description=group.description
            )
            for group in groups
        ],
        order=300,
    )


@hooks.register(USER_MENU_ITEMS)
def my_groups_menu_item(request):
    if not request.user.is_authenticated:
        return None
    return MenuItem(label=_("My groups"), url=reverse("working_groups:mine"), order=30)


@hooks.register(LOAD_DEMO, order=130)
def load_forum_demo(*, stdout, style):
    from . import demo

    demo.load(stdout=stdout, style=style)
