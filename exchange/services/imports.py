"""CSV imports as background jobs: an upload is stored as a ``CsvImport``, checked by a task,
shown as a preview, and imported by a second task once a member confirms that very upload.

A row whose ``reference`` names a listing of the organisation updates it; other rows become
draft listings. Everything is saved in one transaction, so a file is imported whole or not at
all."""

import logging
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.db.models import Count, Field, Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.accounts.models import User
from cms.directory.models import Organisation

from .. import jobs
from ..csv_io import NUL_STORED, PREVIEW_ROWS, csv_delimiter, csv_parse
from ..models import (
    AcceptedWasteCode,
    Certification,
    CompositionLine,
    CsvImport,
    CsvImportState,
    FibreLimit,
    Listing,
    ListingPhoto,
    ListingState,
)
from .listings import listing_derive, listing_quantity_set
from .organisations import is_member

logger = logging.getLogger(__name__)

# Problems listed on the page; the rest are counted.
MAX_PROBLEMS_SHOWN = 500


def csv_import_start(
    *, organisation: Organisation, user: User, filename: str, text: str, language: str = ""
) -> CsvImport:
    """Store an upload and queue its check. Earlier uploads of the same member waiting for a
    confirmation are superseded: only the file last checked can be imported."""
    if not is_member(user, organisation.pk):
        raise PermissionDenied
    with transaction.atomic():
        CsvImport.objects.filter(
            organisation=organisation,
            created_by=user,
            state__in=[CsvImportState.QUEUED, CsvImportState.READY],
        ).update(state=CsvImportState.SUPERSEDED)
        csv_import = CsvImport.objects.create(
            organisation=organisation,
            created_by=user,
            filename=filename[:255],
            # PostgreSQL cannot store NUL: kept as U+FFFD, which the row check reports as NUL.
            text=text.replace("\x00", NUL_STORED),
            delimiter=csv_delimiter(text),
            language=language,
        )
        jobs.enqueue_on_commit(jobs.CSV_IMPORT_VALIDATE, str(csv_import.pk))
    return csv_import


def _summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    problems = [
        {"line": row["number"], "title": row["title"], "errors": [str(e) for e in row["errors"]]}
        for row in rows
        if row["errors"]
    ]
    preview = [
        {
            "line": row["number"],
            "reference": row.get("reference", ""),
            "title": row["title"],
            "kind": row.get("kind", ""),
            "quantity": row.get("quantity", ""),
            "composition": row.get("composition", ""),
            "updates": row.get("updates"),
        }
        for row in rows[:PREVIEW_ROWS]
    ]
    return {
        "rows_total": len(rows),
        "rows_checked": len(rows),
        "rows_updated": sum(1 for row in rows if row.get("updates")),
        "rows_new": sum(1 for row in rows if not row.get("updates")),
        "problems": problems,
        "preview": preview,
    }


def _fail(csv_import: CsvImport) -> None:
    logger.exception("CSV import %s failed", csv_import.pk)
    CsvImport.objects.filter(pk=csv_import.pk).update(
        state=CsvImportState.FAILED, finished_at=timezone.now()
    )


def csv_import_check(*, csv_import_id: uuid.UUID | str) -> str | None:
    """The background check of an upload: every row through the listing forms, progress
    recorded as it goes. Ends ``READY`` (a preview to confirm) or ``INVALID`` (a message per
    row). Saves no listing."""
    claimed = CsvImport.objects.filter(pk=csv_import_id, state=CsvImportState.QUEUED).update(
        state=CsvImportState.CHECKING
    )
    if not claimed:
        return None  # superseded, or already taken by another worker
    csv_import = CsvImport.objects.select_related("organisation").get(pk=csv_import_id)

    def progress(checked: int, total: int) -> None:
        CsvImport.objects.filter(pk=csv_import.pk).update(rows_checked=checked, rows_total=total)

    try:
        with translation.override(csv_import.language or None):
            rows, has_errors = csv_parse(
                text=csv_import.text, organisation=csv_import.organisation, progress=progress
            )
            summary = _summary(rows)
    except Exception:  # noqa: BLE001 - a job that dies says so on its page, never stays running
        _fail(csv_import)
        return CsvImportState.FAILED
    state = CsvImportState.INVALID if has_errors else CsvImportState.READY
    CsvImport.objects.filter(pk=csv_import.pk, state=CsvImportState.CHECKING).update(
        state=state,
        finished_at=timezone.now() if has_errors else None,
        **summary,
    )
    return state


