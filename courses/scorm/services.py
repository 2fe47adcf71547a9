"""Actions on SCORM packages and attempts: store an uploaded package, start an attempt, record
what the runtime commits (and complete the lesson when the package says so)."""

import json
import mimetypes
import posixpath
import uuid
import zipfile
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.accounts.models import User
from cms.storage import private_storage
from courses.models import LessonPage

from . import package as scorm_package
from .models import ScormAttempt, ScormPackage, ScormVersion

MAX_COMMIT_BYTES = 512 * 1024  # SCORM 2004 suspend data is at most 64,000 characters
COMPLETED_12 = {"completed", "passed"}
ATTEMPT_FIELDS_LIMITS = {"location": 1000, "total_time": 40, "exit": 20}


def package_store(
    *, package: ScormPackage, upload: IO[bytes], user: User | None = None
) -> ScormPackage:
    """Check ``upload`` (a ZIP) and store its files privately, then save ``package`` with its
    version, launch file and file map. Raises ValidationError with the reason; on any error
    nothing is saved (files already written are removed)."""
    try:
        info = scorm_package.inspect(upload)
    except scorm_package.PackageError as error:
        raise ValidationError(str(error), code="bad_package") from None
    storage = private_storage()
    folder = f"scorm/{uuid.uuid4().hex}"
    written, files = [], {}
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            for number, (entry, name) in enumerate(info.files):
                extension = posixpath.splitext(name)[1].lower()[:10]
                with archive.open(entry) as stream:
                    stored = storage.save(f"{folder}/{number:05d}{extension}", File(stream))
                written.append(stored)
                files[name] = stored
        with transaction.atomic():
            package.version = (
                ScormVersion.SCORM_12
                if info.version == scorm_package.SCORM_12
                else ScormVersion.SCORM_2004
            )
            package.launch_path = info.launch
            package.files = files
            package.file_count = len(files)
            package.total_bytes = info.total_bytes
            if not package.title:
                package.title = info.title or _("SCORM package")
            if user is not None and package.uploaded_by_id is None:
                package.uploaded_by = user
            old_files = (
                list(ScormPackage.objects.filter(pk=package.pk).values_list("files", flat=True))
                if package.pk
                else []
            )
            package.save()
    except Exception:
        for name in written:
            storage.delete(name)
        raise
    for old in old_files:
        for name in (old or {}).values():
            storage.delete(name)
    return package


COMMIT_SALT = "courses.scorm.commit"


def commit_token(attempt: ScormAttempt) -> str:
    """A signed token for the attempt's commit URL. The runtime's last commit goes out with
    navigator.sendBeacon, which cannot send a CSRF header; this token (which another site cannot
    know) protects the endpoint instead."""
    return signing.dumps([attempt.pk, attempt.user_id], salt=COMMIT_SALT)


def commit_token_valid(attempt: ScormAttempt, token: str) -> bool:
    try:
        value = signing.loads(token, salt=COMMIT_SALT, max_age=60 * 60 * 24 * 7)
    except signing.BadSignature:
        return False
    return value == [attempt.pk, attempt.user_id]


def content_type_for(path: str) -> str:
    content_type, _encoding = mimetypes.guess_type(path)
    return content_type or "application/octet-stream"


def attempt_current(*, user: User, lesson: LessonPage) -> ScormAttempt:
    """The learner's open attempt at ``lesson`` (the latest), started if there is none."""
    attempt = ScormAttempt.objects.filter(user=user, lesson=lesson).order_by("-number").first()
    if attempt is not None and attempt.package_id == lesson.scorm_package_id:
        return attempt
    return attempt_start(user=user, lesson=lesson)


@transaction.atomic
def attempt_start(*, user: User, lesson: LessonPage) -> ScormAttempt:
    """A new attempt (the next number): the package starts from its beginning."""
    last = ScormAttempt.objects.filter(user=user, lesson=lesson).aggregate(Max("number"))
    return ScormAttempt.objects.create(
        user=user,
        lesson=lesson,
        package_id=lesson.scorm_package_id,
        number=(last["number__max"] or 0) + 1,
    )


def initial_cmi(*, attempt: ScormAttempt, learner_name: str) -> dict[str, Any]:
    """What the runtime loads before the package initialises: the learner, and where this
    attempt was left (so the package can resume)."""
    entry = "resume" if (attempt.suspend_data or attempt.location) else "ab-initio"
    if attempt.package.version == ScormVersion.SCORM_12:
        core: dict[str, Any] = {
            "student_id": str(attempt.user_id),
            "student_name": learner_name,
            "lesson_location": attempt.location,
            "lesson_status": attempt.completion_status or "not attempted",
            "entry": entry,
            "credit": "credit",
            "lesson_mode": "normal",
        }
        if attempt.total_time:
            core["total_time"] = attempt.total_time
        score = _score_values(attempt, ("raw", "min", "max"))
        if score:
            core["score"] = score
        return {"core": core, "suspend_data": attempt.suspend_data}
    data: dict[str, Any] = {
        "learner_id": str(attempt.user_id),
        "learner_name": learner_name,
        "location": attempt.location,
        "completion_status": attempt.completion_status or "unknown",
        "success_status": attempt.success_status or "unknown",
        "entry": entry,
        "credit": "credit",
        "mode": "normal",
        "suspend_data": attempt.suspend_data,
    }
    if attempt.total_time:
        data["total_time"] = attempt.total_time
    score = _score_values(attempt, ("scaled", "raw", "min", "max"))
    if score:
        data["score"] = score
    return data


