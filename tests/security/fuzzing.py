"""What the form fuzzers share (tests/security/test_fuzz_forms.py for the public forms,
test_fuzz_admin_forms.py for the Wagtail admin's): how a form is read from its page, the hostile
values and files its fields get, the row counts of every table, and the one check of a post.

The check: no answer may be a 500, and an answer that is not a redirect (the form shown again
with its errors, a 4xx) must have saved nothing. Each post runs in a rolled-back transaction
(``Requester.request``), so the world stays the same for the next."""

import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.apps import apps
from django.core.signals import got_request_exception
from django.db import connection
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.security.hostile_files import HostileFile, hostile_file, upload

HOSTILE = [
    "\x00",
    "a\x00b",
    "x" * 100_000,
    "1e400",
    "-1e400",
    "nan",
    "inf",
    "-1",
    "0",
    "99999999999999999999999999999999",
    "-99999999999999999999",
    "1.5",
    "１２３",
    "abc",
    "",
    " ",
    "2026-02-30",
    "0000-00-00",
    "31/12/2026",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "http://",
    "javascript:alert(1)",
    "[]",
    "{}",
]
# Tables that a refused form may still write: sessions, read tracks machina updates while
# rendering, the forum profile and Wagtail's user profile made on first use.
BOOKKEEPING = {
    "sessions.session",
    "wagtailusers.userprofile",
    "forum_tracking.forumreadtrack",
    "forum_tracking.topicreadtrack",
    "forum_member.forumprofile",
    "usersessions.usersession",
}


@dataclass
class Form:
    page: str
    role: str
    action: str
    fields: list = field(default_factory=list)  # (name, kind, default, options)

    @property
    def key(self):
        return (urlsplit(self.action).path, tuple(sorted(name for name, *_ in self.fields)))


def form_fields(form):
    """(name, kind, default, options) of the inputs of a BeautifulSoup ``<form>``."""
    found = []
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        if element.name == "select":
            options = [o.get("value", o.text) for o in element.find_all("option")]
            selected = element.find("option", selected=True)
            default = selected.get("value", selected.text) if selected else ""
            found.append((name, "select", default, options))
        elif element.name == "textarea":
            found.append((name, "text", element.text, []))
        else:
            kind = (element.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                continue
            if kind in ("checkbox", "radio") and not element.has_attr("checked"):
                found.append((name, kind, "", [element.get("value", "on")]))
            else:
                found.append((name, kind, element.get("value", ""), []))
    return found


def counted_tables(leave_out=frozenset()):
    """(label, table) of every table of the project's models, less the bookkeeping ones."""
    tables = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        if model._meta.label_lower in BOOKKEEPING | leave_out:
            continue
        tables.append((model._meta.label_lower, model._meta.db_table))
    return tables


def row_counts(tables):
    quote = connection.ops.quote_name
    # Table names come from the models, not from a request.
    columns = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(table)})"  # noqa: S608
        for _, table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return dict(zip((label for label, _ in tables), cursor.fetchone(), strict=True))


def hostile_value(kind, default, options):
    hostile = st.sampled_from(HOSTILE) | st.text(max_size=40)
    offered = st.sampled_from([default, *options]) if options else st.just(default)
    one = st.one_of(offered, hostile)
    if kind in ("checkbox", "select"):
        return st.one_of(one, st.lists(one, min_size=2, max_size=3))
    return one


def draw_fields(draw, form):
    """Data for the form's own fields: now and then one left out, a hostile file in every file
    input, else a hostile value mixed with the ones the form offered (so that validation gets
    past the first field)."""
    data = {}
    for name, kind, default, options in form.fields:
        if draw(st.integers(0, 9)) == 0:
            continue  # a field left out entirely
        if kind == "file":
            data[name] = draw(hostile_file())
            continue
        data[name] = draw(hostile_value(kind, default, options))
    return data


def fuzz_settings(examples):
    return hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@contextmanager
def request_errors():
    """The exceptions the requests of the block raised (as a 500), newest last, to name in a
    failure."""
    errors = []

    def record(sender, request, **kwargs):
        error = sys.exc_info()[1]
        errors.append(f"{type(error).__name__}: {str(error)[:120]}")

    got_request_exception.connect(record)
    try:
        yield errors
    finally:
        got_request_exception.disconnect(record)


def fuzz_forms(forms, data, *, requester, examples, leave_out=frozenset()):
    """Post each of ``forms`` ``examples`` times with ``data(form)`` (a strategy) as the role
    that found it; returns the failures, each once: every 500, and every answer other than a
    redirect that changed the row count of a table (less ``leave_out`` and the bookkeeping)."""
    tables = counted_tables(leave_out)
    before = row_counts(tables)
    fuzz = fuzz_settings(examples)
    failures = []
    with request_errors() as errors:
        for form in forms:
            _form_fuzzer(fuzz, form, data(form), requester, tables, before, failures, errors)()
    return list(dict.fromkeys(failures))


def _form_fuzzer(fuzz, form, data, requester, tables, before, failures, errors):
    """The Hypothesis test of one form (a function per form: @given takes no defaults)."""

    @fuzz
    @given(data=data)
    def post(data):
        sent = {k: upload(v) if isinstance(v, HostileFile) else v for k, v in data.items()}
        response, after = requester.request(
            form.role, "POST", form.action, sent, inside=lambda _: row_counts(tables)
        )
        where = f"{form.role} POST {form.action} (form on {form.page})"
        if response.status_code >= 500:
            failures.append(f"{where}: {response.status_code} {errors[-1:]} with {short(data)}")
        elif not 300 <= response.status_code < 400:
            changed = {
                label: after[label] - before[label]
                for label in before
                if after[label] != before[label]
            }
            if changed:
                failures.append(
                    f"{where}: answered {response.status_code} but saved {changed} "
                    f"with {short(data)}"
                )

    return post


def short(data):
    return {
        key: (value[:40] + "…" if isinstance(value, str) and len(value) > 40 else value)
        for key, value in data.items()
    }
