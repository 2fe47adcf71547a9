"""Where uploaded files live.

Public media (page images, listing photos) use Django's ``default`` storage under
``MEDIA_URL``. Files that only some people may read use the ``private`` storage: it has no
public URL, and a view checks permissions before it serves a file."""

from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Local private storage: files outside ``MEDIA_ROOT`` with no URL of their own."""

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view.")


def private_storage():
    """The private storage, for ``FileField(storage=private_storage)``: a callable, so
    migrations do not record the settings of one machine."""
    return storages["private"]
