"""CSV import as a background job: the upload is checked, previewed and imported by its own id;
commas and semicolons; references update instead of duplicating; bad cells get a message per
row and nothing is saved."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exchange.csv_io import COLUMNS, csv_delimiter
from exchange.forms import ListingForm
from exchange.models import CsvImport, CsvImportState, Listing, ListingState
from exchange.services import imports
from tests.exchange.factories import ListingFactory

pytestmark = pytest.mark.django_db


def csv_text(rows, *, delimiter=","):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=delimiter)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


def csv_file(rows, *, delimiter=",", name="listings.csv"):
    return SimpleUploadedFile(name, csv_text(rows, delimiter=delimiter).encode(), "text/csv")


def row(owner, **overrides):
    base = {
        "organisation": owner.slug,
        "kind": "offer",
        "title": "Denim cuttings",
        "waste_code": "04 02 22",
        "composition": "cotton:98;elastane:2",
        "form": "fabric_cuttings",
        "quantity": "800",
        "unit": "kg",
        "supply_pattern": "month",
        "site": "Cutting room",
        "price_type": "free",
        "certifications": "GRS:CU-9",
        "contaminants": "zips;buttons",
    }
    base.update(overrides)
    return base


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as a request that commits: the job it queues (the check, the import) runs once the
    request's transaction commits, as in production (eager tasks), not before."""

    def post(url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post


def upload(client, post, rows, **kwargs):
    """Upload a file; its check runs after the commit. Returns the import and the page."""
    response = post(reverse("exchange:csv_import"), {"file": csv_file(rows, **kwargs)})
    assert response.status_code == 302
    csv_import = CsvImport.objects.order_by("-created_at").first()
    assert response.url == csv_import.get_absolute_url()
    return csv_import, client.get(response.url)


def test_upload_is_checked_previewed_then_imported_by_its_id(client, producer, post):
    organisation = producer.organisation
    client.force_login(producer.user)
    csv_import, page = upload(
        client,
        post,
        [
            row(organisation),
            row(organisation, title="Wool wanted", kind="wanted", composition="wool:100"),
        ],
    )
    assert csv_import.state == CsvImportState.READY
    assert not Listing.objects.exists()  # preview only
    content = page.content.decode()
    assert "Denim cuttings" in content and "Import 2 listings" in content
    response = post(reverse("exchange:csv_import_confirm", args=[csv_import.pk]))
    assert response.url == csv_import.get_absolute_url()
    csv_import.refresh_from_db()
    assert csv_import.state == CsvImportState.DONE and csv_import.rows_new == 2
    assert csv_import.text == ""  # the data lives in the listings now
    listings = Listing.objects.order_by("title")
    assert [listing.title for listing in listings] == ["Denim cuttings", "Wool wanted"]
    denim = listings[0]
    assert denim.state == ListingState.DRAFT and denim.contaminants == ["zips", "buttons"]
    assert denim.remaining_quantity == Decimal("800")
    assert denim.certifications.get().number == "CU-9"
    assert denim.primary_fibre == "cotton" and denim.latitude == pytest.approx(51.76)
    assert denim.quality_score > 0 and denim.created_by == producer.user
    assert "2 draft listings added" in client.get(csv_import.get_absolute_url()).content.decode()
    # export returns what was imported
    exported = client.get(reverse("exchange:csv_export")).content.decode()
    assert "cotton:98;elastane:2" in exported and "Wool wanted" in exported
    # confirming twice imports nothing more
    post(reverse("exchange:csv_import_confirm", args=[csv_import.pk]))
    assert Listing.objects.count() == 2


def test_semicolon_file_with_decimal_commas_is_accepted(client, producer, post):
    organisation = producer.organisation
    client.force_login(producer.user)
    rows = [
        row(
            organisation,
            quantity="800,5",
            price_type="per_unit",
            price_amount="0,35",
            currency="EUR",
        )
    ]
    assert csv_delimiter(csv_text(rows, delimiter=";")) == ";"
    assert csv_delimiter(csv_text(rows, delimiter=",")) == ","
    csv_import, _page = upload(client, post, rows, delimiter=";")
    assert csv_import.state == CsvImportState.READY, csv_import.problems
    assert csv_import.delimiter == ";"
    post(reverse("exchange:csv_import_confirm", args=[csv_import.pk]))
    listing = Listing.objects.get()
    assert listing.quantity == Decimal("800.5") and listing.price_amount == Decimal("0.35")
    assert [line.fibre for line in listing.composition.all()] == ["cotton", "elastane"]


def test_reimport_with_references_updates_instead_of_duplicating(client, producer, post):
    organisation = producer.organisation
    client.force_login(producer.user)
    first = [row(organisation, reference="A-1"), row(organisation, reference="A-2", title="Two")]
    csv_import, _page = upload(client, post, first)
    post(reverse("exchange:csv_import_confirm", args=[csv_import.pk]))
    one = Listing.objects.get(reference="A-1")
    # A deal took 300 kg of A-1 meanwhile, and it was published.
    Listing.objects.filter(pk=one.pk).update(
        remaining_quantity=Decimal("500"), state=ListingState.ACTIVE
    )
    again = [
        row(
            organisation,
            reference="A-1",
            title="Denim, updated",
            quantity="1000",
            composition="cotton:100",
            certifications="",
        ),
        row(organisation, reference="A-3", title="Three"),
    ]
    csv_import, page = upload(client, post, again)
    assert csv_import.rows_new == 1 and csv_import.rows_updated == 1
    assert "Updates a listing" in page.content.decode()
    post(reverse("exchange:csv_import_confirm", args=[csv_import.pk]))
    assert Listing.objects.count() == 3
    one.refresh_from_db()
    assert one.title == "Denim, updated" and one.state == ListingState.ACTIVE
    # 200 kg more in total: the remaining quantity moves by the same amount, deals kept.
    assert one.quantity == Decimal("1000") and one.remaining_quantity == Decimal("700")
    assert [(line.fibre, line.percent) for line in one.composition.all()] == [("cotton", 100)]
    assert not one.certifications.exists()
    # another organisation's reference is its own
    other = ListingFactory(reference="A-2")
    assert Listing.objects.filter(reference="A-2").count() == 2
    assert other.organisation != organisation


def test_bad_cells_get_a_message_per_row_and_nothing_is_saved(client, producer, post):
    organisation = producer.organisation
    client.force_login(producer.user)
    csv_import, page = upload(
        client,
        post,
        [
            row(organisation),
            row(organisation, composition="cotton:90"),
            row(organisation, organisation="someone-else"),
            row(organisation, kind="wanted", waste_code="15 02 02*"),
            row(organisation, title="Nul\x00byte"),
            row(organisation, description="x" * 200_000),
            row(organisation, quantity="lots", composition="cotton:many"),
            row(organisation, reference="R"),
            row(organisation, reference="R"),
            row(organisation, site="Nowhere"),
        ],
    )
    assert page.status_code == 200
    assert csv_import.state == CsvImportState.INVALID
    problems = {problem["line"]: " ".join(problem["errors"]) for problem in csv_import.problems}
    assert 2 not in problems
    assert "add up to 90%" in problems[3]
    assert "only import your own listings" in problems[4]
    assert "hazardous" in problems[5]
    assert "NUL byte" in problems[6]
    assert "131,072" in problems[7]
    assert "Quantity" in problems[8] and "Composition" in problems[8]
    assert "already used on row 9" in problems[10]
    assert "Nowhere" in problems[11]
    content = page.content.decode()
    assert "nothing was saved" in content and "Import 10" not in content
    response = post(reverse("exchange:csv_import_confirm", args=[csv_import.pk]))
    assert response.status_code == 302
    assert not Listing.objects.exists()


def test_missing_columns_and_unreadable_files(client, producer, post):
    client.force_login(producer.user)
    response = post(
        reverse("exchange:csv_import"),
        {"file": SimpleUploadedFile("x.csv", b"title;kind\nA;offer\n", "text/csv")},
    )
    csv_import = CsvImport.objects.get()
    assert csv_import.state == CsvImportState.INVALID
    assert "Missing columns" in client.get(response.url).content.decode()
    response = post(
        reverse("exchange:csv_import"),
        {"file": SimpleUploadedFile("x.csv", "zażółć".encode("cp1250"), "text/csv")},
    )
    assert response.status_code == 200 and "not UTF-8" in response.content.decode()


def test_a_rejected_upload_never_imports_an_earlier_preview(client, producer, post):
    organisation = producer.organisation
    client.force_login(producer.user)
    good, _page = upload(client, post, [row(organisation, title="Good file")])
    assert good.state == CsvImportState.READY
    bad, _page = upload(client, post, [row(organisation, composition="cotton:50")])
    assert bad.state == CsvImportState.INVALID
    good.refresh_from_db()
    assert good.state == CsvImportState.SUPERSEDED
    for csv_import in (bad, good):
        response = post(reverse("exchange:csv_import_confirm", args=[csv_import.pk]))
        assert response.status_code == 302
    assert not Listing.objects.exists()
    page = client.get(good.get_absolute_url()).content.decode()
    assert "only the newest upload can be imported" in page


def test_imports_are_private_to_the_organisation(client, producer, recycler, post):
    organisation = producer.organisation
    client.force_login(producer.user)
    csv_import, _page = upload(client, post, [row(organisation)])
    client.force_login(recycler.user)
    assert client.get(csv_import.get_absolute_url()).status_code == 404
    response = post(reverse("exchange:csv_import_confirm", args=[csv_import.pk]))
    assert response.status_code == 404
    assert not Listing.objects.exists()
    client.logout()
    assert client.get(csv_import.get_absolute_url()).status_code == 302  # to sign in


def test_progress_is_polled_as_json(client, producer):
    client.force_login(producer.user)
    csv_import = CsvImport.objects.create(
        organisation=producer.organisation,
        created_by=producer.user,
        text="x",
        state=CsvImportState.CHECKING,
        rows_total=200,
        rows_checked=50,
    )
    data = client.get(csv_import.get_absolute_url() + "?poll=1").json()
    assert data["running"] and data["percent"] == 25 and data["state"] == "checking"
    page = client.get(csv_import.get_absolute_url()).content.decode()
    assert "50 of 200 rows checked" in page and "csv-import.js" in page


def test_a_job_that_fails_saves_nothing_and_says_so(client, producer, monkeypatch, post):
    organisation = producer.organisation
    client.force_login(producer.user)
    csv_import, _page = upload(client, post, [row(organisation), row(organisation, title="Two")])

    def fail_after_first(*, organisation, user, rows):
        ListingFactory(organisation=organisation, title="Half-saved")
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "listings_import", fail_after_first)
    post(reverse("exchange:csv_import_confirm", args=[csv_import.pk]))
    csv_import.refresh_from_db()
    assert csv_import.state == CsvImportState.FAILED
    assert not Listing.objects.exists()
    assert "nothing was saved" in client.get(csv_import.get_absolute_url()).content.decode()


