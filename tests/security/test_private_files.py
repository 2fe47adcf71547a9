"""Private files: stored in the private storage under names nobody can guess, never under
MEDIA_ROOT, and handed out only by permission-checked views through cms.files.serve_file.
Every such view is requested here as an outsider (anonymous visitor, another user) and as the
owner."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client, RequestFactory, override_settings
from django.urls import clear_url_caches, reverse
from machina.apps.forum_conversation.forum_attachments.models import Attachment
from machina.apps.forum_conversation.models import Post

from cms.files import StoredFile, media_serve, serve_file
from cms.storage import PrivateFileSystemStorage
from courses import services as course_services
from courses.models import Certificate
from courses.scorm import services as scorm_services
from courses.scorm.models import ScormPackage
from forum.models import WorkingGroup
from tests.courses import scorm_packages
from tests.courses.factories import LessonPageFactory, course_with_lessons, lessons_of
from tests.factories import UserFactory
from tests.forum.factories import WorkingGroupFactory, member, post_form_data, topic_with_posts

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
RANDOM = r"[0-9a-f]{32}"


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def refused(response, secret):
    """An outsider learns nothing: 404 (or the sign-in page for anonymous visitors), and the
    file's bytes are not in the answer."""
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code in (403, 404)
    return secret not in body(response)


@pytest.fixture
def private_attachment():
    coordinator = UserFactory()
    group = WorkingGroupFactory(
        coordinators=[coordinator], visibility=WorkingGroup.Visibility.PRIVATE
    )
    topic = topic_with_posts(group, coordinator, subject="Yarn prices")
    attachment = Attachment.objects.create(
        post=topic.first_post,
        file=SimpleUploadedFile("prices 2026.txt", b"9 EUR/kg"),
        comment="prices",
    )
    url = reverse("forum_conversation:attachment", kwargs={"pk": attachment.pk})
    return {
        "owner": member(group),
        "url": url,
        "secret": b"9 EUR/kg",
        "file": attachment.file,
        "poster": coordinator,
        "topic": topic,
    }


@pytest.fixture
def certificate():
    course = course_with_lessons(modules=1, lessons=1)
    learner = UserFactory(display_name="Zofia Nowak")
    course_services.course_enrol(user=learner, course=course)
    certificate = course_services.lesson_complete(user=learner, lesson=lessons_of(course)[0])
    course_services.certificate_render(certificate=certificate)
    certificate.refresh_from_db()
    url = reverse("courses:certificate_download", args=[certificate.code])
    secret = certificate.pdf.storage.open(certificate.pdf.name).read()
    return {"owner": learner, "url": url, "secret": secret, "file": certificate.pdf}


@pytest.fixture
def scorm_page():
    course = course_with_lessons(modules=1, lessons=0)
    package = scorm_services.package_store(
        package=ScormPackage(title="Check", organisation=course.provider),
        upload=SimpleUploadedFile("p.zip", scorm_packages.scorm12(), "application/zip"),
    )
    LessonPageFactory(parent=course.get_children().first(), scorm_package=package)
    learner = UserFactory()
    course_services.course_enrol(user=learner, course=course)
    path = package.launch_path
    stored = package.stored_name(path)
    url = reverse("courses:scorm_file", args=[package.uuid, path])
    secret = storages["private"].open(stored).read()
    return {"owner": learner, "url": url, "secret": secret, "file": StoredFile(stored)}


PRIVATE_FILES = ["private_attachment", "certificate", "scorm_page"]


@pytest.mark.parametrize("kind", PRIVATE_FILES)
def test_outsiders_never_get_a_private_file_and_the_owner_does(request, kind):
    case = request.getfixturevalue(kind)
    assert refused(Client().get(case["url"]), case["secret"])
    other = Client()
    other.force_login(UserFactory())
    assert refused(other.get(case["url"]), case["secret"])
    owner = Client()
    owner.force_login(case["owner"])
    response = owner.get(case["url"])
    assert response.status_code == 200
    assert body(response) == case["secret"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("kind", PRIVATE_FILES)
def test_private_files_are_not_under_media_and_not_served_there(request, kind):
    case = request.getfixturevalue(kind)
    name = case["file"].name
    assert isinstance(case["file"].storage, PrivateFileSystemStorage)
    assert not (Path(settings.MEDIA_ROOT) / name).exists()
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / name).exists()
    with pytest.raises(Http404):
        media_serve(RequestFactory().get(f"/media/{name}"), name)
    traversal = f"../{Path(settings.PRIVATE_MEDIA_ROOT).name}/{name}"
    # Django answers 400 to SuspiciousFileOperation.
    with pytest.raises((Http404, SuspiciousFileOperation)):
        media_serve(RequestFactory().get("/media/x"), traversal)


def test_attachment_and_certificate_names_cannot_be_guessed(private_attachment, certificate):
    assert re.fullmatch(
        rf"forum/attachments/{RANDOM}/prices_2026\.txt", private_attachment["file"].name
    )
    assert re.fullmatch(rf"certificates/{RANDOM}\.pdf", certificate["file"].name)


