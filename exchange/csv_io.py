"""CSV import and export of an organisation's listings. One row per listing; the composition
is written ``polyester:92;elastane:8`` and certifications ``GRS:CU-123;OEKO-TEX:21.HIN.456``.
A wanted listing's ``waste_code`` column holds the codes it accepts (``04 02 21;04 02 22``) and
its ``composition`` the minimum of each fibre it wants (``wool:50``; empty: any fibre)."""

import csv
import io

from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from .forms import CertificationFormSet, CompositionFormSet, FibreLimitFormSet, ListingForm
from .models import Listing, Site

COLUMNS = [
    "organisation",
    "kind",
    "title",
    "description",
    "waste_code",
    "accepts_hazardous",
    "composition",
    "origin",
    "production_stage",
    "form",
    "accepted_forms",
    "colour",
    "colour_note",
    "contaminants",
    "legal_status",
    "process",
    "quantity",
    "unit",
    "supply_pattern",
    "site",
    "logistics",
    "price_type",
    "price_amount",
    "currency",
    "available_from",
    "available_until",
    "certifications",
]


def listings_to_csv(listings):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for listing in listings:
        writer.writerow(
            [
                listing.organisation.slug,
                listing.kind,
                listing.title,
                listing.description,
                listing.waste_code
                if listing.is_offer
                else ";".join(a.code for a in listing.accepted_codes.all()),
                "yes" if listing.accepts_hazardous else "",
                ";".join(f"{line.fibre}:{line.percent}" for line in listing.composition.all())
                if listing.is_offer
                else ";".join(
                    f"{limit.fibre}:{limit.min_percent}"
                    for limit in listing.fibre_limits.all()
                    if limit.min_percent
                ),
                listing.origin,
                listing.production_stage,
                listing.form,
                ";".join(listing.accepted_forms),
                listing.colour,
                listing.colour_note,
                ";".join(listing.contaminants),
                listing.legal_status,
                listing.process,
                listing.quantity,
                listing.unit,
                listing.supply_pattern,
                listing.site.name if listing.site else "",
                listing.logistics,
                listing.price_type,
                listing.price_amount if listing.price_amount is not None else "",
                listing.currency,
                listing.available_from or "",
                listing.available_until or "",
                ";".join(f"{c.scheme}:{c.number}" for c in listing.certifications.all()),
            ]
        )
    return buffer.getvalue()


def _pairs(text):
    pairs = []
    for chunk in filter(None, (part.strip() for part in (text or "").split(";"))):
        key, sep, value = chunk.partition(":")
        if not sep:
            raise ValueError(chunk)
        pairs.append((key.strip(), value.strip()))
    return pairs


def _form_errors(form):
    messages = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.append(f"{label}: {error}" if label else str(error))
    return messages


