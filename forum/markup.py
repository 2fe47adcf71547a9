"""The forum's Markdown renderer (``MACHINA_MARKUP_LANGUAGE``): machina's (markdown2 in safe
mode), cleaned by nh3 to the tags Markdown makes (markdown2's safe mode lets a tag without its
closing ``>`` through, e.g. ``<svg onload=…``: found by tests/security/test_fuzz_parsers.py),
with images from other sites turned into links. An image in a post is fetched by every
reader's browser, so a remote one would tell an outside server who reads a private topic and
when. Images of this site (a path starting with one ``/``) stay images."""

import re
from html.parser import HTMLParser

import nh3
from django.utils.html import format_html
from machina.core.markdown import markdown as machina_markdown

IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
# What Markdown produces, and nothing else.
MARKDOWN_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
MARKDOWN_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "td": {"align"},
    "th": {"align"},
}


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attributes = {}

    def handle_starttag(self, tag, attrs):
        self.attributes = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def _attributes(tag):
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    return parser.attributes


def is_local(src):
    return src.startswith("/") and not src.startswith("//") and "\\" not in src


def image_or_link(match):
    attributes = _attributes(match.group(0))
    src = attributes.get("src", "").strip()
    if is_local(src):
        return match.group(0)
    label = attributes.get("alt") or src
    if not src.lower().startswith(("http://", "https://")):
        return format_html("{}", label)
    return format_html(
        '<a href="{}" class="remote-image" rel="nofollow noopener noreferrer">{}</a>', src, label
    )


def markdown(text, **kwargs):
    html = nh3.clean(
        machina_markdown(text, **kwargs),
        tags=MARKDOWN_TAGS,
        attributes=MARKDOWN_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return IMG_TAG.sub(image_or_link, html)
