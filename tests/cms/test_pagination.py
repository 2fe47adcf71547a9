"""The site's pagination (themes/templates/includes/pagination.html): the pages around the one
shown, whichever it is."""

import re

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def pagination(number, *, pages=50, query=""):
    page_obj = Paginator(range(pages * 10), 10).get_page(number)
    request = RequestFactory().get(f"/list/?{query}")
    html = render_to_string("includes/pagination.html", {"page_obj": page_obj, "request": request})
    links = re.findall(r'href="\?([^"]*)"', html)
    current = re.findall(r'<span aria-current="page">(\d+)</span>', html)
    return html, links, current


def test_a_page_in_the_middle_shows_itself_and_its_neighbours():
    html, links, current = pagination(30)

    assert current == ["30"]
    for number in (1, 2, 27, 28, 29, 31, 32, 33, 49, 50):
        assert f"page={number}" in links
    assert "page=4" not in links
    assert html.count("…") == 2
    assert 'href="?page=29" rel="prev"' in html
    assert 'href="?page=31" rel="next"' in html


def test_the_first_and_the_last_page():
    _html, links, current = pagination(1)
    assert current == ["1"]
    assert {"page=2", "page=4", "page=50"} <= set(links)

    html, links, current = pagination(50)
    assert current == ["50"]
    assert {"page=47", "page=49", "page=1"} <= set(links)
    assert 'rel="next"' not in html


def test_the_links_keep_the_other_parameters():
    _html, links, _current = pagination(10, query="q=cotton&page=10")

    assert "q=cotton&amp;page=11" in links


def test_one_page_shows_no_pagination():
    html, _links, _current = pagination(1, pages=1)

    assert html.strip() == ""
