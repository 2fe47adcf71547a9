"""Demo content of the exchange: memberships and sites of the directory's companies and
recyclers, 40+ offers and wanted listings, inquiries and deals. Idempotent."""

import random
from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cms.accounts import roles
from cms.accounts.services import user_assign_role
from cms.conversations.models import Conversation
from cms.demo import DEMO_PASSWORD
from cms.directory.models import Organisation, OrganisationKind, Region

from .matching import listing_matches_recompute
from .models import (
    INQUIRY_CONVERSATION,
    AcceptedWasteCode,
    Certification,
    CompositionLine,
    FibreLimit,
    Inquiry,
    Listing,
    ListingState,
    Membership,
    MembershipRole,
    Site,
)
from .services import deal_confirm, deal_propose, inquiry_reply, listing_refresh

# slug, site name, address, city, lat, lon, member e-mail
TRADERS = [
    (
        "tessitura-bisenzio",
        "Weaving mill",
        "Via di Gello 18",
        "Prato",
        43.8930,
        11.0860,
        "exchange@example.org",
    ),
    (
        "rigenera-lane",
        "Carding plant",
        "Via Scarpettini 300",
        "Montemurlo",
        43.9270,
        11.0380,
        "trader.rigenera@example.org",
    ),
    (
        "filatura-valle-cervo",
        "Spinning mill",
        "Via Cervo 12",
        "Biella",
        45.5800,
        8.0700,
        "trader.valle-cervo@example.org",
    ),
    (
        "ecosort-lombardia",
        "Sorting hall",
        "Via Zanica 90",
        "Bergamo",
        45.6700,
        9.6900,
        "trader.ecosort@example.org",
    ),
    (
        "stajerska-tekstil",
        "Cutting room",
        "Tržaška cesta 40",
        "Maribor",
        46.5400,
        15.6400,
        "trader.stajerska@example.org",
    ),
    (
        "liberec-nonwovens",
        "Needle-punch line",
        "Průmyslová 7",
        "Liberec",
        50.7500,
        15.0800,
        "trader.nonwovens@example.org",
    ),
    (
        "saechsische-faserverwertung",
        "Tearing plant",
        "Blankenauer Str. 74",
        "Chemnitz",
        50.8500,
        12.9300,
        "trader.faser@example.org",
    ),
    (
        "alfold-recycling",
        "Wiper workshop",
        "Balmazújvárosi út 10",
        "Debrecen",
        47.5500,
        21.6000,
        "trader.alfold@example.org",
    ),
    (
        "widzew-knitwear",
        "Knitting and cutting",
        "ul. Piłsudskiego 135",
        "Łódź",
        51.7600,
        19.5100,
        "trader.widzew@example.org",
    ),
    (
        "lodz-textile-recovery",
        "Sorting centre",
        "ul. Rokicińska 150",
        "Łódź",
        51.7400,
        19.5600,
        "trader.recovery@example.org",
    ),
]
EXTRA_ORGANISATIONS = [
    (
        "Widzew Knitwear",
        "widzew-knitwear",
        OrganisationKind.COMPANY,
        "lodzkie",
        "Knitwear manufacturer: cotton and cotton-elastane cutting waste every week.",
    ),
    (
        "Łódź Textile Recovery",
        "lodz-textile-recovery",
        OrganisationKind.RECYCLER,
        "lodzkie",
        "Sorter of post-consumer clothing for reuse and fibre-to-fibre recycling.",
    ),
]

