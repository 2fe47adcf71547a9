from wagtail import hooks

from . import demo
from .hooks import LOAD_DEMO


@hooks.register(LOAD_DEMO, order=0)
def load_core_demo(*, stdout, style):
    demo.load(stdout=stdout, style=style)
