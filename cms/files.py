"""Serving stored files: one helper for every view that hands out a private file, and the view
that serves public media when nothing in front of Django does.

A view checks permissions first, then answers ``serve_file(request, file, ...)``. How the bytes
travel is a setting, ``PRIVATE_FILE_SERVE``:

- ``django`` (default): Django streams the file from its storage (``FileResponse``).
- ``x-accel-redirect``: Django answers headers only, with ``X-Accel-Redirect:
  PRIVATE_FILE_ACCEL_PREFIX + name``; nginx serves the file from an ``internal`` location
  (README, "Private files").
- ``x-sendfile``: the same with ``X-Sendfile: <absolute path>`` (Apache mod_xsendfile, lighttpd).

On object storage (``S3_BUCKET``) the answer is a redirect to a presigned URL valid for
``PRIVATE_FILE_URL_EXPIRY`` seconds, whatever ``PRIVATE_FILE_SERVE`` says.
"""

import mimetypes
import posixpath
import uuid
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import Storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from django.views.static import serve as static_serve

from .storage import private_file_url, private_storage

SERVE_METHODS = ("django", "x-accel-redirect", "x-sendfile")

# Media that a browser could run as a page of this site (HTML, SVG with script): served from
# /media/ only as downloads, and every media response carries a sandboxing policy.
MEDIA_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
)


@dataclass(frozen=True)
class StoredFile:
    """A file known by its storage and name only (a SCORM package's page), for ``serve_file``."""

    name: str
    storage: Storage = field(default_factory=private_storage)

    def __bool__(self):
        return bool(self.name)


def random_file_name(prefix, filename, *, keep_name=False, extension=None):
    """A storage name nobody can guess.

    ``<prefix>/<32 hex digits>.<extension>`` by default; with ``keep_name``,
    ``<prefix>/<32 hex digits>/<original name>`` (the random folder is the secret; the
    original name stays the name of the download, as machina shows attachments by it)."""
    token = uuid.uuid4().hex
    original = PurePosixPath(filename or "").name
    if keep_name and original:
        return posixpath.join(prefix, token, original)
    suffix = (extension if extension is not None else PurePosixPath(original).suffix).lower()
    suffix = suffix.lstrip(".")
    if not suffix.isalnum() or len(suffix) > 10:
        suffix = "bin"
    return posixpath.join(prefix, f"{token}.{suffix}")


def move_file(name, *, sources, target, new_name):
    """Move a stored file into ``target`` under ``new_name`` (data migrations that make public
    or guessable files private). ``sources`` are the storages to look in, in order. Returns the
    name ``target`` saved it under, or ``None`` when no source has the file (the row is then
    left as it was)."""
    for source in sources:
        if not source.exists(name):
            continue
        with source.open(name, "rb") as handle:
            saved = target.save(new_name, handle)
        source.delete(name)
        return saved
    return None


def serve_file(
    request,
    file,
    *,
    filename=None,
    content_type=None,
    as_attachment=True,
    allow_redirect=True,
    cache_seconds=0,
):
    """The response that hands ``file`` (a ``FieldFile``, or any object with ``name`` and
    ``storage``) to a visitor who has already passed the caller's permission check.

    ``filename`` is what the browser saves it as (default: the stored name's last part).
    ``allow_redirect=False`` keeps the bytes on this origin even on object storage (a SCORM
    package whose pages load their neighbours by relative URL). 404 when the file is gone."""
    if not file or not file.name:
        raise Http404
    name = file.name
    filename = filename or posixpath.basename(name)
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"

    if allow_redirect:
        url = private_file_url(
            file,
            filename=filename,
            expire=settings.PRIVATE_FILE_URL_EXPIRY,
            as_attachment=as_attachment,
        )
        if url:
            response = HttpResponseRedirect(url)
            response["Cache-Control"] = "private, no-store"
            return response

    method = settings.PRIVATE_FILE_SERVE
    if method == "django":
        try:
            handle = file.storage.open(name, "rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle, content_type=content_type, as_attachment=as_attachment, filename=filename
        )
    else:
        if not file.storage.exists(name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        if method == "x-accel-redirect":
            response["X-Accel-Redirect"] = settings.PRIVATE_FILE_ACCEL_PREFIX + name
        else:
            response["X-Sendfile"] = file.storage.path(name)
        disposition = content_disposition_header(as_attachment, filename)
        if disposition:
            response["Content-Disposition"] = disposition
    response["Cache-Control"] = (
        f"private, max-age={cache_seconds}" if cache_seconds else "private, no-store"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def media_serve(request, path):
    """Public media (page images, listing photos, logos) from ``MEDIA_ROOT`` when ``MEDIA_SERVE``
    is on: the production path on one machine without a proxy or object storage in front (README,
    "Media in production"). Only files under ``MEDIA_ROOT`` are reachable (Django's ``serve``
    refuses ``..`` and absolute paths); private files are elsewhere and never answered here."""
    if path.startswith("documents/"):
        # Wagtail's documents are private files served by its view (cms/documents.py); a file
        # left here by an old upload is not answered either.
        raise Http404
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = f"public, max-age={settings.MEDIA_CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CONTENT_SECURITY_POLICY
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(("image/", "video/", "audio/")) or "svg" in content_type:
        response["Content-Disposition"] = content_disposition_header(True, posixpath.basename(path))
    return response
