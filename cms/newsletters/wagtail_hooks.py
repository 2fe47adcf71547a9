from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cms.hooks import HOME_PANELS, LOAD_DEMO, HomePanel


@hooks.register(HOME_PANELS)
def newsletter_signup_panel(request):
    # Only the e-mail field here, so the home page runs no query for the list of regions;
    # the sign-up page asks for the regions.
    return HomePanel(
        title=_("Regional newsletters"), template="newsletters/home_panel.html", order=900
    )


@hooks.register(LOAD_DEMO, order=190)
def load_newsletters_demo(*, stdout, style):
    from . import demo

    demo.load(stdout=stdout, style=style)
