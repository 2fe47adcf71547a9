"""Hardening of what users upload and write: image pixel limits (refused before decoding) and
no remote images in forum posts."""

import importlib
import struct
import zlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from machina.apps.forum_conversation.models import Post
from PIL import Image, ImageFile
from wagtail.images.fields import WagtailImageField

from cms.images import image_pixels_check
from exchange.forms import strip_metadata
from forum.markup import markdown
from tests.factories import UserFactory
from tests.forum.factories import WorkingGroupFactory, post_form_data, topic_with_posts

pytestmark = pytest.mark.django_db


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(side=13_000):
    """A valid PNG of side × side black pixels (one bit each) in about 20 KB."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def bomb():
    return bomb_png()


@pytest.fixture
def no_decoding(monkeypatch):
    """Any attempt to decode pixels fails the test: the size must be refused from the header."""

    def load(self):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)


def test_the_bomb_is_small_and_huge(bomb):
    assert len(bomb) < 40_000
    assert 13_000 * 13_000 > settings.IMAGE_MAX_PIXELS


def test_pillow_limit_follows_the_setting():
    assert Image.MAX_IMAGE_PIXELS == settings.IMAGE_MAX_PIXELS
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == settings.IMAGE_MAX_PIXELS


def test_pixel_check_refuses_the_bomb_with_a_message_without_decoding(bomb, no_decoding):
    with pytest.raises(ValidationError) as refused:
        image_pixels_check(SimpleUploadedFile("bomb.png", bomb))
    # Over twice the limit Pillow itself refuses to open it (Image.MAX_IMAGE_PIXELS).
    assert "too large" in refused.value.messages[0]


def test_pixel_check_names_the_size_of_an_image_just_over_the_limit(no_decoding):
    with pytest.raises(ValidationError) as refused:
        image_pixels_check(SimpleUploadedFile("big.png", bomb_png(side=7_000)))
    assert "7000 × 7000" in refused.value.messages[0]


def test_pixel_check_passes_a_normal_image_and_non_images():
    image_pixels_check(SimpleUploadedFile("small.png", bomb_png(side=64)))
    image_pixels_check(SimpleUploadedFile("notes.txt", b"just text"))


def test_listing_photo_bomb_is_refused_with_a_message(bomb, no_decoding):
    with pytest.raises(ValidationError) as refused:
        strip_metadata(SimpleUploadedFile("bomb.png", bomb, content_type="image/png"))
    assert "too large" in refused.value.messages[0]


def test_wagtail_image_bomb_is_refused_with_a_message(bomb):
    with pytest.raises(ValidationError) as refused:
        WagtailImageField().clean(SimpleUploadedFile("bomb.png", bomb, content_type="image/png"))
    assert "pixels" in " ".join(refused.value.messages)


def test_forum_attachment_bomb_is_refused_with_a_message_and_nothing_saved(client, bomb):
    coordinator = UserFactory()
    group = WorkingGroupFactory(coordinators=[coordinator])
    client.force_login(coordinator)
    data = post_form_data("With a picture", "see attached", **{"attachment-TOTAL_FORMS": 1})
    data["attachment-0-file"] = SimpleUploadedFile("bomb.png", bomb)
    data["attachment-0-comment"] = ""
    url = reverse(
        "forum_conversation:topic_create",
        kwargs={"forum_slug": group.forum.slug, "forum_pk": group.forum.pk},
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "too large" in response.content.decode()
    assert not Post.objects.filter(subject="With a picture").exists()


RENDER = {"safe_mode": True, "extras": {"break-on-newline": True}}


@pytest.mark.parametrize(
    "source",
    [
        "![tracker](https://tracker.example/pixel.gif)",
        '![tracker](http://tracker.example/pixel.gif?reader=1&x=2 "hi")',
        "![tracker][1]\n\n[1]: https://tracker.example/ref.gif",
        "![tracker](//tracker.example/proto.gif)",
    ],
)
def test_remote_images_in_posts_become_links(source):
    html = markdown(source, **RENDER)
    assert "<img" not in html
    assert "tracker" in html


def test_local_images_stay_images():
    html = markdown("![chart](/media/images/chart.png)", **RENDER)
    assert '<img src="/media/images/chart.png" alt="chart"' in html


def test_posts_are_rendered_with_the_safe_renderer(db):
    coordinator = UserFactory()
    group = WorkingGroupFactory(coordinators=[coordinator])
    topic = topic_with_posts(
        group, coordinator, content="Look ![x](https://tracker.example/pixel.gif)"
    )
    rendered = topic.first_post.content.rendered
    assert "<img" not in rendered
    assert 'href="https://tracker.example/pixel.gif"' in rendered


def test_posts_rendered_before_are_fixed_by_the_migration(db):
    coordinator = UserFactory()
    group = WorkingGroupFactory(coordinators=[coordinator])
    post = topic_with_posts(group, coordinator, content="old").first_post
    old = '<p><img src="https://tracker.example/old.gif" alt="old" /></p>'
    Post.objects.filter(pk=post.pk).update(_content_rendered=old)
    migration = importlib.import_module("forum.migrations.0005_remote_images_as_links")
    migration.relink_remote_images(django_apps, None)
    stored = Post.objects.values_list("_content_rendered", flat=True).get(pk=post.pk)
    assert "<img" not in stored and "https://tracker.example/old.gif" in stored
