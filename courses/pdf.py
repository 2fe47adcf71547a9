"""Certificate PDFs: an HTML template per design, rendered by WeasyPrint with no network.

Images (provider logo, signature) are given to WeasyPrint as ``file://`` URLs of the media or
static files; the URL fetcher below serves only those and ``data:`` URLs, so a certificate
never fetches anything remote (and a crafted URL cannot make the server read other files)."""

import logging
from functools import lru_cache
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from .selectors import platform_look

# WeasyPrint logs every rendering step at INFO; keep its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _allowed_roots():
    roots = [Path(settings.MEDIA_ROOT).resolve()]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    return roots


class LocalOnlyURLFetcher(URLFetcher):
    """Serves ``data:`` URLs and ``file://`` URLs inside the media and static directories;
    refuses everything else (logged by WeasyPrint as a missing resource)."""

    def __init__(self):
        super().__init__(allowed_protocols=["file", "data"], allow_redirects=False)
        self.roots = _allowed_roots()

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(url.split("?")[0].removeprefix("file://")).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"Refusing to read a file outside media and static: {url}")
        elif not url.startswith("data:"):
            raise ValueError(f"Certificates fetch nothing remote: {url}")
        return super().fetch(url, headers)


def _file_url(image):
    """A file:// URL for a Wagtail image's original file, or None."""
    if image is None:
        return None
    try:
        return Path(image.file.path).resolve().as_uri()
    except (NotImplementedError, ValueError, FileNotFoundError):
        return None


@lru_cache(maxsize=256)
def qr_data_url(url):
    """The QR code of ``url`` as a 1-bit PNG data: URL. A raster image costs WeasyPrint a
    fraction of what an inline SVG path of ~600 squares does (see docs/performance.md), and a
    certificate is often rendered twice (issue, then regenerate), hence the small cache."""
    return segno.make(url, error="m").png_data_uri(scale=6, border=0, dark="#17201d")


def certificate_context(certificate):
    course = certificate.course
    provider = course.provider if course else None
    verify_url = certificate.get_verify_url()
    return {
        "certificate": certificate,
        "course": course,
        "platform_name": platform_look().name,
        "verify_url": verify_url,
        "qr_url": qr_data_url(verify_url),
        "provider_logo_url": _file_url(provider.logo if provider else None),
        "signature_url": _file_url(course.signature_image if course else None),
        "signatory_name": course.signatory_name if course else "",
        "signatory_title": course.signatory_title if course else "",
    }


def render_certificate_html(certificate):
    design = certificate.course.certificate_design if certificate.course else "classic"
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
            f"courses/certificates/{design}.html", certificate_context(certificate)
        )


@lru_cache(maxsize=1)
def _font_config():
    # Setting up fontconfig and Pango's font map costs ~10 ms; one per process is enough.
    return FontConfiguration()


# Decoded images (signatures, logos) by URL, shared by the renders of one process: a course's
# signature is decoded once, not once per learner. Bounded by clearing when it grows.
_IMAGE_CACHE = {}
IMAGE_CACHE_SIZE = 64


def render_certificate(certificate) -> bytes:
    html = render_certificate_html(certificate)
    if len(_IMAGE_CACHE) > IMAGE_CACHE_SIZE:
        _IMAGE_CACHE.clear()
    return HTML(
        string=html, base_url=Path(settings.MEDIA_ROOT).as_uri(), url_fetcher=LocalOnlyURLFetcher()
    ).write_pdf(font_config=_font_config(), cache=_IMAGE_CACHE)
