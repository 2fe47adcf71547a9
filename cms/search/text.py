"""A visitor's search words, and matching them in text of no known language (forum posts,
exchange listings): every app searches its own models the same way."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Q

from .languages import FALLBACK_CONFIG, active_language_config

MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+")


def search_text(query):
    """A visitor's words as Wagtail's search backends take them. SQLite's full-text index
    fails on an unbalanced double quote (``"``: "unterminated string", a 500); without a
    partner the quote means nothing anyway, so quotes go when their number is odd. NUL bytes
    (which PostgreSQL refuses in text) go too."""
    query = query.replace("\x00", " ").strip()
    if query.count('"') % 2:
        query = query.replace('"', " ").strip()
    return query


def search_words(query):
    """The words of ``query`` (letters and digits only, lower case), at most ``MAX_WORDS``."""
    return [word.lower() for word in _WORD.findall(query)][:MAX_WORDS]


def _prefix_query(word):
    # A quoted prefix term: no user input reaches tsquery's operators.
    return SearchQuery(f"'{word}':*", config=FALLBACK_CONFIG, search_type="raw")


def text_matches(queryset, fields, query):
    """``queryset`` narrowed to the rows whose ``fields`` hold every word of ``query``.

    On PostgreSQL a word matches as the start of a word ("recyk" finds "recykling") or in any
    form of the visitor's language ("tkaniny" finds "tkanina" in Polish, "recycled" finds
    "recycling" in English), through the GIN indexes of the fields' cms.hooks.TextIndex. On
    other databases a word matches anywhere in a field (SQLite has no stemmer per language).
    An empty query matches nothing."""
    words = search_words(query)
    if not words:
        return queryset.none()
    if connections[queryset.db].vendor != "postgresql":
        for word in words:
            condition = Q()
            for field in fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset
    config = active_language_config()
    aliases = {"text_simple": SearchVector(*fields, config=FALLBACK_CONFIG)}
    if config != FALLBACK_CONFIG:
        aliases["text_language"] = SearchVector(*fields, config=config)
    queryset = queryset.alias(**aliases)
    for word in words:
        condition = Q(text_simple=_prefix_query(word))
        if config != FALLBACK_CONFIG:
            condition |= Q(text_language=SearchQuery(word, config=config, search_type="plain"))
        queryset = queryset.filter(condition)
    return queryset


def text_rank(fields, query):
    """How well ``fields`` match ``query`` (PostgreSQL only), for ordering ``text_matches``:
    prefix matches and matches in the visitor's language both count."""
    words = search_words(query)
    prefixes = SearchQuery(
        " & ".join(f"'{word}':*" for word in words), config=FALLBACK_CONFIG, search_type="raw"
    )
    rank = SearchRank(SearchVector(*fields, config=FALLBACK_CONFIG), prefixes)
    config = active_language_config()
    if config != FALLBACK_CONFIG:
        rank = rank + SearchRank(
            SearchVector(*fields, config=config),
            SearchQuery(" ".join(words), config=config, search_type="plain"),
        )
    return rank
