"""Forum search in the database: PostgreSQL full-text search, a word-by-word fallback on
SQLite. No index on disk, so every web process and machine answers the same.

On PostgreSQL a GIN index on the same expression as ``post_search_vector()`` (migration
``0003_post_search_index``) keeps the search fast on large forums; the ``simple`` text
configuration (no stemming) because posts are written in English, Polish and Italian."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q

SEARCH_CONFIG = "simple"
SEARCH_INDEX_NAME = "forum_post_fulltext"
MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+")


def post_search_vector():
    """The document searched: a post's subject and its Markdown source."""
    return SearchVector("subject", "content", config=SEARCH_CONFIG)


def search_words(query):
    """The words of ``query`` (letters and digits only, lower case), at most ``MAX_WORDS``."""
    return [word.lower() for word in _WORD.findall(query)][:MAX_WORDS]


def filter_posts_by_words(posts, words):
    """``posts`` containing every word (as a word prefix on PostgreSQL, anywhere on SQLite),
    best matches first on PostgreSQL, newest first otherwise."""
    if connection.vendor == "postgresql":
        # Each word as a quoted prefix term: no user input reaches tsquery's operators.
        tsquery = SearchQuery(
            " & ".join(f"'{word}':*" for word in words), config=SEARCH_CONFIG, search_type="raw"
        )
        return (
            posts.alias(document=post_search_vector())
            .filter(document=tsquery)
            .annotate(search_rank=SearchRank(post_search_vector(), tsquery))
            .order_by(F("search_rank").desc(), "-created")
        )
    for word in words:
        posts = posts.filter(Q(subject__icontains=word) | Q(content__icontains=word))
    return posts.order_by("-created")
