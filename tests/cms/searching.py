"""Helpers of the site search tests: fetch /search/ and read its facets."""

import re

from django.urls import reverse


def search(client, query, **params):
    response = client.get(reverse("search"), {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def facet_counts(html):
    """{facet label: count} of the search page's facets."""
    return {
        label.strip(): int(count)
        for label, count in re.findall(
            r'class="facet[^"]*"[^>]*>([^<]+)<span class="facet-count">(\d+)</span>', html
        )
    }


def result_titles(html):
    """The titles of the results listed, in order."""
    return re.findall(r'<li class="search-hit[^"]*">\s*<h3><a href="[^"]*">([^<]+)</a>', html)
