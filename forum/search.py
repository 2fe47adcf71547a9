"""Forum search in the database, the way every app searches text of no known language
(cms.search.text.text_matches): on PostgreSQL each word typed matches as a word prefix or in
any form of the visitor's language (Polish "tkaniny" finds "tkanina"), best matches first; on
SQLite a word-by-word match, newest first. No index on disk, so every web process and machine
answers the same.

On PostgreSQL GIN indexes on the same expressions keep the search fast on large forums: the
"simple" one (migration ``0003_post_search_index``) and one per language configuration
(``forum_post_fulltext_<config>``, made by cms.search.languages from the TEXT_SEARCH_INDEXES
hook in wagtail_hooks.py)."""

from django.contrib.postgres.search import SearchVector
from django.db import connections
from django.db.models import F

from cms.search.text import MAX_WORDS, search_words, text_matches, text_rank

__all__ = ["MAX_WORDS", "search_words"]

SEARCH_CONFIG = "simple"
SEARCH_INDEX_NAME = "forum_post_fulltext"
SEARCH_FIELDS = ("subject", "content")


def post_search_vector():
    """The document searched: a post's subject and its Markdown source."""
    return SearchVector(*SEARCH_FIELDS, config=SEARCH_CONFIG)


def filter_posts(posts, query):
    """``posts`` containing every word of ``query``, best matches first on PostgreSQL, newest
    first otherwise."""
    posts = text_matches(posts, SEARCH_FIELDS, query)
    if connections[posts.db].vendor == "postgresql":
        return posts.annotate(search_rank=text_rank(SEARCH_FIELDS, query)).order_by(
            F("search_rank").desc(), "-created"
        )
    return posts.order_by("-created")
