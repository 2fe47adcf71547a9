"""One site search at /search/: pages by section, the directory, and every kind the apps add
through cms.hooks.SEARCH_RESULTS (views.py); each language searched with its own text-search
configuration on PostgreSQL (backend.py)."""

from .text import search_text

__all__ = ["search_text"]