def test_the_listing_form_keeps_references_unique_per_organisation(client, producer):
    client.force_login(producer.user)
    ListingFactory(organisation=producer.organisation, reference="R-7")
    listing = ListingFactory(organisation=producer.organisation, title="Second")
    response = client.get(reverse("exchange:listing_edit", args=[listing.pk]))
    form = response.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    assert "reference" in form.fields
    bound = ListingForm(
        {**data, "reference": "R-7", "site": listing.site_id, "kind": "offer"},
        instance=listing,
        organisation=producer.organisation,
    )
    assert not bound.is_valid()
    assert "already has the reference" in str(bound.errors["reference"])


def test_missing_optional_columns_take_the_listing_defaults(client, producer, post):
    client.force_login(producer.user)
    text = "kind;title;composition;form;quantity;site\noffer;Plain;wool:100;yarn;5;Cutting room\n"
    response = post(
        reverse("exchange:csv_import"),
        {"file": SimpleUploadedFile("x.csv", text.encode(), "text/csv")},
    )
    csv_import = CsvImport.objects.get()
    assert csv_import.state == CsvImportState.READY, csv_import.problems
    post(reverse("exchange:csv_import_confirm", args=[csv_import.pk]))
    listing = Listing.objects.get()
    assert (listing.unit, listing.supply_pattern, listing.price_type, listing.currency) == (
        "kg",
        "one_off",
        "negotiable",
        "EUR",
    )
    assert response.status_code == 302


