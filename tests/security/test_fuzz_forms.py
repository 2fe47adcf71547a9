"""Every form of the site, fuzzed with Hypothesis. The forms are found, not listed: each page of
the permission matrix (every URL pattern of the resolver, with real ids) is read as the roles
that may open it, and each ``<form method="post">`` on it is posted back with its own fields
filled with hostile values — NUL bytes, 100,000-character strings, numbers too large for any
column, 1e400, nan, impossible dates, wrong types, several values where one is expected —
mixed with the values the form offered, so that validation gets past the first field — and
hostile files in every file input (tests/security/hostile_files.py).

No answer may be a 500, and an answer that is not a redirect (the form shown again with its
errors, a 4xx) must have saved nothing: the rows of every table are counted before and after.
Each post runs in a rolled-back transaction, so the world stays the same for the next.

``FUZZ_FORM_EXAMPLES`` (setting, from the environment; 4 by default) is the number of
examples per form; raise it locally for a longer hunt."""

from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from hypothesis import strategies as st

from tests.security.fuzzing import HOSTILE, Form, draw_fields, form_fields, fuzz_forms
from tests.security.matrix_world import ROLES, Requester
from tests.security.test_permission_matrix import MATRIX, cases

pytestmark = pytest.mark.django_db

# Who reads the pages to find their forms: each sees different ones (a member's reply form, a
# moderator's tools, an exchange member's listing forms).
READERS = ("anonymous", "trainee", "member", "exchange_a", "exchange_b", "moderator", "admin")


def discover_forms(requester):
    forms = {}
    for entry in MATRIX.values():
        for case in cases(entry):
            if case.method != "GET":
                continue
            expected = case.outcomes()
            for role in READERS:
                if expected[role] != "o":
                    continue
                url = case.url.format(w=requester.world)
                response = requester.request(role, "GET", url)
                if "html" not in response.get("Content-Type", "") or response.streaming:
                    continue
                page = BeautifulSoup(response.content, "html.parser")
                for element in page.find_all("form"):
                    if (element.get("method") or "get").lower() != "post":
                        continue
                    action = urljoin(url, element.get("action") or url)
                    if urlsplit(action).netloc or urlsplit(action).path.startswith("/admin/"):
                        continue
                    form = Form(page=url, role=role, action=action, fields=form_fields(element))
                    forms.setdefault(form.key, form)
    return list(forms.values())


@st.composite
def form_data(draw, form):
    data = draw_fields(draw, form)
    # A field the form does not have, named like one a mass-assignment would reach.
    for _ in range(draw(st.integers(0, 1))):
        data[draw(st.sampled_from(["id", "pk", "user", "organisation", "is_staff"]))] = draw(
            st.sampled_from(HOSTILE)
        )
    return data


def test_every_form_survives_hostile_input_and_saves_nothing_when_refused(world, django_db_blocker):
    with django_db_blocker.unblock():
        requester = Requester(world)
        forms = discover_forms(requester)
        assert len(forms) >= 40, f"only {len(forms)} forms found: the walk is broken"
        failures = fuzz_forms(
            forms, form_data, requester=requester, examples=settings.FUZZ_FORM_EXAMPLES
        )
    assert not failures, f"{len(failures)} form posts failed:\n" + "\n".join(failures[:60])


def test_the_walk_finds_the_forms_of_every_part_of_the_site(world, django_db_blocker):
    with django_db_blocker.unblock():
        forms = discover_forms(Requester(world))
    prefixes = {urlsplit(form.action).path.split("/")[1] for form in forms}
    assert {"accounts", "forum", "exchange", "partners", "newsletters", "learning"} <= prefixes
    assert set(ROLES) >= {form.role for form in forms}
