from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cms.hooks import HOME_PANELS, LOAD_DEMO, HomePanel

from .forms import SubscribeForm


@hooks.register(HOME_PANELS)
def newsletter_signup_panel(request):
    form = SubscribeForm(auto_id="home-newsletter-%s")
    return HomePanel(
        title=_("Regional newsletters"),
        template="newsletters/home_panel.html",
        context={"form": form},
        order=900,
    )


@hooks.register(LOAD_DEMO, order=190)
def load_newsletters_demo(*, stdout, style):
    from . import demo

    demo.load(stdout=stdout, style=style)