def _score_values(attempt: ScormAttempt, names: tuple[str, ...]) -> dict[str, str]:
    values = {name: getattr(attempt, f"score_{name}") for name in names}
    return {name: f"{value.normalize():f}" for name, value in values.items() if value is not None}


def _decimal(value: object, *, low: int | None = None, high: int | None = None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("A score is not a number.")) from None
    if not number.is_finite() or abs(number) >= Decimal("1e6"):
        raise ValidationError(_("A score is out of range."))
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValidationError(_("A score is out of range."))
    return number


def _text(value: object, limit: int) -> str:
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise ValidationError(_("The data contains a NUL character."))
    if len(text) > limit:
        raise ValidationError(_("A value is too long."))
    return text


def parse_commit(body: bytes, version: str) -> dict[str, Any]:
    """The attempt fields from a commit body (scorm-again's JSON: ``{"cmi": {...}}``).
    ValidationError on anything malformed: nothing is saved then."""
    if len(body) > MAX_COMMIT_BYTES:
        raise ValidationError(_("The data sent is too large."))
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(_("The data sent is not JSON.")) from None
    cmi = data.get("cmi") if isinstance(data, dict) else None
    if not isinstance(cmi, dict):
        raise ValidationError(_("The data sent has no CMI object."))
    if version == ScormVersion.SCORM_12:
        core: dict[str, Any] = cmi["core"] if isinstance(cmi.get("core"), dict) else {}
        score: dict[str, Any] = core["score"] if isinstance(core.get("score"), dict) else {}
        status = _text(core.get("lesson_status"), 20)
        fields: dict[str, Any] = {
            "completion_status": status,
            "success_status": status if status in ("passed", "failed") else "",
            "location": _text(core.get("lesson_location"), 1000),
            "suspend_data": _text(cmi.get("suspend_data"), 4096),
            "total_time": _text(core.get("total_time"), 40),
            "exit": _text(core.get("exit"), 20),
            "score_raw": _decimal(score.get("raw")),
            "score_min": _decimal(score.get("min")),
            "score_max": _decimal(score.get("max")),
            "score_scaled": None,
            "progress_measure": None,
        }
    else:
        score = cmi["score"] if isinstance(cmi.get("score"), dict) else {}
        fields = {
            "completion_status": _text(cmi.get("completion_status"), 20),
            "success_status": _text(cmi.get("success_status"), 20),
            "location": _text(cmi.get("location"), 1000),
            "suspend_data": _text(cmi.get("suspend_data"), 64000),
            "total_time": _text(cmi.get("total_time"), 40),
            "exit": _text(cmi.get("exit"), 20),
            "score_raw": _decimal(score.get("raw")),
            "score_min": _decimal(score.get("min")),
            "score_max": _decimal(score.get("max")),
            "score_scaled": _decimal(score.get("scaled"), low=-1, high=1),
            "progress_measure": _decimal(cmi.get("progress_measure"), low=0, high=1),
        }
    fields["cmi"] = cmi
    return fields


def is_satisfied(*, version: str, completion_status: str, success_status: str) -> bool:
    """Whether the package reports the lesson done: SCORM 1.2 "completed" or "passed";
    SCORM 2004 completed and not failed, or passed."""
    if version == ScormVersion.SCORM_12:
        return completion_status in COMPLETED_12
    if success_status == "failed":
        return False
    return completion_status == "completed" or success_status == "passed"


def attempt_commit(*, attempt: ScormAttempt, body: bytes) -> bool:
    """Store what the runtime committed for ``attempt``. Returns True when this commit
    completed the lesson (then the course's completion rule is re-evaluated)."""
    fields = parse_commit(body, attempt.package.version)
    with transaction.atomic():
        locked = ScormAttempt.objects.select_for_update().get(pk=attempt.pk)
        for name, value in fields.items():
            if value is None and name.startswith(("score_", "progress_")):
                # A package launched again in the same attempt reports no score until it has
                # one: keep the attempt's score rather than erase it.
                continue
            setattr(locked, name, value)
        locked.updated_at = timezone.now()
        locked.commit_count += 1
        newly_satisfied = locked.satisfied_at is None and is_satisfied(
            version=attempt.package.version,
            completion_status=locked.completion_status,
            success_status=locked.success_status,
        )
        if newly_satisfied:
            locked.satisfied_at = locked.updated_at
        locked.save()
    attempt.__dict__.update(locked.__dict__)
    return newly_satisfied
