"""Certificate PDFs: an HTML template per design, rendered by WeasyPrint with no network.

Images (provider logo, signature) are read through the storage API (local disk or object
storage alike) from a rendition of bounded size and given to WeasyPrint as ``data:`` URLs; the
URL fetcher below serves only those and ``file://`` URLs of the static files, so a certificate
never fetches anything remote (and a crafted URL cannot make the server read other files)."""

import base64
import logging
import mimetypes
from functools import lru_cache
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage, storages
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from .selectors import platform_look

logger = logging.getLogger(__name__)
# WeasyPrint logs every rendering step at INFO; keep its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _allowed_roots():
    roots = []
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    return roots


class LocalOnlyURLFetcher(URLFetcher):
    """Serves ``data:`` URLs and ``file://`` URLs inside the static directories;
    refuses everything else (logged by WeasyPrint as a missing resource)."""

    def __init__(self):
        super().__init__(allowed_protocols=["file", "data"], allow_redirects=False)
        self.roots = _allowed_roots()

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(url.split("?")[0].removeprefix("file://")).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"Refusing to read a file outside the static files: {url}")
        elif not url.startswith("data:"):
            raise ValueError(f"Certificates fetch nothing remote: {url}")
        return super().fetch(url, headers)


# Logos and signatures are printed at most a few centimetres wide: a rendition this size is
# sharp enough and keeps large originals out of every PDF.
IMAGE_RENDITION = "max-800x400"


@lru_cache(maxsize=64)
def _stored_file_data_url(storage_alias, name):
    """The stored file as a ``data:`` URL, read once per process (rendition names change when
    the image does, so the cache is never stale)."""
    storage = storages[storage_alias] if storage_alias else default_storage
    with storage.open(name, "rb") as stored:
        content = stored.read()
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def _image_data_url(image):
    """A ``data:`` URL of a Wagtail image's rendition, or None when it cannot be read."""
    if image is None:
        return None
    try:
        rendition = image.get_rendition(IMAGE_RENDITION)
        return _stored_file_data_url(None, rendition.file.name)
    except (OSError, ValueError):  # Wagtail's SourceImageIOError is an OSError
        logger.warning("Certificate image %s could not be read", image.pk, exc_info=True)
        return None


@lru_cache(maxsize=256)
def qr_data_url(url):
    """The QR code of ``url`` as a 1-bit PNG data: URL. A raster image costs WeasyPrint a
    fraction of what an inline SVG path of ~600 squares does (see docs/performance.md), and a
    certificate is often rendered twice (issue, then regenerate), hence the small cache."""
    return segno.make(url, error="m").png_data_uri(scale=6, border=0, dark="#17201d")


def _shared(shared, key, compute):
    """``compute()``, kept in ``shared`` (a dict a batch of renders passes along) when given:
    a cohort's certificates share the platform's name and the course's images, read once."""
    if shared is None:
        return compute()
    if key not in shared:
        shared[key] = compute()
    return shared[key]


def certificate_context(certificate, *, shared=None):
    course = certificate.course
    provider = course.provider if course else None
    verify_url = certificate.get_verify_url()
    # Keyed by the images' ids: the image rows themselves are read once per batch.
    logo_id = provider.logo_id if provider else None
    signature_id = course.signature_image_id if course else None
    return {
        "certificate": certificate,
        "course": course,
        "platform_name": _shared(shared, "platform_name", lambda: platform_look().name),
        "verify_url": verify_url,
        "qr_url": qr_data_url(verify_url),
        "provider_logo_url": _shared(
            shared, ("image", logo_id), lambda: _image_data_url(provider.logo if logo_id else None)
        ),
        "signature_url": _shared(
            shared,
            ("image", signature_id),
            lambda: _image_data_url(course.signature_image if signature_id else None),
        ),
        "signatory_name": course.signatory_name if course else "",
        "signatory_title": course.signatory_title if course else "",
    }


def _design(certificate):
    return certificate.course.certificate_design if certificate.course else "classic"


def render_certificate_html(certificate, *, shared=None):
    """The certificate's HTML, without its styles (``certificate_stylesheets``)."""
    design = _design(certificate)
    # The certificate speaks the course's language when the site has it, else the learner's.
    interface = {code for code, _name in settings.LANGUAGES}
    course_language = certificate.course.language if certificate.course else None
    language = (
        course_language
        if course_language in interface
        else certificate.user.preferred_language or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        return render_to_string(
            f"courses/certificates/{design}.html",
            certificate_context(certificate, shared=shared),
        )


@lru_cache(maxsize=1)
def _font_config():
    # Setting up fontconfig and Pango's font map costs ~10 ms; one per process is enough.
    return FontConfiguration()


@lru_cache(maxsize=4)
def certificate_stylesheets(design):
    """The design's styles, parsed by WeasyPrint once per process: parsing them again for every
    certificate cost a tenth of a render (docs/performance.md)."""
    return [
        CSS(
            string=render_to_string(f"courses/certificates/{name}.css"),
            font_config=_font_config(),
        )
        for name in ("base", design)
    ]


# Decoded images (signatures, logos) by URL, shared by the renders of one process: a course's
# signature is decoded once, not once per learner. Bounded by clearing when it grows.
_IMAGE_CACHE = {}
IMAGE_CACHE_SIZE = 64


def render_certificate(certificate, *, shared=None) -> bytes:
    """The certificate as a PDF. ``shared``: a dict kept across the renders of a batch (see
    ``certificate_context``)."""
    html = render_certificate_html(certificate, shared=shared)
    if len(_IMAGE_CACHE) > IMAGE_CACHE_SIZE:
        _IMAGE_CACHE.clear()
    return HTML(string=html, url_fetcher=LocalOnlyURLFetcher()).write_pdf(
        stylesheets=certificate_stylesheets(_design(certificate)),
        font_config=_font_config(),
        cache=_IMAGE_CACHE,
    )
