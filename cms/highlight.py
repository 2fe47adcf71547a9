"""A safe server-side highlighter for search snippets: the text is escaped first, then the
query's words are wrapped in <mark>. Wagtail's database backends do not highlight."""

import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

MIN_TERM_LENGTH = 2


def query_terms(query):
    """The words of a search query worth highlighting, longest first."""
    words = re.findall(r"\w+", query or "")
    terms = {word.lower() for word in words if len(word) >= MIN_TERM_LENGTH}
    return sorted(terms, key=len, reverse=True)


def highlight(text, query, *, length=240):
    """An HTML-safe excerpt of ``text`` (plain text or HTML) of about ``length`` characters,
    centred on the first match, with every match of the query's words in <mark>."""
    plain = " ".join(strip_tags(text or "").split())
    terms = query_terms(query)
    if not plain:
        return ""
    if not terms:
        return escape(Truncator(plain).chars(length))
    pattern = re.compile(r"\b(" + "|".join(re.escape(term) for term in terms) + r")", re.I)
    first = pattern.search(plain)
    start = 0
    if first and first.start() > length // 3:
        start = plain.rfind(" ", 0, first.start() - length // 3) + 1
    excerpt = plain[start:]
    if len(excerpt) > length:
        cut = excerpt.rfind(" ", 0, length)
        excerpt = excerpt[: cut if cut > 0 else length] + "…"
    if start:
        excerpt = "…" + excerpt
    # Escape, then mark. Entities such as &amp; are skipped whole, so a query for "amp" cannot
    # break them; the marked words are word characters, which escaping leaves alone.
    marker = re.compile(r"&#?\w+;|" + pattern.pattern, re.I)
    marked = marker.sub(
        lambda match: f"<mark>{match.group(1)}</mark>" if match.group(1) else match.group(0),
        escape(excerpt),
    )
    return mark_safe(marked)  # noqa: S308 - built from escaped text
