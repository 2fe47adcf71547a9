"""Every URL the site answers outside the admin, probed as an attacker would: each pattern of the
URL resolver (walked, not listed by hand, so a new view is probed the day it is added) with
ids that exist and ids that do not, hostile text where a slug or string goes, by GET and by an
empty or hostile POST, anonymously and as a signed-in trainee. No request may answer 500."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SKIPPED_PREFIXES = ("admin/", "django-admin/", "^admin", "^django-admin")
HOSTILE = "x'\"<>%00"

REGEX_GROUPS = [
    (re.compile(r"\(\?P<uidb36>[^)]*\)"), "1"),
    (re.compile(r"\(\?P<(\w+)>\[[^\]]*\]\+\)"), "abc"),
    (re.compile(r"\(\?P<(\w+)>\.\+\)"), "abc"),
    (re.compile(r"\(\?P<(\w+)>\.\*\)"), "nothing-here.pdf"),
    (re.compile(r"\(\\d\+\)"), "{int}"),
    (re.compile(r"\(\.\*\)"), "file.pdf"),
    (re.compile(r"\(\(\?:\[\\w\\-\]\+/\)\*\)"), "no-such-page/"),
]
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _path(route, *, number, text):
    path = route.replace("^", "").replace("$", "")
    for regex, value in REGEX_GROUPS:
        path = regex.sub(value, path)

    def convert(match):
        kind = match.group(1) or "str"
        return {
            "int": "{int}",
            "uuid": str(uuid.UUID(int=number)),
            "path": "a/b.txt",
        }.get(kind, text)

    path = CONVERTER.sub(convert, path).replace("{int}", str(number))
    return "/" + path.lstrip("/")


def probe_urls():
    routes = sorted(
        {
            route
            for route in _routes(get_resolver().url_patterns)
            if not route.startswith(SKIPPED_PREFIXES)
        }
    )
    urls = set()
    for route in routes:
        urls.add(_path(route, number=1, text="abc"))
        urls.add(_path(route, number=999_999_999, text=HOSTILE))
    return sorted(urls)


@pytest.fixture
def site_data():
    """A little of everything, so that id 1 names real objects for most views."""
    from tests.courses.factories import course_with_lessons
    from tests.forum.factories import WorkingGroupFactory, topic_with_posts

    course_with_lessons(modules=1, lessons=1)
    group = WorkingGroupFactory()
    topic_with_posts(group, UserFactory(), posts=2)


def _clients():
    anonymous = Client(raise_request_exception=False)
    trainee = Client(raise_request_exception=False)
    trainee.force_login(UserFactory())
    return {"anonymous": anonymous, "trainee": trainee}


def test_no_url_answers_500_to_anyone(site_data):
    urls = probe_urls()
    assert len(urls) > 100  # the walk found the site's URLs
    failures = []
    for role, client in _clients().items():
        for url in urls:
            for method, data in (("get", None), ("post", {}), ("post", {"q": "a\x00b"})):
                response = (
                    getattr(client, method)(url, data) if data is not None else client.get(url)
                )
                if response.status_code >= 500:
                    failures.append(
                        f"{role} {method.upper()} {url} {data!r}: {response.status_code}"
                    )
    assert not failures, "\n".join(failures)
