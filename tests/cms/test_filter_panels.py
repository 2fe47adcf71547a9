"""Phone first (issue 15): every browse page keeps its filters in one collapsible panel
(``<details class="filters-panel">``, which site.js closes on a phone) and shows the number of
results outside it, so the count stays in view with the filters folded away."""

import re

import pytest

from cms.directory.models import Organisation
from exchange.models import Listing
from tests.cms.factories import event, make_story
from tests.exchange.factories import ListingFactory

pytestmark = pytest.mark.django_db


def panel_and_rest(html):
    start = html.index('<details class="filters-panel">')
    end = html.index("</details>", start) + len("</details>")
    return html[start:end], html[:start] + html[end:]


@pytest.mark.parametrize("path", ["/exchange/", "/events/", "/directory/", "/resources/stories/"])
def test_browse_pages_fold_their_filters_and_show_the_count_outside(client, site_tree, path):
    for n in range(3):
        event(site_tree["events"], publish=True, title=f"Sorting day {n}")
        make_story(title=f"Denim story {n}")
        ListingFactory(title=f"Denim offcuts {n}")
    expected = {
        "/exchange/": f"{Listing.objects.public().active().count()} listings",
        "/events/": "3 events",
        "/directory/": f"{Organisation.objects.count()} organisations",
        "/resources/stories/": "3 resources",
    }[path]

    response = client.get(path)

    assert response.status_code == 200
    panel, rest = panel_and_rest(response.content.decode())
    assert panel.count("<form") == 1 and "<summary>" in panel  # every filter in the panel
    assert "<summary>Filters" in panel
    assert re.search(rf">\s*{expected}\s*<", rest), expected  # the count, outside the panel
    assert not re.search(rf">\s*{expected}\s*<", panel)


def test_the_summary_counts_the_filters_applied(client, site_tree):
    html = client.get("/events/", {"kind": "workshop", "region": "", "when": "past"}).content
    panel, _rest = panel_and_rest(html.decode())
    assert '<span class="badge">1 applied</span>' in panel
