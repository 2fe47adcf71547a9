"""`manage.py backup` and `restore`: back up, wipe, restore, and every record and file is
there again — on SQLite (the online backup API) and on PostgreSQL (pg_dump), whichever
database the suite runs on."""

import hashlib
import io
import json
import tarfile

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from cms.backups import _storage_files, backed_up_storage_aliases
from tests.cms.factories import build_site_tree, story
from tests.factories import OrganisationFactory, UserFactory

# pg_dump reads through its own connection: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_snapshot():
    """Every row's primary key, per model."""
    return {
        model._meta.label: sorted(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def files_snapshot():
    snapshot = {}
    for alias in backed_up_storage_aliases():
        storage = storages[alias]
        for name in _storage_files(storage):
            with storage.open(name, "rb") as fileobj:
                snapshot[(alias, name)] = hashlib.sha256(fileobj.read()).hexdigest()
    return snapshot


def wipe():
    # Sequences keep counting, as after a real loss: the test database is reused afterwards.
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    for alias in backed_up_storage_aliases():
        storage = storages[alias]
        for name in _storage_files(storage):
            storage.delete(name)


@pytest.fixture
def content():
    tree = build_site_tree()
    organisation = OrganisationFactory(name="Łódź Textile Cluster")
    UserFactory(email="zofia@example.org", organisation=organisation)
    story(tree["stories"], title="Closed-loop denim in Prato")
    storages["default"].save("images/denim.jpg", ContentFile(b"\xff\xd8 public photo"))
    storages["private"].save("certificates/abc.pdf", ContentFile(b"%PDF-1.7 private"))
    storages["private"].save("attachments/deep/minutes.txt", ContentFile("zażółć".encode()))


def test_backup_wipe_restore_finds_every_record_and_file(content, tmp_path, capsys):
    records, files = database_snapshot(), files_snapshot()
    assert ("private", "attachments/deep/minutes.txt") in files
    archive = tmp_path / "site.tar.gz"

    call_command("backup", output=str(archive))
    assert "Backed up" in capsys.readouterr().out
    wipe()
    assert database_snapshot() != records and files_snapshot() == {}

    call_command("restore", str(archive), interactive=False)
    assert database_snapshot() == records
    assert files_snapshot() == files
    assert "Restored" in capsys.readouterr().out


def rewritten(archive, target, change):
    """A copy of ``archive`` with ``change(name, data)`` applied to each member's bytes."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


def from_the_future(name, data):
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["migrations"].append(["cms", "9999_from_the_future"])
    return json.dumps(manifest).encode()


def test_restore_refuses_a_damaged_foreign_or_newer_archive_and_changes_nothing(
    content, tmp_path, monkeypatch
):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=str(archive))
    damaged = rewritten(
        archive,
        tmp_path / "damaged.tar.gz",
        lambda name, data: data.replace(b"private", b"tampered") if name.endswith(".pdf") else data,
    )
    newer = rewritten(archive, tmp_path / "newer.tar.gz", from_the_future)
    not_a_backup = tmp_path / "photo.tar.gz"
    not_a_backup.write_bytes(b"not a tar file")
    wipe()
    storages["default"].save("images/new.jpg", ContentFile(b"made after the backup"))
    records, files = database_snapshot(), files_snapshot()

    for path, message in [
        (damaged, "Damaged or missing"),
        (newer, "newer version"),
        (not_a_backup, "Cannot read"),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(path), interactive=False)
        assert database_snapshot() == records and files_snapshot() == files

    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive))
    assert database_snapshot() == records
