"""Where uploaded files live.

Public media (page images, listing photos) use Django's ``default`` storage under
``MEDIA_URL``. Files that only some people may read use the ``private`` storage: it has no
public URL, and a view checks permissions before it serves a file.

Both are on local disk by default and on S3-compatible object storage when ``S3_BUCKET`` is
set (cms/settings/base.py). Code reads and writes files only through the storage API
(``open``, ``save``, ``delete``, ``exists``), never through ``.path``, so either works."""

from django.core.files.storage import FileSystemStorage, storages
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage


class NoPublicURL(ValueError, NotImplementedError):
    """A private file was asked for its URL. A ``NotImplementedError`` too, which is how a
    storage says it has no URL to code that asks politely (Wagtail's document serve view then
    streams the file)."""


class PrivateFileSystemStorage(FileSystemStorage):
    """Local private storage: files outside ``MEDIA_ROOT`` with no URL of their own."""

    def url(self, name):
        raise NoPublicURL("Private files have no public URL; serve them through a view.")


class PrivateS3Storage(S3Storage):
    """Private objects (no public ACL) with no public URL of their own. After its permission
    check a view may stream the file or redirect to ``presigned_url`` (valid for seconds)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NoPublicURL("Private files have no public URL; serve them through a view.")

    def presigned_url(self, name, *, filename=None, expire=60, as_attachment=True):
        parameters = {}
        if filename:
            parameters["ResponseContentDisposition"] = content_disposition_header(
                as_attachment, filename
            )
        return super().url(name, parameters=parameters, expire=expire)


def private_storage():
    """The private storage, for ``FileField(storage=private_storage)``: a callable, so
    migrations do not record the settings of one machine."""
    return storages["private"]


def private_file_url(file, *, filename=None, expire=60, as_attachment=True):
    """A short-lived URL of a private file when its storage can sign one (object storage),
    else ``None``: the view then streams the file itself. Call it only after the permission
    check."""
    presign = getattr(file.storage, "presigned_url", None)
    if presign is None:
        return None
    return presign(file.name, filename=filename, expire=expire, as_attachment=as_attachment)
