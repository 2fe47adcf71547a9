"""CSV import and export of an organisation's listings. One row per listing; the composition
is written ``polyester:92;elastane:8`` and certifications ``GRS:CU-123;OEKO-TEX:21.HIN.456``.
A wanted listing's ``waste_code`` column holds the codes it accepts (``04 02 21;04 02 22``) and
its ``composition`` the least it wants of each fibre (``wool:70;unknown:30``: wool at least 70%;
only unknown fibre: any fibre).

Reading only: this module checks a file row by row with the listing forms and returns the bound
forms; ``exchange.services.imports`` saves them. Files may be separated by commas or by
semicolons (Excel's default where the decimal separator is a comma, as in Polish and Italian);
the header row decides which."""

import copy
import csv
import io
import re

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from .forms import ListingForm, composition_check
from .models import Certification, CompositionLine, Listing, Site

COLUMNS = [
    "organisation",
    "reference",
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
REQUIRED_COLUMNS = {"kind", "title", "composition", "quantity", "site"}
DELIMITERS = (",", ";", "\t")
# Python's csv module refuses longer cells; the same figure is the limit we announce.
MAX_CELL_LENGTH = 131_072
NUL_STORED = "\ufffd"  # how a NUL byte of an upload is kept (PostgreSQL refuses NUL)
PREVIEW_ROWS = 20
# A decimal comma (Excel in Polish and Italian), never a thousands separator: "1,5" -> "1.5".
DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")
DECIMAL_COLUMNS = ("quantity", "price_amount")


def listings_to_csv(listings, *, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(COLUMNS)
    for listing in listings:
        writer.writerow(
            [
                listing.organisation.slug,
                listing.reference,
                listing.kind,
                listing.title,
                listing.description,
                listing.waste_code
                if listing.is_offer
                else ";".join(a.code for a in listing.accepted_codes.all()),
                "yes" if listing.accepts_hazardous else "",
                ";".join(f"{line.fibre}:{line.percent}" for line in listing.composition.all())
                if listing.is_offer
                else _minimums_text(listing),
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


def _minimums_text(listing):
    """A wanted listing's fibre minimums as a composition cell (the rest is unknown fibre)."""
    minimums = [(r.fibre, r.min_percent) for r in listing.fibre_limits.all() if r.min_percent]
    rest = 100 - sum(percent for _fibre, percent in minimums)
    if rest > 0:
        minimums.append(("unknown", rest))
    return ";".join(f"{fibre}:{percent}" for fibre, percent in minimums)


def csv_delimiter(text):
    """The separator of the header row: the one that splits it into the most known columns
    (a composition cell such as ``cotton:98;elastane:2`` makes guessing from the data rows
    unreliable, the header never contains either)."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    known = set(COLUMNS)

    def score(delimiter):
        cells = next(csv.reader([header], delimiter=delimiter), [])
        return len(known.intersection(cell.strip().lower() for cell in cells))

    return max(DELIMITERS, key=score)


class _SharedFields(dict):
    """The fields of one form class, shared by the forms of every row of a file.

    Django deep-copies a form's fields for each instance; for ListingForm's long choice lists
    that copy was most of the time of checking 5,000 rows. A field holds no per-row state once
    its form is built, so each row's form gets a shallow copy of this dict (it may still add
    or remove fields of its own, as inline formsets do) with the same field objects."""

    def __deepcopy__(self, memo):
        return dict(self)


def _shared_fields_class(form_class, **attrs):
    row_class = type(f"Row{form_class.__name__}", (form_class,), attrs)
    row_class.base_fields = _SharedFields(copy.deepcopy(form_class.base_fields))
    return row_class


class _LoadedChoiceField(forms.ModelChoiceField):
    """A model choice among objects loaded once for the whole file, not one query a row."""

    def __init__(self, objects, **kwargs):
        super().__init__(queryset=None, **kwargs)
        self.objects = {str(obj.pk): obj for obj in objects}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.objects[str(value)]
        except KeyError as error:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from error


class RowListingForm(ListingForm):
    """A row's listing form: the rules of the listing page, without a query a row. The site
    is one of the organisation's sites loaded once; references are matched by the import
    itself (a known reference updates its listing), so they are not looked up again."""

    def sites_of(self, organisation):
        return None  # the site field is a _LoadedChoiceField

    def clean_reference(self):
        return self.cleaned_data.get("reference", "").strip()

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "site"}

    def validate_unique(self):
        pass


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


def _lines(pairs, model, names, label):
    """Clean (a, b) pairs with the model's own fields (choices, lengths, ranges)."""
    fields = [model._meta.get_field(name) for name in names]
    lines, errors = [], []
    for pair in pairs:
        try:
            lines.append(
                tuple(field.clean(value, None) for field, value in zip(fields, pair, strict=True))
            )
        except ValidationError as error:
            errors += [
                _("%(what)s: %(error)s") % {"what": label, "error": message}
                for message in error.messages
            ]
    return lines, errors


class RowChecker:
    """Checks the rows of one organisation's file with the rules of the listing page (the
    listing form, the composition rules, the fields of composition lines and certifications).
    Loads the organisation's sites and referenced listings once."""

    def __init__(self, *, organisation, references=()):
        self.organisation = organisation
        self.sites = {site.name: site for site in Site.objects.filter(organisation=organisation)}
        self.existing = {
            listing.reference: listing
            for listing in Listing.objects.filter(
                organisation=organisation, reference__in=[r for r in references if r]
            ).select_related("organisation")
        }
        self.seen_references = {}
        self.listing_form = _shared_fields_class(RowListingForm)
        site_field = self.listing_form.base_fields["site"]
        self.listing_form.base_fields["site"] = _LoadedChoiceField(
            self.sites.values(), label=site_field.label, required=True
        )

    def check(self, number, row):
        """Returns (errors, form, composition, certifications, existing listing or None) for
        the row on spreadsheet row ``number``."""
        errors = []
        for column, value in row.items():
            if column is None or not isinstance(value, str):
                continue
            if "\x00" in value or NUL_STORED in value:
                errors.append(_("Column “%(column)s” contains a NUL byte.") % {"column": column})
            elif len(value) > MAX_CELL_LENGTH:
                errors.append(
                    _("Column “%(column)s” is longer than %(limit)s characters.")
                    % {"column": column, "limit": f"{MAX_CELL_LENGTH:,}"}
                )
        if errors:
            return errors, None, [], [], None
        slug = (row.get("organisation") or "").strip()
        if slug and slug != self.organisation.slug:
            errors.append(
                _(
                    "This row belongs to organisation “%(slug)s”: you can only import your own listings."
                )
                % {"slug": slug}
            )
        reference = (row.get("reference") or "").strip()
        if reference:
            if reference in self.seen_references:
                errors.append(
                    _("The reference “%(reference)s” is already used on row %(row)s.")
                    % {"reference": reference, "row": self.seen_references[reference]}
                )
            else:
                self.seen_references[reference] = number
        existing = self.existing.get(reference) if reference else None
        data = self._data(row)
        site = self.sites.get((row.get("site") or "").strip())
        if site:
            data["site"] = str(site.pk)
        else:
            errors.append(
                _("Site: no site of your organisation is called “%(name)s”.")
                % {"name": row.get("site") or ""}
            )
        try:
            composition_pairs = _pairs(row.get("composition"))
            certification_pairs = _pairs(row.get("certifications"))
        except ValueError as error:
            errors.append(
                _("Write pairs as name:value separated by “;” (got “%(chunk)s”).")
                % {"chunk": error}
            )
            return errors, None, [], [], existing
        form = self.listing_form(
            data,
            instance=existing or Listing(organisation=self.organisation),
            organisation=self.organisation,
        )
        if not form.is_valid():
            errors += _form_errors(form)
        composition, line_errors = _lines(
            composition_pairs, CompositionLine, ("fibre", "percent"), _("Composition")
        )
        errors += line_errors
        if not line_errors:
            try:
                composition_check(composition)
            except ValidationError as error:
                errors += [
                    _("%(what)s: %(error)s") % {"what": _("Composition"), "error": message}
                    for message in error.messages
                ]
        certifications, line_errors = _lines(
            certification_pairs, Certification, ("scheme", "number"), _("Certification")
        )
        errors += line_errors
        return errors, form, composition, certifications, existing

    def _data(self, row):
        data = QueryDict(mutable=True)
        fields = self.listing_form.base_fields
        for column in COLUMNS:
            if column in ("composition", "certifications", "accepted_forms", "contaminants"):
                continue
            data[column] = (row.get(column) or "").strip()
            # An empty cell or a missing column takes the listing's default (one-off, kg,
            # negotiable, EUR), as the listing page would.
            initial = fields[column].initial if column in fields else None
            if not data[column] and initial not in (None, "") and not callable(initial):
                data[column] = str(initial)
        for column in DECIMAL_COLUMNS:
            if DECIMAL_COMMA.match(data[column]):
                data[column] = data[column].replace(",", ".")
        if data.get("accepts_hazardous", "").lower() not in ("yes", "true", "1"):
            data.pop("accepts_hazardous")
        data.setlist(
            "accepted_forms", [v.strip() for v in (row.get("accepted_forms") or "").split(";") if v]
        )
        if data.get("kind") == "wanted":
            codes = (row.get("waste_code") or "").replace(",", ";").split(";")
            data.setlist("accepted_waste_codes", [c.strip() for c in codes if c.strip()])
            fibres = {
                pair.split(":")[0].strip() for pair in (row.get("composition") or "").split(";")
            }
            if fibres <= {"unknown", ""}:
                data["any_fibre"] = "on"
        contaminants = [v.strip() for v in (row.get("contaminants") or "").split(";") if v.strip()]
        if contaminants:
            data["contaminants_stated"] = "on"
        data.setlist("contaminants", [v for v in contaminants if v.lower() != "none"])
        return data


def _read_rows(text, delimiter):
    """Yields (spreadsheet row number, row dict or None, error or None). A row the csv module
    cannot read (a cell past its length limit, a broken quote) becomes an error on that row
    and reading goes on with the next."""
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames or []]
    number = 1
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                message = _("A cell is longer than %(limit)s characters.") % {
                    "limit": f"{MAX_CELL_LENGTH:,}"
                }
            else:
                message = _("This row cannot be read as CSV (check its quotes).")
            yield number, None, message
            continue
        yield number, row, None


def csv_parse(*, text, organisation, progress=None, progress_every=500):
    """Check every row. Returns (rows, has_errors); each row has its number, title, kind,
    quantity, composition, reference, the pk of the listing it updates (or None), errors, and
    what is saved: the bound listing form, the (fibre, percent) lines and the (scheme,
    number) certifications. ``progress(checked, total)`` is called every ``progress_every`` rows."""
    text = text.lstrip("\ufeff")
    delimiter = csv_delimiter(text)
    header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    missing = REQUIRED_COLUMNS - {name.strip().lower() for name in header}
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
    raw = list(_read_rows(text, delimiter))
    checker = RowChecker(
        organisation=organisation,
        references=[(row.get("reference") or "").strip() for _n, row, _e in raw if row],
    )
    rows = []
    for index, (number, row, read_error) in enumerate(raw, start=1):
        if read_error:
            rows.append({"number": number, "title": "", "errors": [read_error], "form": None})
            continue
        errors, form, composition, certifications, existing = checker.check(number, row)
        rows.append(
            {
                "number": number,
                "title": (row.get("title") or "")[:160],
                "kind": (row.get("kind") or "")[:20],
                "quantity": f"{row.get('quantity') or ''} {row.get('unit') or ''}"[:40],
                "composition": (row.get("composition") or "")[:200],
                "reference": (row.get("reference") or "").strip()[:64],
                "updates": existing.pk if existing else None,
                "errors": errors,
                "form": form,
                "lines": composition,
                "certification_lines": certifications,
            }
        )
        if progress and index % progress_every == 0:
            progress(index, len(raw))
    if not rows:
        return [{"number": 1, "title": "", "errors": [_("The file has no listings.")]}], True
    return rows, any(row["errors"] for row in rows)
