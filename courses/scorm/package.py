"""Reading and checking an uploaded SCORM package (a ZIP with ``imsmanifest.xml`` at its root).

Everything an attacker controls is checked before a byte is stored: the ZIP's size, the number
of entries, every name (no absolute paths, ``..``, backslashes, drive letters, control
characters, duplicates that differ only in case), no symbolic links, no encrypted entries, the
declared and the *actual* uncompressed sizes (a zip bomb lies about them, so bytes are counted
while reading) and the compression ratio. The manifest is parsed with defusedxml (no entities,
no external DTDs). The result says which SCORM version the package is and what to launch.
"""

import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree
from django.conf import settings
from django.utils.translation import gettext as _

MANIFEST = "imsmanifest.xml"
SCORM_12 = "1.2"
SCORM_2004 = "2004"
CHUNK = 64 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"^[A-Za-z]:")


class PackageError(ValueError):
    """The package is refused; the message says why, for the editor."""


@dataclass
class PackageInfo:
    version: str
    title: str
    launch: str  # path inside the package, with the item's parameters if any
    files: list = field(default_factory=list)  # [(ZipInfo, safe name)]
    total_bytes: int = 0


def _limits():
    return (
        settings.SCORM_MAX_PACKAGE_BYTES,
        settings.SCORM_MAX_UNCOMPRESSED_BYTES,
        settings.SCORM_MAX_FILES,
        settings.SCORM_MAX_COMPRESSION_RATIO,
    )


def safe_name(name: str) -> str:
    """The entry's path if it is a plain relative path inside the package; PackageError else."""
    if not name or _CONTROL.search(name) or "\\" in name:
        raise PackageError(
            _("The package contains a file with an unsafe name: %(name)r.") % {"name": name[:200]}
        )
    if name.startswith("/") or _DRIVE.match(name):
        raise PackageError(
            _("The package contains an absolute path: %(name)s.") % {"name": name[:200]}
        )
    parts = name.split("/")
    if any(part in ("..", ".") for part in parts):
        raise PackageError(
            _("The package contains a path that leaves its folder: %(name)s.")
            % {"name": name[:200]}
        )
    normalised = posixpath.normpath(name)
    if len(normalised) > 500:
        raise PackageError(_("The package contains a path that is too long."))
    return normalised


def inspect(upload) -> PackageInfo:
    """Check the ZIP in ``upload`` (a file object) and read its manifest. Nothing is stored."""
    max_package, max_total, max_files, max_ratio = _limits()
    size = getattr(upload, "size", None)
    if size is not None and size > max_package:
        raise PackageError(
            _("The package is larger than %(limit)d MB.") % {"limit": max_package // 2**20}
        )
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PackageError(_("The file is not a ZIP archive.")) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > max_files:
            raise PackageError(
                _("The package has more than %(limit)d files.") % {"limit": max_files}
            )
        seen, files, declared = set(), [], 0
        for entry in entries:
            name = safe_name(entry.filename)
            mode = entry.external_attr >> 16
            if entry.create_system == 3 and stat.S_ISLNK(mode):
                raise PackageError(
                    _("The package contains a symbolic link: %(name)s.") % {"name": name}
                )
            if entry.flag_bits & 0x1:
                raise PackageError(_("The package contains encrypted files."))
            if entry.is_dir():
                continue
            if name.lower() in seen:
                raise PackageError(
                    _("The package contains the file %(name)s twice.") % {"name": name}
                )
            seen.add(name.lower())
            declared += entry.file_size
            if declared > max_total:
                raise PackageError(
                    _("The package unpacks to more than %(limit)d MB.")
                    % {"limit": max_total // 2**20}
                )
            if entry.compress_size and entry.file_size / entry.compress_size > max_ratio:
                raise PackageError(
                    _("The package looks like a zip bomb (a file compressed %(ratio)d times).")
                    % {"ratio": entry.file_size // entry.compress_size}
                )
            files.append((entry, name))
        if MANIFEST not in {name for _entry, name in files}:
            raise PackageError(
                _("This is not a SCORM package: imsmanifest.xml is missing from its top folder.")
            )
        # Count the real bytes: the sizes in the ZIP's directory are the uploader's word.
        total = 0
        for entry, _name in files:
            with archive.open(entry) as stream:
                while chunk := stream.read(CHUNK):
                    total += len(chunk)
                    if total > max_total:
                        raise PackageError(
                            _("The package unpacks to more than %(limit)d MB.")
                            % {"limit": max_total // 2**20}
                        )
        manifest = read_limited(archive, archive.getinfo(MANIFEST), 2 * 2**20)
    version, title, launch = parse_manifest(manifest, {name for _entry, name in files})
    return PackageInfo(version=version, title=title, launch=launch, files=files, total_bytes=total)


def read_limited(archive, entry, limit):
    with archive.open(entry) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise PackageError(_("imsmanifest.xml is too large."))
    return data


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _attr(element, name):
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value
    return None


def parse_manifest(data: bytes, names: set) -> tuple[str, str, str]:
    """(version, title, launch path) from the manifest. The launch is the first item of the
    default organisation that refers to a SCO resource whose file is in the package."""
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except Exception:  # noqa: BLE001 (defusedxml raises several kinds for hostile XML)
        raise PackageError(_("imsmanifest.xml is not well-formed XML.")) from None
    if _local(root.tag) != "manifest":
        raise PackageError(_("imsmanifest.xml has no <manifest> element."))
    text = data.decode("utf-8", "replace")
    version = None
    for element in root.iter():
        if _local(element.tag) == "schemaversion" and element.text:
            value = element.text.strip().lower()
            if value == "1.2":
                version = SCORM_12
            elif "2004" in value or value.startswith("cam 1.3"):
                version = SCORM_2004
    if version is None:
        if "adlcp_rootv1p2" in text:
            version = SCORM_12
        elif "adlcp_v1p3" in text:
            version = SCORM_2004
    if version is None:
        raise PackageError(_("The manifest does not say SCORM 1.2 or SCORM 2004."))

    resources = {}
    for element in root.iter():
        if _local(element.tag) == "resource":
            identifier = _attr(element, "identifier")
            kind = (_attr(element, "scormtype") or "").lower()
            href = _attr(element, "href")
            base = _attr(element, "base") or ""
            if identifier and href and kind in ("sco", ""):
                resources[identifier] = (posixpath.join(base, href) if base else href, kind)
    organizations = next((e for e in root if _local(e.tag) == "organizations"), None)
    if organizations is None:
        raise PackageError(_("The manifest has no organisation of its content."))
    default = _attr(organizations, "default")
    orgs = [e for e in organizations if _local(e.tag) == "organization"]
    org = next((o for o in orgs if _attr(o, "identifier") == default), orgs[0] if orgs else None)
    if org is None:
        raise PackageError(_("The manifest has no organisation of its content."))
    title = next((e.text or "" for e in org if _local(e.tag) == "title"), "").strip()
    for item in org.iter():
        if _local(item.tag) != "item":
            continue
        ref = _attr(item, "identifierref")
        if not ref or ref not in resources:
            continue
        href, kind = resources[ref]
        path, _sep, query = href.partition("?")
        path = safe_name(path.split("#")[0])
        if path not in names:
            raise PackageError(
                _("The manifest launches %(path)s, which is not in the package.") % {"path": path}
            )
        parameters = (_attr(item, "parameters") or "").lstrip("?")
        query = "&".join(part for part in (query, parameters) if part)
        return version, title[:255], path + (f"?{query}" if query else "")
    raise PackageError(_("The manifest names no SCO to launch."))
