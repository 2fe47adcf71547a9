"""Wagtail documents: files in the private storage under random folders (never at
/media/documents/<name>), served only by Wagtail's view after the privacy checks of their
collection and of the pages that use them. Requested here as an outsider, as a signed-in
visitor and as someone who passed the restriction."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import Http404
from django.test import Client
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from cms.files import media_serve
from cms.storage import PrivateFileSystemStorage
from tests.cms.factories import build_site_tree, story
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
RANDOM = r"[0-9a-f]{32}"


def _document(title, content, collection=None):
    return Document.objects.create(
        title=title,
        file=ContentFile(content, name=f"{title}.txt"),
        collection=collection or Collection.get_first_root_node(),
    )


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _used_by(document, parent, **fields):
    """A live story whose body links ``document``."""
    return story(parent, body=[("document", {"document": document, "title": document.title})])


@pytest.fixture
def documents():
    tree = build_site_tree()
    private_collection = Collection.get_first_root_node().add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=private_collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    docs = {
        "public": _document("brochure", b"public brochure"),
        "collection": _document("minutes", b"board minutes", private_collection),
        "private_page": _document("pricing", b"member pricing"),
        "password_page": _document("tender", b"tender terms"),
        "draft_page": _document("draft", b"draft results"),
    }
    _used_by(docs["public"], tree["stories"])
    private = _used_by(docs["private_page"], tree["stories"])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    protected = _used_by(docs["password_page"], tree["stories"])
    PageViewRestriction.objects.create(
        page=protected, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    draft = _used_by(docs["draft_page"], tree["stories"])
    draft.unpublish()
    return docs


def test_document_files_are_private_and_not_guessable(documents):
    for document in documents.values():
        name = document.file.name
        assert isinstance(document.file.storage, PrivateFileSystemStorage)
        assert re.fullmatch(rf"documents/{RANDOM}/\w+\.txt", name)
        assert not (Path(settings.MEDIA_ROOT) / name).exists()
        assert (Path(settings.PRIVATE_MEDIA_ROOT) / name).exists()
        assert document.filename == f"{document.title}.txt"
        media = Client().get(f"/media/{name}")
        assert media.status_code == 404
        assert Client().get(f"/media/documents/{document.filename}").status_code == 404


def test_an_old_file_left_under_media_documents_is_not_served(rf):
    name = storages["default"].save("documents/old-minutes.txt", ContentFile(b"old"))
    try:
        with pytest.raises(Http404):
            media_serve(rf.get(f"/media/{name}"), name)
    finally:
        storages["default"].delete(name)


@pytest.mark.parametrize(
    ("kind", "secret"),
    [
        ("collection", b"board minutes"),
        ("private_page", b"member pricing"),
        ("password_page", b"tender terms"),
        ("draft_page", b"draft results"),
    ],
)
def test_outsiders_never_get_a_private_document(documents, kind, secret):
    url = documents[kind].url
    assert url.startswith("/documents/")
    anonymous = Client().get(url)
    assert secret not in _body(anonymous)
    if kind == "draft_page":
        assert anonymous.status_code == 404
    elif kind == "password_page":
        assert anonymous.status_code == 200
        assert b'name="password"' in anonymous.content
    else:
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/_util/login/")
    assert "no-cache" in anonymous.get("Cache-Control", "no-cache")


def test_signed_in_visitors_get_login_restricted_documents(documents):
    client = Client()
    client.force_login(UserFactory())
    for kind, secret in (("collection", b"board minutes"), ("private_page", b"member pricing")):
        response = client.get(documents[kind].url)
        assert response.status_code == 200
        assert _body(response) == secret
    assert client.get(documents["draft_page"].url).status_code == 404


def test_the_page_password_opens_its_document(documents):
    client = Client()
    url = documents["password_page"].url
    form = client.get(url)
    action = re.search(rb'action="([^"]+)"', form.content).group(1).decode()
    assert client.post(action, {"password": "wrong", "return_url": url}).status_code == 200
    response = client.post(action, {"password": "s3cret", "return_url": url})
    assert response.status_code == 302
    assert _body(client.get(url)) == b"tender terms"


def test_public_documents_stay_public(documents):
    response = Client().get(documents["public"].url)
    assert response.status_code == 200
    assert _body(response) == b"public brochure"
    # Used by a private page too: still public through the public page.
    document = documents["private_page"]
    _used_by(document, Page.objects.get(slug="stories"))
    assert _body(Client().get(document.url)) == b"member pricing"


def test_an_existing_public_document_moves_to_the_private_storage(documents):
    migration = importlib.import_module("cms.migrations.0008_private_documents")
    document = documents["public"]
    old_name = storages["default"].save("documents/brochure.txt", ContentFile(b"old brochure"))
    Document.objects.filter(pk=document.pk).update(file=old_name)
    migration.move_documents(django_apps, None)
    document.refresh_from_db()
    assert re.fullmatch(rf"documents/{RANDOM}/brochure\.txt", document.file.name)
    assert not storages["default"].exists(old_name)
    assert storages["private"].open(document.file.name).read() == b"old brochure"
    migration.move_documents(django_apps, None)  # idempotent
    assert Document.objects.get(pk=document.pk).file.name == document.file.name