def csv_import_confirm(*, csv_import_id: uuid.UUID | str, user: User) -> CsvImport:
    """A member confirms the preview of this upload: queue its import. Only an upload that
    passed its check and was not superseded can be confirmed."""
    with transaction.atomic():
        csv_import = CsvImport.objects.select_for_update().get(pk=csv_import_id)
        if not is_member(user, csv_import.organisation_id):
            raise PermissionDenied
        if csv_import.state != CsvImportState.READY:
            raise ValidationError(
                _("This upload cannot be imported (%(state)s). Upload the file again.")
                % {"state": csv_import.get_state_display()}
            )
        csv_import.state = CsvImportState.SAVING
        csv_import.save(update_fields=["state"])
        jobs.enqueue_on_commit(jobs.CSV_IMPORT_SAVE, str(csv_import.pk))
    return csv_import


def csv_import_save(*, csv_import_id: uuid.UUID | str) -> str | None:
    """The background import of a confirmed upload. The file is checked again (a site may have
    gone since the preview); with any error nothing is saved and the import shows them."""
    csv_import = (
        CsvImport.objects.select_related("organisation", "created_by")
        .filter(pk=csv_import_id, state=CsvImportState.SAVING)
        .first()
    )
    if csv_import is None:
        return None
    try:
        with translation.override(csv_import.language or None):
            rows, has_errors = csv_parse(text=csv_import.text, organisation=csv_import.organisation)
            if has_errors:
                CsvImport.objects.filter(pk=csv_import.pk).update(
                    state=CsvImportState.INVALID, finished_at=timezone.now(), **_summary(rows)
                )
                return CsvImportState.INVALID
            with transaction.atomic():
                created, updated = listings_import(
                    organisation=csv_import.organisation, user=csv_import.created_by, rows=rows
                )
                CsvImport.objects.filter(pk=csv_import.pk).update(
                    state=CsvImportState.DONE,
                    rows_new=created,
                    rows_updated=updated,
                    finished_at=timezone.now(),
                    text="",  # imported: the listings hold the data now
                )
    except Exception:  # noqa: BLE001 - a job that dies says so on its page, never stays running
        _fail(csv_import)
        return CsvImportState.FAILED
    return CsvImportState.DONE


# Rows a statement updates: SQLite binds at most 32,766 parameters, and a listing has ~40.
UPDATE_BATCH = 500


def rows_update(instances: Sequence[Model], fields: Sequence[str]) -> None:
    """Write ``fields`` of model ``instances`` with one ``UPDATE … FROM`` a batch, the new
    values given as a ``VALUES`` list (PostgreSQL and SQLite ≥ 3.33 both read it). Django's
    ``bulk_update`` writes a CASE with one branch per row for every column, which the database
    then evaluates for every row: quadratic, and slower than one UPDATE a row at 5,000 rows."""
    if not instances:
        return
    model = type(instances[0])
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    # Concrete columns only (the callers name fields of the table): get_field's other kinds
    # (relations seen from the other side, generic keys) never reach here.
    columns = [
        cast(Field, model._meta.pk),
        *(cast(Field, model._meta.get_field(name)) for name in fields),
    ]
    names = [f"v{index}" for index in range(len(columns))]

    def value(name: str, field: Field) -> str:
        # PostgreSQL types a VALUES column from its first rows; say which type each one is.
        if connection.vendor == "postgresql":
            return f"CAST(v.{name} AS {field.db_type(connection)})"
        return f"v.{name}"

    assignments = ", ".join(
        f"{quote(field.column)} = {value(name, field)}"
        for name, field in zip(names[1:], columns[1:], strict=True)
    )
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(instances), UPDATE_BATCH):
            batch = instances[start : start + UPDATE_BATCH]
            # Names come from the model's metadata; every value is a bound parameter.
            cursor.execute(
                f"WITH v ({', '.join(names)}) AS (VALUES {', '.join([row] * len(batch))}) "  # noqa: S608
                f"UPDATE {table} SET {assignments} FROM v "
                f"WHERE {table}.{quote(columns[0].column)} = {value(names[0], columns[0])}",
                [
                    field.get_db_prep_save(getattr(instance, field.attname), connection)
                    for instance in batch
                    for field in columns
                ],
            )


