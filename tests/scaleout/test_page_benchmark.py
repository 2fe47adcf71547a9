"""`manage.py bench_pages` measures the page, never something else in its place: a rate limit
that would answer the bench's thousands of requests a minute with 429s is out of reach (still
counted), and an answer that is not the page shows in the table instead of a rate."""

import pytest

from cms.hooks import KeyPage
from cms.page_benchmark import Load, Render, render, signed_in_cookie, table

pytestmark = pytest.mark.django_db


def test_a_member_searching_past_the_rate_limit_is_still_measured(user, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "search": "2/m"}
    page = KeyPage("search", "/search/?q=textile")
    result = render(page, cookie=signed_in_cookie(user), runs=4)
    assert result.status == 200
    assert result.statuses == {200}
    # the limit is as it was once the bench is done
    assert settings.RATELIMITS["search"] == "2/m"


def test_answers_that_are_not_the_page_are_shown_instead_of_a_rate():
    limited = Render(status=200, queries=3, wall_ms=[5], cpu_ms=[4], statuses={200, 429})
    page = Render(status=200, queries=3, wall_ms=[5], cpu_ms=[4], statuses={200})
    text = table(
        [
            ("search", "signed in", limited, Load(269, 28, 89, 1345, 0, 1800)),
            ("story", "signed in", page, Load(263, 30, 43, 0, 0, 1700)),
        ]
    )
    search, story = text.splitlines()[2:]
    assert search.startswith("| search (200, 429) | signed in |")
    assert "| not measured: errors |" in search
    assert "%" not in search
    assert story.startswith("| story | signed in |")
    assert "| 15% |" in story