# Offers: owner, title, code, composition, origin, stage, form, colour, legal, qty, unit, pattern, price, certs
OFFERS = [
    (
        "tessitura-bisenzio",
        "Carded wool selvedges, sorted by colour",
        "04 02 22",
        {"wool": 80, "polyamide": 20},
        "pre_consumer",
        "weaving_knitting",
        "fabric_cuttings",
        "sorted",
        "by_product",
        2500,
        "kg",
        "month",
        ("per_unit", "0.60"),
        [("GRS", "CU-817263")],
    ),
    (
        "tessitura-bisenzio",
        "Roll ends of recycled wool coating fabric",
        "04 02 22",
        {"wool": 70, "polyester": 30},
        "pre_consumer",
        "weaving_knitting",
        "roll_ends",
        "mixed",
        "by_product",
        1800,
        "m",
        "one_off",
        ("per_unit", "2.50"),
        [],
    ),
    (
        "tessitura-bisenzio",
        "Wool-cashmere yarn leftovers on cones",
        "04 02 22",
        {"wool": 90, "cashmere": 10},
        "pre_consumer",
        "spinning",
        "yarn",
        "sorted",
        "by_product",
        600,
        "kg",
        "one_off",
        ("negotiable", None),
        [],
    ),
    (
        "tessitura-bisenzio",
        "Fulling and finishing fibre waste",
        "04 02 15",
        {"wool": 100},
        "pre_consumer",
        "finishing",
        "fibre",
        "mixed",
        "waste",
        900,
        "kg",
        "month",
        ("free", None),
        [],
    ),
    (
        "stajerska-tekstil",
        "Polyester-cotton workwear cutting waste",
        "04 02 22",
        {"polyester": 65, "cotton": 35},
        "pre_consumer",
        "cutting",
        "fabric_cuttings",
        "sorted",
        "waste",
        4,
        "t",
        "month",
        ("free", None),
        [("OEKO-TEX", "21.HSI.84720")],
    ),
    (
        "stajerska-tekstil",
        "Navy polyester twill deadstock",
        "04 02 22",
        {"polyester": 100},
        "pre_consumer",
        "retail",
        "deadstock",
        "sorted",
        "by_product",
        3200,
        "m",
        "one_off",
        ("per_unit", "1.20"),
        [],
    ),
    (
        "stajerska-tekstil",
        "Hi-vis garments returned (reflective tape)",
        "20 01 10",
        {"polyester": 80, "cotton": 20},
        "post_consumer",
        "use",
        "garments",
        "sorted",
        "waste",
        1200,
        "kg",
        "year",
        ("negotiable", None),
        [],
    ),
    (
        "stajerska-tekstil",
        "Contaminated wiping cloths (solvent)",
        "15 02 02*",
        {"cotton": 70, "polyester": 30},
        "post_consumer",
        "use",
        "mixed_sorted",
        "mixed",
        "waste",
        300,
        "kg",
        "month",
        ("negotiable", None),
        [],
    ),
    (
        "widzew-knitwear",
        "Cotton-elastane jersey cuttings, white",
        "04 02 22",
        {"cotton": 95, "elastane": 5},
        "pre_consumer",
        "cutting",
        "fabric_cuttings",
        "white",
        "by_product",
        1500,
        "kg",
        "week",
        ("per_unit", "0.15"),
        [("GOTS", "CU-GOTS-55210")],
    ),
    (
        "widzew-knitwear",
        "Coloured cotton jersey cuttings",
        "04 02 22",
        {"cotton": 100},
        "pre_consumer",
        "cutting",
        "fabric_cuttings",
        "mixed",
        "by_product",
        2,
        "t",
        "month",
        ("free", None),
        [],
    ),
    (
        "widzew-knitwear",
        "Viscose-elastane knit roll ends",
        "04 02 22",
        {"viscose": 92, "elastane": 8},
        "pre_consumer",
        "weaving_knitting",
        "roll_ends",
        "sorted",
        "by_product",
        700,
        "kg",
        "one_off",
        ("per_unit", "0.90"),
        [],
    ),
    (
        "widzew-knitwear",
        "Acrylic knitting yarn remnants",
        "04 02 22",
        {"acrylic": 100},
        "pre_consumer",
        "spinning",
        "yarn",
        "mixed",
        "by_product",
        400,
        "kg",
        "one_off",
        ("negotiable", None),
        [],
    ),
    (
        "ecosort-lombardia",
        "Post-consumer cotton T-shirts, non-reusable grade",
        "20 01 10",
        {"cotton": 100},
        "post_consumer",
        "use",
        "garments",
        "sorted",
        "waste",
        20,
        "t",
        "month",
        ("per_unit", "80"),
        [],
    ),
    (
        "ecosort-lombardia",
        "Mixed household textiles (sheets, towels)",
        "20 01 11",
        {"cotton": 85, "polyester": 15},
        "post_consumer",
        "use",
        "household",
        "mixed",
        "waste",
        8,
        "t",
        "month",
        ("negotiable", None),
        [],
    ),
    (
        "ecosort-lombardia",
        "Denim jeans sorted by shade",
        "20 01 10",
        {"cotton": 98, "elastane": 2},
        "post_consumer",
        "use",
        "garments",
        "sorted",
        "waste",
        6,
        "t",
        "month",
        ("per_unit", "120"),
        [],
    ),
    (
        "lodz-textile-recovery",
        "Post-consumer wool knitwear, sorted by colour",
        "19 12 08",
        {"wool": 70, "acrylic": 20, "polyamide": 10},
        "post_consumer",
        "use",
        "garments",
        "sorted",
        "end_of_waste",
        3,
        "t",
        "month",
        ("per_unit", "350"),
        [("RCS", "CU-RCS-30117")],
    ),
    (
        "lodz-textile-recovery",
        "Polyester fleece garments",
        "19 12 08",
        {"polyester": 100},
        "post_consumer",
        "use",
        "garments",
        "mixed",
        "waste",
        5,
        "t",
        "month",
        ("per_unit", "60"),
        [],
    ),
    (
        "lodz-textile-recovery",
        "Mixed sorted fraction for shoddy",
        "19 12 08",
        {"unknown": 60, "cotton": 40},
        "post_consumer",
        "use",
        "mixed_sorted",
        "mixed",
        "waste",
        25,
        "t",
        "month",
        ("free", None),
        [],
    ),
    (
        "lodz-textile-recovery",
        "Cotton bedlinen, white",
        "19 12 08",
        {"cotton": 100},
        "post_consumer",
        "use",
        "household",
        "white",
        "waste",
        4,
        "t",
        "month",
        ("per_unit", "150"),
        [],
    ),
    (
        "rigenera-lane",
        "Regenerated wool fibre, grey melange",
        "04 02 21",
        {"wool": 85, "polyamide": 15},
        "pre_consumer",
        "fibre_production",
        "fibre",
        "sorted",
        "end_of_waste",
        10,
        "t",
        "month",
        ("per_unit", "2.10"),
        [("GRS", "CU-GRS-100233")],
    ),
    (
        "rigenera-lane",
        "Recycled cashmere blend fibre",
        "04 02 21",
        {"cashmere": 60, "wool": 40},
        "pre_consumer",
        "fibre_production",
        "fibre",
        "sorted",
        "end_of_waste",
        1500,
        "kg",
        "month",
        ("per_unit", "9.80"),
        [("RCS", "CU-RCS-77121")],
    ),
    (
        "saechsische-faserverwertung",
        "Torn polyester-cotton fibre for nonwovens",
        "04 02 21",
        {"polyester": 60, "cotton": 40},
        "pre_consumer",
        "fibre_production",
        "fibre",
        "mixed",
        "end_of_waste",
        15,
        "t",
        "month",
        ("per_unit", "0.45"),
        [],
    ),
    (
        "saechsische-faserverwertung",
        "Aramid protective-wear cuttings",
        "04 02 09",
        {"aramid": 95, "viscose": 5},
        "pre_consumer",
        "cutting",
        "fabric_cuttings",
        "sorted",
        "waste",
        2,
        "t",
        "year",
        ("negotiable", None),
        [],
    ),
    (
        "filatura-valle-cervo",
        "Polyester-wool yarn waste (hard waste)",
        "04 02 22",
        {"wool": 55, "polyester": 45},
        "pre_consumer",
        "spinning",
        "yarn",
        "mixed",
        "by_product",
        800,
        "kg",
        "month",
        ("per_unit", "0.30"),
        [],
    ),
    (
        "liberec-nonwovens",
        "Nonwoven edge trim, polyester",
        "04 02 22",
        {"polyester": 100},
        "pre_consumer",
        "finishing",
        "fabric_cuttings",
        "white",
        "by_product",
        3,
        "t",
        "month",
        ("free", None),
        [],
    ),
    (
        "alfold-recycling",
        "Cotton wiping-cloth offcuts",
        "04 02 22",
        {"cotton": 100},
        "pre_consumer",
        "cutting",
        "fabric_cuttings",
        "mixed",
        "by_product",
        500,
        "kg",
        "month",
        ("per_unit", "0.20"),
        [],
    ),
]