def test_rows_update_writes_every_column_in_one_statement_a_batch(
    producer, django_assert_num_queries
):
    """The re-import's bulk update: JSON lists, decimals, NULLs, booleans and foreign keys
    come back as written, with one UPDATE for up to UPDATE_BATCH listings."""
    listings = [
        ListingFactory(organisation=producer.organisation, title=f"Old {i}") for i in range(3)
    ]
    for i, listing in enumerate(listings):
        listing.title = f"New {i}"
        listing.contaminants = ["zips", "labels"][: i + 1]
        listing.accepted_forms = [] if i else ["garments"]
        listing.min_lot_kg = None if i == 1 else Decimal("1250.50")
        listing.requires_permit = bool(i % 2)
        listing.region = None
        listing.price_amount = Decimal("0.35") if i == 2 else None
    fields = [
        "title",
        "contaminants",
        "accepted_forms",
        "min_lot_kg",
        "requires_permit",
        "region",
        "price_amount",
    ]
    with django_assert_num_queries(1):
        imports.rows_update(listings, fields)
    for i, listing in enumerate(listings):
        stored = Listing.objects.get(pk=listing.pk)
        assert stored.title == f"New {i}"
        assert stored.contaminants == ["zips", "labels"][: i + 1]
        assert stored.accepted_forms == ([] if i else ["garments"])
        assert stored.min_lot_kg == (None if i == 1 else Decimal("1250.50"))
        assert stored.requires_permit is bool(i % 2)
        assert stored.region_id is None
        assert stored.price_amount == (Decimal("0.35") if i == 2 else None)
    assert Listing.objects.filter(title__startswith="Old").count() == 0