def listings_import(
    *, organisation: Organisation, user: User | None, rows: list[dict[str, Any]]
) -> tuple[int, int]:
    """Save checked rows: new draft listings in bulk, and updates of the listings their
    references name (fields, composition and certifications replaced; quantity through
    ``listing_quantity_set``). Must run inside the caller's transaction. Returns the numbers
    of listings created and updated."""
    now = timezone.now()
    new: list[Listing] = []
    changed: list[Listing] = []
    lines: list[CompositionLine] = []
    certifications: list[Certification] = []
    updated_ids = [row["updates"] for row in rows if row["updates"]]
    locked = {
        listing.pk: listing
        for listing in Listing.objects.select_for_update().filter(
            pk__in=updated_ids, organisation=organisation
        )
    }
    photos = dict(
        ListingPhoto.objects.filter(listing__in=updated_ids)
        .values_list("listing")
        .annotate(count=Count("pk"))
    )
    quantities: dict[int, Decimal] = {}
    for row in rows:
        form = row["form"]
        listing = form.save(commit=False)
        composition, schemes = row["lines"], row["certification_lines"]
        counts = {
            "composition": {fibre for fibre, _percent in composition},
            "certifications": len(schemes),
            "photos": photos.get(listing.pk, 0),
        }
        listing_derive(listing=listing, composition=composition, counts=counts)
        if listing.pk:
            # Quantity changes go through the one service for remaining quantity, below.
            quantities[listing.pk] = listing.quantity
            listing.quantity = locked[listing.pk].quantity
            listing.updated_at = now
            changed.append(listing)
        else:
            listing.organisation = organisation
            listing.created_by = user
            listing.state = ListingState.DRAFT
            listing.remaining_quantity = listing.quantity
            new.append(listing)
        row["listing"] = listing
    Listing.objects.bulk_create(new, batch_size=500)
    if changed:
        columns = {field.name for field in Listing._meta.concrete_fields}
        fields = [
            name
            for name in type(form)._meta.fields
            if name in columns
            and name not in ("quantity", "remaining_quantity", "accepted_forms", "contaminants")
        ]
        fields += [
            "accepted_forms",
            "contaminants",
            "latitude",
            "longitude",
            "region",
            "primary_fibre",
            "quality_score",
            "updated_at",
        ]
        rows_update(changed, sorted(set(fields)))
        CompositionLine.objects.filter(listing__in=changed).delete()
        Certification.objects.filter(listing__in=changed).delete()
        AcceptedWasteCode.objects.filter(listing__in=changed).delete()
        FibreLimit.objects.filter(listing__in=changed).delete()
        for pk, quantity in quantities.items():
            if quantity != locked[pk].quantity:
                listing_quantity_set(listing_id=pk, quantity=quantity)
    codes: list[AcceptedWasteCode] = []
    limits: list[FibreLimit] = []
    for row in rows:
        listing = row["listing"]
        if listing.is_offer:
            lines += [
                CompositionLine(listing=listing, fibre=fibre, percent=percent)
                for fibre, percent in row["lines"]
            ]
        else:
            # A wanted row's composition is the least it wants of each fibre.
            codes += [
                AcceptedWasteCode(listing=listing, code=code)
                for code in row["form"].cleaned_data["accepted_waste_codes"]
            ]
            limits += [
                FibreLimit(listing=listing, fibre=fibre, min_percent=percent)
                for fibre, percent in row["lines"]
                if fibre != "unknown"
            ]
        certifications += [
            Certification(listing=listing, scheme=scheme, number=number)
            for scheme, number in row["certification_lines"]
        ]
    CompositionLine.objects.bulk_create(lines, batch_size=1000)
    AcceptedWasteCode.objects.bulk_create(codes, batch_size=1000)
    FibreLimit.objects.bulk_create(limits, batch_size=1000)
    Certification.objects.bulk_create(certifications, batch_size=1000)
    for listing in changed:
        if locked[listing.pk].state != ListingState.DRAFT:
            jobs.enqueue_on_commit(jobs.LISTING_CHANGED, listing.pk)
    return len(new), len(changed)