# Wanted: owner, title, code, composition (minimums), forms, hazardous, process, qty, unit, pattern
WANTED = [
    (
        "rigenera-lane",
        "Wanted: wool-rich pre-consumer cuttings, ≥70% wool",
        "04 02 22",
        {"wool": 70, "unknown": 30},
        ["fabric_cuttings", "roll_ends", "yarn"],
        False,
        "mechanical",
        5,
        "t",
        "month",
    ),
    (
        "rigenera-lane",
        "Wanted: post-consumer wool knitwear sorted by colour",
        "19 12 08",
        {"wool": 70, "unknown": 30},
        ["garments"],
        False,
        "mechanical",
        4,
        "t",
        "month",
    ),
    (
        "rigenera-lane",
        "Wanted: cashmere and fine animal fibre waste",
        "04 02 22",
        {"cashmere": 50, "wool": 50},
        ["fibre", "yarn", "fabric_cuttings"],
        False,
        "mechanical",
        500,
        "kg",
        "month",
    ),
    (
        "saechsische-faserverwertung",
        "Processing capacity: tearing of polyester-cotton blends",
        "04 02 22",
        {"polyester": 50, "cotton": 50},
        ["fabric_cuttings", "garments", "mixed_sorted"],
        False,
        "mechanical",
        20,
        "t",
        "month",
    ),
    (
        "saechsische-faserverwertung",
        "Wanted: cotton cuttings for recycled cotton fibre",
        "04 02 22",
        {"cotton": 90, "unknown": 10},
        ["fabric_cuttings"],
        False,
        "mechanical",
        6,
        "t",
        "month",
    ),
    (
        "saechsische-faserverwertung",
        "Wanted: contaminated wipers for thermal treatment",
        "15 02 02*",
        {"cotton": 50, "unknown": 50},
        ["mixed_sorted"],
        True,
        "energy_recovery",
        1,
        "t",
        "month",
    ),
    (
        "filatura-valle-cervo",
        "Wanted: regenerated wool fibre for knitting yarns",
        "04 02 21",
        {"wool": 80, "unknown": 20},
        ["fibre"],
        False,
        "spinning",
        8,
        "t",
        "month",
    ),
    (
        "filatura-valle-cervo",
        "Wanted: recycled polyester staple fibre",
        "04 02 21",
        {"polyester": 100},
        ["fibre"],
        False,
        "spinning",
        5,
        "t",
        "month",
    ),
    (
        "liberec-nonwovens",
        "Wanted: torn fibre for automotive insulation felts",
        "04 02 21",
        {"polyester": 50, "unknown": 50},
        ["fibre", "fabric_cuttings"],
        False,
        "nonwoven",
        30,
        "t",
        "month",
    ),
    (
        "liberec-nonwovens",
        "Wanted: polyester fleece and fabric waste",
        "19 12 08",
        {"polyester": 90, "unknown": 10},
        ["garments", "fabric_cuttings", "deadstock"],
        False,
        "nonwoven",
        10,
        "t",
        "month",
    ),
    (
        "alfold-recycling",
        "Wanted: cotton T-shirts and bedlinen for wipers",
        "20 01 10",
        {"cotton": 90, "unknown": 10},
        ["garments", "household"],
        False,
        "upcycling",
        5,
        "t",
        "month",
    ),
    (
        "alfold-recycling",
        "Wanted: white cotton jersey for wiping cloths",
        "04 02 22",
        {"cotton": 95, "unknown": 5},
        ["fabric_cuttings", "household"],
        False,
        "upcycling",
        1500,
        "kg",
        "month",
    ),
    (
        "lodz-textile-recovery",
        "Wanted: wearable clothing for reuse",
        "20 01 10",
        {"unknown": 100},
        ["garments"],
        False,
        "reuse",
        10,
        "t",
        "month",
    ),
    (
        "lodz-textile-recovery",
        "Processing capacity: NIR sorting of mixed textiles",
        "20 01 11",
        {"unknown": 100},
        ["garments", "household", "mixed_sorted"],
        False,
        "sorting_automated",
        40,
        "t",
        "month",
    ),
    (
        "tessitura-bisenzio",
        "Wanted: recycled wool yarn Nm 1/6 – 1/10",
        "04 02 21",
        {"wool": 80, "polyamide": 20},
        ["yarn", "fibre"],
        False,
        "",
        2,
        "t",
        "month",
    ),
    (
        "tessitura-bisenzio",
        "Wanted: recycled polyester yarn for linings",
        "04 02 21",
        {"polyester": 100},
        ["yarn"],
        False,
        "",
        1,
        "t",
        "month",
    ),
    (
        "widzew-knitwear",
        "Wanted: recycled cotton yarn (GRS)",
        "04 02 21",
        {"cotton": 60, "polyester": 40},
        ["yarn"],
        False,
        "",
        3,
        "t",
        "month",
    ),
    (
        "stajerska-tekstil",
        "Wanted: recycled polyester fabric for workwear trials",
        "04 02 22",
        {"polyester": 65, "cotton": 35},
        ["deadstock", "roll_ends"],
        False,
        "",
        2000,
        "m",
        "one_off",
    ),
    (
        "ecosort-lombardia",
        "Processing capacity: collection of cutting waste in Lombardy",
        "04 02 22",
        {"unknown": 100},
        ["fabric_cuttings", "roll_ends"],
        False,
        "collection",
        50,
        "t",
        "month",
    ),
    (
        "liberec-nonwovens",
        "Wanted: aramid waste for technical felts",
        "04 02 09",
        {"aramid": 90, "unknown": 10},
        ["fabric_cuttings", "fibre"],
        False,
        "nonwoven",
        2,
        "t",
        "year",
    ),
]

