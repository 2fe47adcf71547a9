"""Text formats of quiz texts, as Moodle's GIFT markers name them.

A question's texts are stored either as plain text or as HTML (``Question.text_format``).
GIFT's ``[html]``, ``[markdown]``, ``[moodle]`` and ``[plain]`` markers are turned into one of
the two on import (``to_html``), and HTML is sanitised with nh3 both on import and when shown,
so neither raw tags, Markdown asterisks nor scripts ever reach a learner.
"""

import html

import markdown2
import nh3
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe

PLAIN, HTML, MARKDOWN, MOODLE = "plain", "html", "markdown", "moodle"
MARKERS = (PLAIN, HTML, MARKDOWN, MOODLE)

# What an option label, a matching prompt or a feedback line may hold: phrasing content only.
INLINE_TAGS = {
    "a",
    "abbr",
    "b",
    "br",
    "cite",
    "code",
    "em",
    "i",
    "img",
    "kbd",
    "mark",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "u",
}
LINK_REL = "noopener noreferrer nofollow"


def sanitise(text):
    """HTML with only harmless tags and attributes left (nh3's defaults: no script, no style,
    no event handlers, no javascript: links)."""
    return nh3.clean(text, link_rel=LINK_REL)


def sanitise_inline(text):
    """HTML for places where a block would be invalid (labels, table headers): block tags are
    dropped, their content kept."""
    return nh3.clean(text, tags=INLINE_TAGS, link_rel=LINK_REL).strip()


def _unwrap_paragraph(text):
    text = text.strip()
    if text.startswith("<p>") and text.endswith("</p>") and text.count("<p>") == 1:
        return text[3:-4]
    return text


def to_html(text, text_format, *, inline=False):
    """``text`` written in a GIFT format, as sanitised HTML. ``inline`` gives phrasing content
    for option labels and prompts (a lone Markdown paragraph is unwrapped)."""
    if text_format == PLAIN:
        return html.escape(text, quote=False).replace("\n", "<br>")
    if text_format == MARKDOWN:
        converted = markdown2.markdown(text)
    elif text_format == MOODLE:
        # Moodle's own format: HTML allowed, and line breaks are kept.
        converted = text.replace("\n", "<br>\n")
    else:
        converted = text
    if inline:
        return sanitise_inline(_unwrap_paragraph(converted))
    return sanitise(converted).strip()


def to_plain(text, text_format):
    """The words of a text without any markup: for fields that can only hold plain text (the
    answers of a matching question are choices in a list)."""
    if text_format == PLAIN:
        return text
    if text_format == MARKDOWN:
        text = markdown2.markdown(text)
    return html.unescape(nh3.clean(text, tags=set())).strip()


def looks_plain(text):
    """Whether ``text`` reads the same as plain text and as HTML (no markup, entity or line
    break), so a question written that way can be stored as plain text."""
    return not any(char in text for char in "<>&\n")


def render(text, text_format, *, inline=False):
    """A stored quiz text, safe to put in a page."""
    if text_format == HTML:
        return mark_safe(sanitise_inline(text) if inline else sanitise(text))  # noqa: S308 (sanitised)
    if inline:
        return mark_safe(html.escape(text).replace("\n", "<br>"))  # noqa: S308 (escaped)
    return mark_safe(linebreaks(text, autoescape=True))  # noqa: S308 (escaped)
