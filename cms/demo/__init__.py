"""Demo content of the core, loaded by ``manage.py load_demo`` through the LOAD_DEMO hooks
(cms/wagtail_hooks.py); idempotent. ``core`` makes the regions, the directory, one user per role
and the site look; ``virtual_centre`` the page tree, with one module per section. The apps' demo
loaders reuse the password and the page helpers from here."""

from .core import DEMO_ADMIN_EMAIL, DEMO_PASSWORD, DEMO_USERS, load
from .pages import P, _child, _publish, _translate
from .virtual_centre import load_virtual_centre

__all__ = [
    "DEMO_ADMIN_EMAIL",
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "P",
    "_child",
    "_publish",
    "_translate",
    "load",
    "load_virtual_centre",
]