def test_attachment_uploaded_through_the_forum_form_is_private(client):
    coordinator = UserFactory()
    group = WorkingGroupFactory(coordinators=[coordinator])
    client.force_login(coordinator)
    data = post_form_data("With file", "see attached", **{"attachment-TOTAL_FORMS": 1})
    data["attachment-0-file"] = SimpleUploadedFile("sorting.pdf", b"%PDF-1.4 sorting")
    data["attachment-0-comment"] = ""
    url = reverse(
        "forum_conversation:topic_create",
        kwargs={"forum_slug": group.forum.slug, "forum_pk": group.forum.pk},
    )
    assert client.post(url, data).status_code == 302
    attachment = Post.objects.get(subject="With file").attachments.get()
    assert re.fullmatch(rf"forum/attachments/{RANDOM}/sorting\.pdf", attachment.file.name)
    assert attachment.filename == "sorting.pdf"
    assert storages["private"].exists(attachment.file.name)
    download = client.get(reverse("forum_conversation:attachment", kwargs={"pk": attachment.pk}))
    assert 'filename="sorting.pdf"' in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("method", "header", "expected"),
    [
        ("x-accel-redirect", "X-Accel-Redirect", "/_private/{name}"),
        ("x-sendfile", "X-Sendfile", "{root}/{name}"),
    ],
)
def test_the_proxy_can_send_the_file(private_attachment, method, header, expected):
    client = Client()
    client.force_login(private_attachment["owner"])
    with override_settings(PRIVATE_FILE_SERVE=method):
        response = client.get(private_attachment["url"])
        outsider = Client()
        outsider.force_login(UserFactory())
        assert outsider.get(private_attachment["url"]).status_code == 404
    name = private_attachment["file"].name
    assert response.status_code == 200
    assert response.content == b""
    assert response[header] == expected.format(name=name, root=settings.PRIVATE_MEDIA_ROOT)
    assert 'filename="prices_2026.txt"' in response["Content-Disposition"]


def test_a_missing_private_file_is_404_not_500(private_attachment):
    storages["private"].delete(private_attachment["file"].name)
    client = Client()
    client.force_login(private_attachment["owner"])
    assert client.get(private_attachment["url"]).status_code == 404


def test_every_view_that_serves_a_private_file_is_tested_here():
    """A new caller of serve_file needs an entry in PRIVATE_FILES."""
    callers = {
        str(path.relative_to(ROOT))
        for app in ("cms", "courses", "forum", "exchange")
        for path in (ROOT / app).rglob("*.py")
        if "serve_file(" in path.read_text() and path.name != "files.py"
    }
    assert callers == {"courses/views.py", "courses/scorm/views.py", "forum/machina_overrides.py"}
    assert len(PRIVATE_FILES) == len(callers)


def test_serve_file_refuses_an_empty_file(rf):
    with pytest.raises(Http404):
        serve_file(rf.get("/"), StoredFile(""))


def test_existing_public_attachment_moves_to_the_private_storage(private_attachment):
    """The data migration (forum 0004) on a file machina stored the old way."""
    migration = importlib.import_module("forum.migrations.0004_private_attachments")
    attachment = Attachment.objects.get()
    old_name = storages["default"].save("machina/attachments/prices.txt", ContentFile(b"old"))
    Attachment.objects.filter(pk=attachment.pk).update(file=old_name)
    migration.move_attachments(django_apps, None)
    attachment.refresh_from_db()
    assert re.fullmatch(rf"forum/attachments/{RANDOM}/prices\.txt", attachment.file.name)
    assert not storages["default"].exists(old_name)
    assert storages["private"].open(attachment.file.name).read() == b"old"
    migration.move_attachments(django_apps, None)  # idempotent
    assert Attachment.objects.get().file.name == attachment.file.name


def test_certificate_named_after_its_code_gets_a_random_name(certificate):
    migration = importlib.import_module("courses.migrations.0006_private_certificate_names")
    row = Certificate.objects.get()
    old_name = storages["default"].save(f"certificates/{row.code}.pdf", ContentFile(b"%PDF"))
    Certificate.objects.filter(pk=row.pk).update(pdf=old_name)
    migration.rename_certificates(django_apps, None)
    row.refresh_from_db()
    assert re.fullmatch(rf"certificates/{RANDOM}\.pdf", row.pdf.name)
    assert row.code not in row.pdf.name
    assert not storages["default"].exists(old_name)
    assert storages["private"].open(row.pdf.name).read() == b"%PDF"


def test_public_media_is_served_with_caching_and_a_sandbox(rf):
    name = storages["default"].save("images/weave.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    response = media_serve(rf.get(f"/media/{name}"), name)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == f"public, max-age={settings.MEDIA_CACHE_SECONDS}"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline")
    page = storages["default"].save("files/page.html", ContentFile(b"<script>x</script>"))
    download = media_serve(rf.get(f"/media/{page}"), page)
    assert download["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("debug", "media_serve_on", "served"),
    [(False, False, False), (False, True, True), (True, False, True)],
)
def test_media_url_is_routed_only_when_nothing_else_serves_it(debug, media_serve_on, served):
    import cms.urls

    try:
        with override_settings(DEBUG=debug, MEDIA_SERVE=media_serve_on):
            urls = importlib.reload(cms.urls)
            routed = any(
                getattr(pattern, "callback", None) is media_serve for pattern in urls.urlpatterns
            )
    finally:
        importlib.reload(cms.urls)
        clear_url_caches()
    assert routed is served


def test_editing_a_post_with_an_attachment_links_the_download_view(private_attachment):
    """The form's file field shows the saved attachment by name, linked to the permission-
    checked view (the private file has no URL of its own: this page answered 500)."""
    topic = private_attachment["topic"]
    client = Client()
    client.force_login(private_attachment["poster"])
    url = reverse(
        "forum_conversation:topic_update",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum.pk,
            "slug": topic.slug,
            "pk": topic.pk,
        },
    )
    response = client.get(url)
    assert response.status_code == 200
    assert f'href="{private_attachment["url"]}">prices_2026.txt</a>' in response.content.decode()