DESCRIPTION = (
    "{title}. Batch described by weight and composition from our production records; "
    "samples and a photo of the bales on request. Loading on weekdays 7:00–15:00 with a forklift."
)


def _user(email, name, organisation):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "display_name": name,
            "organisation": organisation,
            "region": organisation.region,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    user_assign_role(user=user, role=roles.EXCHANGE_MEMBER)
    return user


@transaction.atomic
def load(*, stdout, style):
    stdout.write(style.MIGRATE_HEADING("Exchange: members, sites, listings, inquiries, deals"))
    regions = {region.slug: region for region in Region.objects.all()}
    for name, slug, kind, region, description in EXTRA_ORGANISATIONS:
        Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "region": regions[region],
                "country": regions[region].country,
                "city": "Łódź",
                "latitude": 51.7592,
                "longitude": 19.4560,
                "description": description,
                "registration_number": "PL7251234567"
                if kind == OrganisationKind.COMPANY
                else "PL7259876543",
                "verified_at": timezone.now(),
            },
        )
    organisations = {
        o.slug: o for o in Organisation.objects.filter(slug__in=[t[0] for t in TRADERS])
    }
    members, sites = {}, {}
    for slug, site_name, address, city, lat, lon, email in TRADERS:
        organisation = organisations[slug]
        site, _ = Site.objects.get_or_create(
            organisation=organisation,
            name=site_name,
            defaults={
                "address": address,
                "city": city,
                "country": organisation.country,
                "latitude": lat,
                "longitude": lon,
            },
        )
        sites[slug] = site
        name = email.split("@")[0].replace("trader.", "").replace("-", " ").title() + " Trader"
        user = _user(email, name, organisation)
        Membership.objects.get_or_create(
            organisation=organisation,
            user=user,
            defaults={"role": MembershipRole.OWNER, "approved_at": timezone.now()},
        )
        members[slug] = user

    rng = random.Random(6)
    created = 0
    now = timezone.now()
    for i, (
        slug,
        title,
        code,
        composition,
        origin,
        stage,
        form,
        colour,
        legal,
        qty,
        unit,
        pattern,
        price,
        certs,
    ) in enumerate(OFFERS):
        listing, made = Listing.objects.get_or_create(
            organisation=organisations[slug],
            title=title,
            defaults={
                "kind": "offer",
                "description": DESCRIPTION.format(title=title),
                "waste_code": code,
                "origin": origin,
                "production_stage": stage,
                "form": form,
                "colour": colour,
                "contaminants": rng.choice([[], ["labels"], ["buttons", "zips"], ["prints"]]),
                "contaminants_stated": rng.random() > 0.3,
                "legal_status": legal,
                "quantity": Decimal(qty),
                "remaining_quantity": Decimal(qty),
                "unit": unit,
                "supply_pattern": pattern,
                "site": sites[slug],
                "logistics": rng.choice(["pick_up", "delivery", "either"]),
                "price_type": price[0],
                "price_amount": Decimal(price[1]) if price[1] else None,
                "currency": "EUR",
                "available_from": date.today() - timedelta(days=rng.randint(0, 30)),
                "created_by": members[slug],
            },
        )
        if made:
            created += 1
            _describe(listing, composition, certs, now - timedelta(hours=3 * i))
    for i, (
        slug,
        title,
        code,
        composition,
        forms,
        hazardous,
        process,
        qty,
        unit,
        pattern,
    ) in enumerate(WANTED):
        listing, made = Listing.objects.get_or_create(
            organisation=organisations[slug],
            title=title,
            defaults={
                "kind": "wanted",
                "description": DESCRIPTION.format(title=title),
                "any_fibre": set(composition) <= {"unknown"},
                "accepted_forms": forms,
                "accepts_hazardous": hazardous,
                "process": process,
                "quantity": Decimal(qty),
                "remaining_quantity": Decimal(qty),
                "unit": unit,
                "supply_pattern": pattern,
                "site": sites[slug],
                "logistics": "either",
                "price_type": "negotiable",
                "legal_status": "waste",
                "created_by": members[slug],
            },
        )
        if made:
            created += 1
            # The buyer's specification: the code accepted, at least this much of each fibre.
            AcceptedWasteCode.objects.create(listing=listing, code=code)
            FibreLimit.objects.bulk_create(
                FibreLimit(listing=listing, fibre=fibre, min_percent=percent)
                for fibre, percent in composition.items()
                if fibre != "unknown"
            )
            _describe(listing, {}, [], now - timedelta(hours=3 * i + 1))
    # One draft, to show the data-quality hints.
    draft, made = Listing.objects.get_or_create(
        organisation=organisations["widzew-knitwear"],
        title="Draft: polyamide hosiery seconds",
        defaults={
            "kind": "offer",
            "form": "garments",
            "quantity": 300,
            "remaining_quantity": 300,
            "unit": "kg",
            "site": sites["widzew-knitwear"],
        },
    )
    if made:
        CompositionLine.objects.create(listing=draft, fibre="polyamide", percent=100)
        listing_refresh(listing=draft)
        created += 1

    for listing in Listing.objects.active():
        listing_matches_recompute(listing_id=listing.pk)
    _conversations(organisations, members)
    stdout.write(f"  {created} listings created ({Listing.objects.count()} in total)")


