"""SCORM 1.2 and 2004 packages as lessons: hostile packages are refused with a message and
leave nothing behind; files are served to enrolled learners only; what the runtime commits is
stored per attempt and completes the lesson (and the course)."""

import io
import json
import zipfile

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from courses import services
from courses.models import Certificate, LessonCompletion, LessonPage
from courses.scorm import package as scorm_package
from courses.scorm import services as scorm_services
from courses.scorm.models import ScormAttempt, ScormPackage
from tests.factories import OrganisationFactory, UserFactory

from . import scorm_packages as packages
from .factories import LessonPageFactory, ModulePageFactory, course_with_lessons

pytestmark = pytest.mark.django_db


def upload(content, name="package.zip"):
    return SimpleUploadedFile(name, content, content_type="application/zip")


def stored_package(content, organisation, title=""):
    package = ScormPackage(title=title, organisation=organisation)
    return scorm_services.package_store(package=package, upload=upload(content))


@pytest.fixture
def scorm_course():
    course = course_with_lessons(modules=1, lessons=0)
    package = stored_package(packages.scorm12(), course.provider)
    module = course.get_children().first()
    lesson = LessonPageFactory(parent=module, title="Sorting check", scorm_package=package)
    return course, lesson, package


@pytest.fixture
def enrolled(scorm_course, learner_client, learner):
    course, lesson, package = scorm_course
    services.course_enrol(user=learner, course=course)
    return learner_client


def private_files():
    """Every file under scorm/ in the private storage (empty folders do not count)."""
    storage = storages["private"]
    try:
        directories, _files = storage.listdir("scorm")
    except FileNotFoundError:
        return set()
    return {
        f"{directory}/{name}"
        for directory in directories
        for name in storage.listdir(f"scorm/{directory}")[1]
    }


# Validation --------------------------------------------------------------------------------------
def test_scorm_12_and_2004_packages_are_recognised():
    info = scorm_package.inspect(io.BytesIO(packages.scorm12()))
    assert (info.version, info.launch, info.title) == (
        "1.2",
        "index.html",
        "Sorting check (SCORM 1.2)",
    )
    info = scorm_package.inspect(io.BytesIO(packages.scorm2004()))
    assert (info.version, info.launch) == ("2004", "content/start.html?lang=en")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip at all", "not a ZIP archive"),
        (packages.build({"index.html": "<p>hi</p>"}), "imsmanifest.xml is missing"),
        (packages.scorm12(**{"../evil.html": "x"}), "leaves its folder"),
        (packages.scorm12(**{"/etc/cron.d/evil": "x"}), "absolute path"),
        (packages.scorm12(**{"C:/windows/evil": "x"}), "absolute path"),
        (packages.scorm12(**{"a\\..\\b.html": "x"}), "unsafe name"),
        (packages.scorm12(**{"INDEX.HTML": "x"}), "twice"),
        (packages.build({"imsmanifest.xml": "<manifest><oops"}), "not well-formed"),
        (
            packages.build(
                {
                    "imsmanifest.xml": '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM '
                    '"file:///etc/passwd">]><manifest>&x;</manifest>'
                }
            ),
            "not well-formed",
        ),
        (
            packages.build(
                {"imsmanifest.xml": packages.MANIFEST_12.format(title="t", launch="gone.html")}
            ),
            "which is not in the package",
        ),
        (
            packages.build({"imsmanifest.xml": "<manifest><organizations/></manifest>"}),
            "does not say SCORM 1.2 or SCORM 2004",
        ),
    ],
)
def test_hostile_or_broken_packages_are_refused(content, message):
    with pytest.raises(scorm_package.PackageError, match=message):
        scorm_package.inspect(io.BytesIO(content))


def test_symlinks_are_refused():
    content = packages.build(
        {
            "imsmanifest.xml": packages.MANIFEST_12.format(title="t", launch="index.html"),
            "index.html": "x",
        },
        symlinks=[("secret", "/etc/passwd")],
    )
    with pytest.raises(scorm_package.PackageError, match="symbolic link"):
        scorm_package.inspect(io.BytesIO(content))


def test_zip_bomb_and_limits(settings):
    bomb = packages.scorm12(**{"padding.txt": b"\0" * 5_000_000})
    with pytest.raises(scorm_package.PackageError, match="zip bomb"):
        scorm_package.inspect(io.BytesIO(bomb))

    settings.SCORM_MAX_FILES = 2
    with pytest.raises(scorm_package.PackageError, match="more than 2 files"):
        scorm_package.inspect(io.BytesIO(packages.scorm12()))
    settings.SCORM_MAX_FILES = 5000

    settings.SCORM_MAX_UNCOMPRESSED_BYTES = 1000
    with pytest.raises(scorm_package.PackageError, match="unpacks to more than"):
        scorm_package.inspect(io.BytesIO(packages.scorm12(**{"big.txt": "x" * 2000})))


