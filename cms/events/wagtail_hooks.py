from wagtail import hooks

from cms.hooks import LOAD_DEMO

from . import demo


@hooks.register(LOAD_DEMO, order=25)
def load_events_demo(*, stdout, style):
    demo.load(stdout=stdout, style=style)
