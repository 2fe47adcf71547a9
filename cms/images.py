"""One limit on the pixels of every uploaded image (``IMAGE_MAX_PIXELS``).

A 20 KB PNG can declare 13,000 × 13,000 pixels and take a worker past a gigabyte once decoded.
Pillow reads the size from the header without decoding; ``image_pixels_check`` refuses such a
file with a message, and Pillow's own decompression-bomb limit (``Image.MAX_IMAGE_PIXELS``, set
from the same setting in CmsConfig.ready) stops any other code path that opens one at twice
the limit. Wagtail's
images (page images, logos) use the same number through ``WAGTAILIMAGES_MAX_IMAGE_PIXELS``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff"}


def pillow_limit_set():
    """Pillow warns above MAX_IMAGE_PIXELS and refuses to open an image over twice that
    (default about 89 million, so 178 million pixels): the site's limit makes that 80 million
    for any code path, uploads are refused with a message above 40 million."""
    Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS


def _too_large(width=None, height=None):
    limit = f"{settings.IMAGE_MAX_PIXELS / 1_000_000:g}"
    if width and height:
        message = _(
            "The image is too large: %(width)s × %(height)s pixels. The limit is %(limit)s "
            "megapixels; make it smaller and upload it again."
        ) % {"width": width, "height": height, "limit": limit}
    else:
        message = _(
            "The image is too large. The limit is %(limit)s megapixels; make it smaller and "
            "upload it again."
        ) % {"limit": limit}
    return ValidationError(message, code="image_too_large")


def image_pixels_check(upload):
    """Raise ValidationError when ``upload`` (an open file) is an image over
    ``IMAGE_MAX_PIXELS``. Reads the header only and leaves the file at its start. Files Pillow
    cannot read are left to the caller's own checks."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_large() from error
    except (UnidentifiedImageError, OSError, ValueError):
        return
    finally:
        upload.seek(0)
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise _too_large(width, height)