def test_lying_sizes_are_caught_while_reading(settings):
    """A ZIP whose directory declares tiny sizes but whose entries inflate to more."""
    settings.SCORM_MAX_UNCOMPRESSED_BYTES = 50_000
    settings.SCORM_MAX_COMPRESSION_RATIO = 10_000
    content = bytearray(packages.scorm12(**{"big.txt": "y" * 60_000}))
    # Patch the declared uncompressed size of big.txt in its central directory record.
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        entry = archive.getinfo("big.txt")
    central = content.rfind(b"PK\x01\x02", 0, content.rfind(b"big.txt"))
    content[central + 24 : central + 28] = (10).to_bytes(4, "little")
    local = entry.header_offset
    content[local + 22 : local + 26] = (10).to_bytes(4, "little")
    with pytest.raises((scorm_package.PackageError, zipfile.BadZipFile)):
        scorm_package.inspect(io.BytesIO(bytes(content)))


# Upload in the admin ----------------------------------------------------------------------------
def test_admin_upload_stores_a_valid_package_privately(admin_client):
    organisation = OrganisationFactory()
    url = reverse("wagtailsnippets_scorm_scormpackage:add")
    response = admin_client.post(
        url,
        {
            "package_file": upload(packages.scorm2004()),
            "title": "",
            "organisation": organisation.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    package = ScormPackage.objects.get()
    assert package.version == "2004" and package.title == "Fibres (SCORM 2004)"
    assert package.launch_path == "content/start.html?lang=en"
    assert set(package.files) == {"imsmanifest.xml", "content/start.html"}
    for stored in package.files.values():
        assert stored.startswith("scorm/") and storages["private"].exists(stored)


def test_admin_upload_of_a_hostile_package_saves_nothing(admin_client):
    organisation = OrganisationFactory()
    before = private_files()
    response = admin_client.post(
        reverse("wagtailsnippets_scorm_scormpackage:add"),
        {
            "package_file": upload(packages.scorm12(**{"../../evil.html": "x"})),
            "organisation": organisation.pk,
        },
    )
    assert response.status_code == 200
    assert "leaves its folder" in response.content.decode()
    assert not ScormPackage.objects.exists()
    assert private_files() == before


def test_a_failure_while_storing_removes_the_files_written(monkeypatch):
    organisation = OrganisationFactory()
    before = private_files()
    calls = {"n": 0}
    original = storages["private"].save

    def failing_save(name, content, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return original(name, content, **kwargs)

    monkeypatch.setattr(storages["private"], "save", failing_save)
    with pytest.raises(OSError):
        stored_package(packages.scorm12(), organisation)
    assert not ScormPackage.objects.exists()
    assert private_files() == before


# Serving ------------------------------------------------------------------------------------------
def file_url(package, path):
    return reverse("courses:scorm_file", args=[package.uuid, path])


def test_enrolled_learner_gets_the_files_others_get_404(enrolled, scorm_course):
    _course, _lesson, package = scorm_course
    response = enrolled.get(file_url(package, "index.html"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"window.parent.API" in b"".join(response.streaming_content)
    assert enrolled.get(file_url(package, "js/sco.js")).status_code == 200
    for path in ("missing.html", "../imsmanifest.xml", "js/../index.html"):
        assert enrolled.get(file_url(package, path)).status_code == 404

    anonymous = Client()
    assert anonymous.get(file_url(package, "index.html")).status_code == 404
    anonymous.force_login(UserFactory())
    assert anonymous.get(file_url(package, "index.html")).status_code == 404  # not enrolled


def test_lesson_plays_the_package_and_hides_mark_as_complete(
    enrolled, scorm_course, django_assert_max_num_queries
):
    _course, lesson, package = scorm_course
    with django_assert_max_num_queries(45) as first_visit:  # the first visit starts the attempt
        enrolled.get(lesson.url)
    with django_assert_max_num_queries(len(first_visit)):
        response = enrolled.get(lesson.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="scorm-player"' in html and "scorm12.min.js" in html
    assert f'data-src="{file_url(package, "index.html")}"' in html
    assert "Mark as complete" not in html
    settings = json.loads(
        html.split('id="scorm-settings" type="application/json">')[1].split("</script>")[0]
    )
    assert settings["version"] == "1.2"
    assert settings["cmi"]["core"]["entry"] == "ab-initio"
    assert settings["cmi"]["core"]["student_name"] == "Zofia Nowak"
    assert "token=" in settings["commitUrl"]


# The runtime's commits ----------------------------------------------------------------------------
def commit(client, attempt, cmi, token=None):
    token = token if token is not None else scorm_services.commit_token(attempt)
    url = reverse("courses:scorm_commit", args=[attempt.pk]) + f"?token={token}"
    return client.post(url, json.dumps({"cmi": cmi}), content_type="application/json")


def test_commits_are_stored_per_attempt_and_complete_the_course(enrolled, learner, scorm_course):
    course, lesson, _package = scorm_course
    enrolled.get(lesson.url)
    attempt = ScormAttempt.objects.get(user=learner, lesson=lesson)

    response = commit(
        enrolled,
        attempt,
        {
            "core": {"lesson_status": "incomplete", "lesson_location": "p2", "score": {}},
            "suspend_data": "q=3",
        },
    )
    assert response.json() == {"result": True, "errorCode": 0, "completed": False}
    attempt.refresh_from_db()
    assert (attempt.location, attempt.suspend_data, attempt.completion_status) == (
        "p2",
        "q=3",
        "incomplete",
    )
    assert not LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()

    # Coming back resumes where the learner left.
    html = enrolled.get(lesson.url).content.decode()
    assert '"entry": "resume"' in html and '"suspend_data": "q=3"' in html

    response = commit(
        enrolled,
        attempt,
        {
            "core": {
                "lesson_status": "passed",
                "score": {"raw": "85", "min": "0", "max": "100"},
                "total_time": "00:02:10",
            }
        },
    )
    assert response.json()["completed"] is True
    attempt.refresh_from_db()
    assert attempt.score_percent == 85 and attempt.satisfied_at is not None
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()
    assert Certificate.objects.filter(user=learner, course=course).exists()  # its only lesson

    # A new attempt starts from the beginning; the first one keeps its record.
    enrolled.post(reverse("courses:scorm_new_attempt", args=[lesson.pk]))
    assert list(
        ScormAttempt.objects.filter(user=learner, lesson=lesson).values_list("number", flat=True)
    ) == [1, 2]


def test_scorm_2004_completion_rules(enrolled, learner, scorm_course):
    course, lesson, _package = scorm_course
    package = stored_package(packages.scorm2004(), course.provider)
    lesson.scorm_package = package
    lesson.save_revision().publish()
    enrolled.get(lesson.url)
    attempt = ScormAttempt.objects.get(user=learner, lesson=lesson)
    assert attempt.package == package
    commit(
        enrolled,
        attempt,
        {"completion_status": "completed", "success_status": "failed", "score": {"scaled": "0.4"}},
    )
    assert not LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()
    commit(
        enrolled,
        attempt,
        {"completion_status": "completed", "success_status": "passed", "score": {"scaled": "0.9"}},
    )
    attempt.refresh_from_db()
    assert attempt.score_percent == 90
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        json.dumps({"cmi": {"core": {"lesson_status": "passed\x00"}}}).encode(),
        json.dumps({"cmi": {"core": {"score": {"raw": "1e400"}}}}).encode(),
        json.dumps({"cmi": {"core": {"score": {"raw": "nan"}}}}).encode(),
        json.dumps({"cmi": {"core": {"score": {"raw": "9" * 30}}}}).encode(),
        json.dumps({"cmi": {"suspend_data": "x" * 5000}}).encode(),
        b"{" + b" " * 600_000 + b"}",
    ],
)
def test_bad_commits_get_an_error_and_save_nothing(enrolled, learner, scorm_course, body):
    _course, lesson, _package = scorm_course
    enrolled.get(lesson.url)
    attempt = ScormAttempt.objects.get(user=learner, lesson=lesson)
    url = (
        reverse("courses:scorm_commit", args=[attempt.pk])
        + "?token="
        + scorm_services.commit_token(attempt)
    )
    response = enrolled.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["result"] is False
    attempt.refresh_from_db()
    assert attempt.commit_count == 0 and attempt.satisfied_at is None


def test_commits_need_the_attempts_token_and_owner(enrolled, learner, scorm_course):
    _course, lesson, _package = scorm_course
    enrolled.get(lesson.url)
    attempt = ScormAttempt.objects.get(user=learner, lesson=lesson)
    passed = {"core": {"lesson_status": "passed"}}
    assert commit(enrolled, attempt, passed, token="forged").status_code == 404
    other = Client()
    other.force_login(UserFactory())
    assert commit(other, attempt, passed).status_code == 404
    attempt.refresh_from_db()
    assert attempt.satisfied_at is None


def test_a_scorm_lesson_cannot_be_marked_complete_by_hand(enrolled, learner, scorm_course):
    _course, lesson, _package = scorm_course
    response = enrolled.post(reverse("courses:lesson_complete", args=[lesson.pk]))
    assert response.status_code == 302
    assert not LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()


def test_a_lesson_offers_only_its_providers_packages(admin_client, scorm_course):
    course, lesson, package = scorm_course
    foreign = stored_package(packages.scorm2004(), OrganisationFactory(), title="Someone else's")
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    html = response.content.decode()
    assert package.title in html
    assert "Someone else&#x27;s" not in html and "Someone else's" not in html
    module = ModulePageFactory(parent=course)
    assert LessonPage.objects.child_of(module).count() == 0
    assert foreign.pk