def _row_forms(row, organisation, sites):
    data = QueryDict(mutable=True)
    for column in COLUMNS:
        if column in ("composition", "certifications", "accepted_forms", "contaminants", "site"):
            continue
        data[column] = (row.get(column) or "").strip()
    if data.get("accepts_hazardous", "").lower() not in ("yes", "true", "1"):
        data.pop("accepts_hazardous")
    data.setlist("accepted_forms", [v for v in (row.get("accepted_forms") or "").split(";") if v])
    data.setlist("contaminants", [v for v in (row.get("contaminants") or "").split(";") if v])
    if data.getlist("contaminants") or (row.get("contaminants") or "").strip().lower() == "none":
        data["contaminants_stated"] = "on"
        data.setlist("contaminants", [v for v in data.getlist("contaminants") if v != "none"])
    site = sites.get((row.get("site") or "").strip())
    data["site"] = str(site.pk) if site else ""
    errors = []
    if not site:
        errors.append(
            _("Site: no site of your organisation is called “%(name)s”.")
            % {"name": row.get("site", "")}
        )
    try:
        composition = _pairs(row.get("composition"))
        certifications = _pairs(row.get("certifications"))
    except ValueError as error:
        return (
            None,
            None,
            None,
            [_("Write pairs as name:value separated by “;” (got “%(chunk)s”).") % {"chunk": error}],
        )
    wanted = data.get("kind") == "wanted"
    limits = []
    if wanted:
        codes = (row.get("waste_code") or "").replace(",", ";").split(";")
        data.setlist("accepted_waste_codes", [code.strip() for code in codes if code.strip()])
        limits = [(fibre, percent) for fibre, percent in composition if fibre != "unknown"]
        composition = []
        if not limits:
            data["any_fibre"] = "on"
    for prefix, pairs, keys in (
        ("composition", composition, ("fibre", "percent")),
        ("limits", limits, ("fibre", "min_percent")),
        ("certifications", certifications, ("scheme", "number")),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(pairs))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, (a, b) in enumerate(pairs):
            data[f"{prefix}-{i}-{keys[0]}"] = a
            data[f"{prefix}-{i}-{keys[1]}"] = b
    form = ListingForm(data, organisation=organisation)
    listing = Listing(organisation=organisation)
    composition_set = CompositionFormSet(
        data, instance=listing, prefix="composition", required=not wanted
    )
    limit_set = FibreLimitFormSet(
        data, instance=listing, prefix="limits", any_fibre=bool(data.get("any_fibre"))
    )
    certification_set = CertificationFormSet(data, instance=listing, prefix="certifications")
    if not form.is_valid():
        errors += _form_errors(form)
    if wanted and not limit_set.is_valid():
        errors += [_("Composition: %(error)s") % {"error": e} for e in limit_set.non_form_errors()]
        for sub in limit_set.forms:
            errors += [_("Composition: %(error)s") % {"error": e} for e in _form_errors(sub)]
    if not composition_set.is_valid():
        errors += [
            _("Composition: %(error)s") % {"error": e} for e in composition_set.non_form_errors()
        ]
        for sub in composition_set.forms:
            errors += [_("Composition: %(error)s") % {"error": e} for e in _form_errors(sub)]
    if not certification_set.is_valid():
        for sub in certification_set.forms:
            errors += [_("Certification: %(error)s") % {"error": e} for e in _form_errors(sub)]
    return form, (composition_set, limit_set), certification_set, errors


def csv_parse(*, text, organisation):
    """Validate every row. Returns (rows, has_errors); each row has number, title, errors and
    the bound forms."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"kind", "title", "composition", "quantity", "unit", "site"} - set(
        reader.fieldnames or []
    )
    if missing:
        return [
            {
                "number": 1,
                "title": "",
                "errors": [
                    _("Missing columns: %(columns)s") % {"columns": ", ".join(sorted(missing))}
                ],
            }
        ], True
    sites = {site.name: site for site in Site.objects.filter(organisation=organisation)}
    rows = []
    for number, row in enumerate(reader, start=2):
        errors = []
        slug = (row.get("organisation") or "").strip()
        if slug and slug != organisation.slug:
            errors.append(
                _(
                    "This row belongs to organisation “%(slug)s”: you can only import your own listings."
                )
                % {"slug": slug}
            )
        form, composition_set, certification_set, form_errors = _row_forms(row, organisation, sites)
        errors += form_errors
        rows.append(
            {
                "number": number,
                "title": row.get("title", ""),
                "kind": row.get("kind", ""),
                "quantity": f"{row.get('quantity', '')} {row.get('unit', '')}",
                "composition": row.get("composition", ""),
                "errors": errors,
                "forms": (form, composition_set, certification_set),
            }
        )
    if not rows:
        return [{"number": 1, "title": "", "errors": [_("The file has no listings.")]}], True
    return rows, any(row["errors"] for row in rows)


@transaction.atomic
def csv_import(*, text, organisation, user):
    """Create draft listings from a file with no errors; nothing is saved otherwise."""
    from .services import listing_refresh, listing_specification_save

    rows, has_errors = csv_parse(text=text, organisation=organisation)
    if has_errors:
        return None, rows
    created = []
    for row in rows:
        form, composition_set, certification_set = row["forms"]
        listing = form.save(commit=False)
        listing.organisation = organisation
        listing.created_by = user
        listing.remaining_quantity = listing.quantity
        listing.save()
        for formset in composition_set:  # the composition, and a wanted listing's limits
            if formset.prefix == "composition" or not listing.is_offer:
                formset.instance = listing
                formset.save()
        listing_specification_save(
            listing=listing, user=user, codes=form.cleaned_data["accepted_waste_codes"]
        )
        certification_set.instance = listing
        certification_set.save()
        listing_refresh(listing=listing)
        created.append(listing)
    return created, rows
