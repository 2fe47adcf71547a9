"""The forum's Markdown renderer (``MACHINA_MARKUP_LANGUAGE``): machina's (markdown2 in safe
mode), with images from other sites turned into links. An image in a post is fetched by every
reader's browser, so a remote one would tell an outside server who reads a private topic and
when. Images of this site (a path starting with one ``/``) stay images."""

import re
from html.parser import HTMLParser

from django.utils.html import format_html
from machina.core.markdown import markdown as machina_markdown

IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


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
    return IMG_TAG.sub(image_or_link, machina_markdown(text, **kwargs))
