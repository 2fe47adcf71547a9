"""Every place that writes or reads files works on S3-compatible object storage: moto in
server mode on a loopback port stands in for the object store, the storages are the ones
``S3_BUCKET`` selects (cms/settings/object_storage.py)."""

import io
import urllib.error
import urllib.request
import zipfile

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from machina.apps.forum_conversation.forum_attachments.models import Attachment
from PIL import Image
from wagtail.documents.models import Document
from wagtail_factories import ImageFactory

from cms.settings.object_storage import s3_storages
from cms.storage import PrivateS3Storage, private_file_url, private_storage
from courses import services
from exchange.models import ListingPhoto
from tests.courses.factories import course_with_lessons, lessons_of
from tests.exchange.factories import MembershipFactory, SiteFactory, VerifiedOrganisationFactory
from tests.exchange.test_listings import listing_data
from tests.factories import UserFactory
from tests.forum.factories import WorkingGroupFactory, member, topic_with_posts
from tests.s3_server import ACCESS_KEY, REGION, SECRET_KEY, object_keys, s3_server

pytestmark = pytest.mark.django_db
BUCKET = "tvc-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    with s3_server(BUCKET) as endpoint:
        yield endpoint


@pytest.fixture
def object_storage(s3_endpoint):
    """Media and private files on the local S3 server for one test. File fields that were
    given the private storage when their model was defined are pointed at it too."""
    configured = {
        **settings.STORAGES,
        **s3_storages(
            bucket=BUCKET,
            endpoint_url=s3_endpoint,
            region=REGION,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
        ),
    }
    private_fields = {
        field: field.storage
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if getattr(field, "_storage_callable", None) is private_storage
    }
    try:
        with override_settings(STORAGES=configured):
            for field in private_fields:
                field.storage = storages["private"]
            yield s3_endpoint
    finally:
        # Restored outside the override: inside it, private_storage() is still the S3 one,
        # and later tests would write to a server that has stopped.
        for field, storage in private_fields.items():
            field.storage = storage


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
        return response.read()


def _png(colour="green"):
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _body(response):
    """The file a download view hands out: private files on object storage come by a redirect
    to a short-lived presigned URL (cms.files.serve_file)."""
    if response.status_code == 302:
        assert "X-Amz-Signature=" in response["Location"]
        assert "private, no-store" in response["Cache-Control"]
        return _get(response["Location"])
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_wagtail_image_and_rendition_live_in_the_bucket(object_storage):
    image = ImageFactory(file__from_func=lambda: io.BytesIO(_png()), file__filename="logo.png")
    rendition = image.get_rendition("fill-60x30")
    keys = object_keys(object_storage, BUCKET, "media/")
    assert f"media/{image.file.name}" in keys
    assert f"media/{rendition.file.name}" in keys
    assert rendition.url.startswith(object_storage)
    with Image.open(io.BytesIO(_get(rendition.url))) as fetched:
        assert fetched.size == (60, 30)
    with pytest.raises(NotImplementedError):
        image.file.path  # noqa: B018 (there is no local file: nothing may rely on one)


def test_wagtail_document_is_served_through_its_view(client, object_storage, admin_user):
    document = Document.objects.create(
        title="Edition", file=ContentFile(b"%PDF-1.4 edition", name="edition.pdf")
    )
    # Documents are private files (cms/documents.py), streamed by Wagtail's view.
    assert f"private/{document.file.name}" in object_keys(object_storage, BUCKET, "private/")
    assert not object_keys(object_storage, BUCKET, "media/documents/")
    response = client.get(document.url)
    assert response.status_code == 200
    assert _body(response) == b"%PDF-1.4 edition"


def test_listing_photo_upload_is_stored_and_readable(client, object_storage):
    organisation = VerifiedOrganisationFactory()
    site = SiteFactory(organisation=organisation)
    owner = MembershipFactory(organisation=organisation)
    client.force_login(owner.user)
    data = listing_data(site)
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(jpeg, format="JPEG")
    data["photo-image"] = SimpleUploadedFile("bales.jpg", jpeg.getvalue(), "image/jpeg")
    data["photo-alt_text"] = "Bales of white cuttings"
    client.post(reverse("exchange:listing_create"), data)
    photo = ListingPhoto.objects.get()
    assert f"media/{photo.image.name}" in object_keys(object_storage, BUCKET, "media/exchange/")
    assert (photo.image.width, photo.image.height) == (40, 30)
    with Image.open(io.BytesIO(_get(photo.image.url))) as fetched:
        assert fetched.format == "JPEG"


def test_forum_attachment_is_downloaded_through_the_permission_checked_view(client, object_storage):
    coordinator = UserFactory()
    group = WorkingGroupFactory(coordinators=[coordinator])
    topic = topic_with_posts(group, coordinator)
    attachment = Attachment.objects.create(
        post=topic.first_post, file=SimpleUploadedFile("prices.txt", b"9 EUR/kg"), comment="x"
    )
    client.force_login(member(group))
    response = client.get(reverse("forum_conversation:attachment", kwargs={"pk": attachment.pk}))
    assert response.status_code == 302
    assert _body(response) == b"9 EUR/kg"
    assert attachment.file.name.startswith("forum/attachments/")
    assert f"private/{attachment.file.name}" in object_keys(object_storage, BUCKET, "private/")


def test_certificate_pdf_logo_signature_and_zip_on_object_storage(client, object_storage):
    course = course_with_lessons(modules=1, lessons=1)
    course.provider.logo = ImageFactory(
        file__from_func=lambda: io.BytesIO(_png("blue")), file__filename="cluster.png"
    )
    course.provider.save()
    course.signature_image = ImageFactory(
        file__from_func=lambda: io.BytesIO(_png("black")), file__filename="signature.png"
    )
    course.save()
    learner = UserFactory(display_name="Zofia Nowak")
    services.course_enrol(user=learner, course=course)
    certificate = services.lesson_complete(user=learner, lesson=lessons_of(course)[0])
    services.certificate_render(certificate=certificate)
    certificate.refresh_from_db()
    stored = certificate.pdf.storage.open(certificate.pdf.name).read()
    assert stored.startswith(b"%PDF")
    assert b"/Subtype /Image" in stored or b"/Subtype/Image" in stored  # logo and signature
    client.force_login(learner)
    download = client.get(reverse("courses:certificate_download", args=[certificate.code]))
    assert download.status_code == 302 and _body(download).startswith(b"%PDF")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    archive = client.get(reverse("courses_admin:course_certificates_zip", args=[course.pk]))
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert names == [f"zofia-nowak-{certificate.code}.pdf"]


def test_private_files_have_no_public_url_only_a_short_lived_one(object_storage):
    storage = storages["private"]
    assert isinstance(storage, PrivateS3Storage)
    name = storage.save("certificates/secret.pdf", ContentFile(b"%PDF secret"))
    assert f"private/{name}" in object_keys(object_storage, BUCKET, "private/")
    with pytest.raises(ValueError):
        storage.url(name)
    with pytest.raises(urllib.error.HTTPError) as refused:  # the object itself is not public
        _get(f"{object_storage}/{BUCKET}/private/{name}")
    assert refused.value.code == 403
    field_file = type("Stored", (), {"storage": storage, "name": name})()
    url = private_file_url(field_file, filename="secret.pdf", expire=30)
    assert "X-Amz-Expires=30" in url and "X-Amz-Signature=" in url
    assert _get(url) == b"%PDF secret"