def _describe(listing, composition, certifications, published_at):
    for fibre, percent in composition.items():
        CompositionLine.objects.create(listing=listing, fibre=fibre, percent=percent)
    for scheme, number in certifications:
        Certification.objects.create(listing=listing, scheme=scheme, number=number)
    if listing.organisation.is_verified:
        listing.state = ListingState.ACTIVE
        listing.published_at = published_at
        listing.expires_at = published_at + timedelta(days=90)
        listing.save(update_fields=["state", "published_at", "expires_at"])
    listing_refresh(listing=listing)


CONVERSATIONS = [
    # buyer org, offer title, messages (buyer, seller, ...), deal quantity or None, confirmed
    (
        "rigenera-lane",
        "Carded wool selvedges, sorted by colour",
        [
            "Could you send 2 t of the grey and navy selvedges next month? We card them into regenerated wool.",
            "Yes: grey and navy are baled separately. Pick-up from our gate on Tuesdays.",
        ],
        Decimal("2000"),
        True,
    ),
    (
        "saechsische-faserverwertung",
        "Polyester-cotton workwear cutting waste",
        [
            "We can tear your polycotton cuttings; are they free of reflective tape?",
            "The cuttings are tape-free; the hi-vis garments are a separate listing.",
        ],
        Decimal("3"),
        True,
    ),
    (
        "alfold-recycling",
        "Coloured cotton jersey cuttings",
        [
            "We would take the coloured cotton cuttings for wipers, about 500 kg a month.",
            "Fine by us. We can deliver with our weekly truck to Debrecen.",
        ],
        Decimal("0.5"),
        False,
    ),
    (
        "alfold-recycling",
        "Nonwoven edge trim, polyester",
        ["Interested in your polyester trim, can you share bale weights?", None],
        None,
        False,
    ),
]


def _conversations(organisations, members):
    for buyer_slug, title, texts, quantity, confirmed in CONVERSATIONS:
        listing = Listing.objects.filter(title=title).first()
        buyer = organisations.get(buyer_slug)
        if (
            listing is None
            or buyer is None
            or listing.organisation_id == buyer.pk
            or Inquiry.objects.filter(listing=listing, organisation=buyer).exists()
        ):
            continue
        conversation = Conversation.objects.create(
            kind=INQUIRY_CONVERSATION,
            starter_organisation=buyer,
            owner_organisation_id=listing.organisation_id,
            started_by=members[buyer_slug],
        )
        inquiry = Inquiry.objects.create(
            conversation=conversation, listing=listing, organisation=buyer
        )
        seller = members[listing.organisation.slug]
        for n, text in enumerate(texts):
            if text:
                inquiry_reply(
                    inquiry=inquiry, user=members[buyer_slug] if n % 2 == 0 else seller, body=text
                )
        if quantity:
            # The seller proposes; the buyer confirms (the third deal still waits for it).
            deal = deal_propose(
                inquiry=inquiry,
                user=seller,
                quantity=quantity,
                date=date.today() - timedelta(days=3),
            )
            if confirmed:
                deal_confirm(deal=deal, user=members[buyer_slug])
