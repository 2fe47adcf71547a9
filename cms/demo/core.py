"""Core demo content: partner regions, the directory of organisations, one user per role and
the site look."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Site

from cms.accounts import roles
from cms.accounts.services import user_assign_role
from cms.directory.models import Organisation, OrganisationKind, Region
from themes.models import PartnerLogo, SiteLook

DEMO_ADMIN_EMAIL = "admin@example.org"

# Partner regions of the ENTeR and TEX4IM–Textranet networks (NUTS 2021 codes).
REGIONS = [
    # name, slug, country, NUTS
    ("Łódzkie (Łódź)", "lodzkie", "PL", "PL71"),
    ("Prato", "prato", "IT", "ITI15"),
    ("Biella", "biella", "IT", "ITC13"),
    ("Lombardy", "lombardy", "IT", "ITC4"),
    ("Podravska (Maribor)", "podravska", "SI", "SI032"),
    ("Varaždin County", "varazdin", "HR", "HR062"),
    ("Liberec Region", "liberec", "CZ", "CZ051"),
    ("Saxony", "saxony", "DE", "DED"),
    ("Vorarlberg", "vorarlberg", "AT", "AT34"),
    ("Észak-Alföld", "eszak-alfold", "HU", "HU32"),
]

# name, slug, kind, region slug, city, latitude, longitude, verified, description
ORGANISATIONS = [
    (
        "ENTeR network",
        "enter-network",
        OrganisationKind.NETWORK,
        "lodzkie",
        "Łódź",
        51.7592,
        19.4560,
        True,
        "Interreg Central Europe network of textile regions that signed the collaboration agreement on textile recycling and the circular economy.",
    ),
    (
        "TEX4IM partnership",
        "tex4im",
        OrganisationKind.NETWORK,
        "prato",
        "Prato",
        43.8777,
        11.1022,
        True,
        "Partnership of textile clusters and research centres promoting innovation support for SMEs, in cooperation with Textranet.",
    ),
    (
        "Textranet",
        "textranet",
        OrganisationKind.NETWORK,
        "saxony",
        "Chemnitz",
        50.8278,
        12.9214,
        True,
        "Textile transfer network of 25 European institutions with competences in textile and clothing research and innovation.",
    ),
    (
        "Łódź Textile Cluster",
        "lodz-textile-cluster",
        OrganisationKind.CLUSTER,
        "lodzkie",
        "Łódź",
        51.7687,
        19.4570,
        True,
        "Cluster of 80 clothing and technical-textile firms of the Łódź region, coordinating the regional circular-textiles roadmap.",
    ),
    (
        "Institute of Fibre Technology Łódź",
        "ift-lodz",
        OrganisationKind.RESEARCH,
        "lodzkie",
        "Łódź",
        51.7470,
        19.4530,
        True,
        "Research institute for fibre identification, recycled-fibre quality testing and NIR sorting trials.",
    ),
    (
        "Tessitura Bisenzio",
        "tessitura-bisenzio",
        OrganisationKind.COMPANY,
        "prato",
        "Prato",
        43.8810,
        11.0960,
        True,
        "Weaving mill producing carded wool fabrics; 30 t a year of selvedges and roll ends.",
    ),
    (
        "Rigenera Lane Prato",
        "rigenera-lane",
        OrganisationKind.RECYCLER,
        "prato",
        "Montemurlo",
        43.9262,
        11.0385,
        True,
        "Mechanical recycler of wool and cashmere: sorting by colour, tearing and carding into regenerated fibre.",
    ),
    (
        "Biella Wool Lab",
        "biella-wool-lab",
        OrganisationKind.RESEARCH,
        "biella",
        "Biella",
        45.5629,
        8.0583,
        True,
        "Technology centre for wool processing, fibre blends and recycled-content certification.",
    ),
    (
        "Filatura Valle Cervo",
        "filatura-valle-cervo",
        OrganisationKind.COMPANY,
        "biella",
        "Biella",
        45.5850,
        8.0900,
        True,
        "Spinning mill buying recycled wool and polyester fibre for knitting yarns.",
    ),
    (
        "Lombardia Moda Circolare",
        "lombardia-moda-circolare",
        OrganisationKind.ASSOCIATION,
        "lombardy",
        "Milan",
        45.4642,
        9.1900,
        True,
        "Association of fashion brands and manufacturers of Lombardy working on EPR for textiles.",
    ),
    (
        "EcoSort Lombardia",
        "ecosort-lombardia",
        OrganisationKind.WASTE_MANAGEMENT,
        "lombardy",
        "Bergamo",
        45.6983,
        9.6773,
        False,
        "Collector and sorter of post-consumer textiles: 12,000 t a year from municipal containers.",
    ),
    (
        "Štajerska Tekstil",
        "stajerska-tekstil",
        OrganisationKind.COMPANY,
        "podravska",
        "Maribor",
        46.5547,
        15.6459,
        True,
        "Manufacturer of workwear; cutting waste of polyester-cotton blends.",
    ),
    (
        "Maribor Textile Research Centre",
        "maribor-trc",
        OrganisationKind.RESEARCH,
        "podravska",
        "Maribor",
        46.5590,
        15.6380,
        True,
        "University research centre on chemical recycling of cotton and polyester.",
    ),
    (
        "Varaždin Clothing Cluster",
        "varazdin-clothing-cluster",
        OrganisationKind.CLUSTER,
        "varazdin",
        "Varaždin",
        46.3057,
        16.3366,
        True,
        "Cluster of clothing manufacturers of northern Croatia.",
    ),
    (
        "Regional Development Agency North",
        "rda-north",
        OrganisationKind.GOVERNMENT,
        "varazdin",
        "Varaždin",
        46.3044,
        16.3378,
        True,
        "Public agency running funding calls for SMEs in the circular economy.",
    ),
    (
        "Liberec Nonwovens",
        "liberec-nonwovens",
        OrganisationKind.COMPANY,
        "liberec",
        "Liberec",
        50.7663,
        15.0543,
        True,
        "Producer of needle-punched nonwovens for automotive insulation from recycled fibre.",
    ),
    (
        "Technical Textiles Institute Liberec",
        "tti-liberec",
        OrganisationKind.RESEARCH,
        "liberec",
        "Liberec",
        50.7710,
        15.0720,
        True,
        "University institute for nonwovens, nanofibres and recycled-fibre processing.",
    ),
    (
        "Sächsische Faserverwertung",
        "saechsische-faserverwertung",
        OrganisationKind.RECYCLER,
        "saxony",
        "Chemnitz",
        50.8350,
        12.9300,
        True,
        "Tearing and garnetting plant turning production waste into secondary fibre.",
    ),
    (
        "Vorarlberg Textile Association",
        "vorarlberg-textile",
        OrganisationKind.ASSOCIATION,
        "vorarlberg",
        "Dornbirn",
        47.4125,
        9.7417,
        True,
        "Association of embroidery, technical-textile and finishing companies of Vorarlberg.",
    ),
    (
        "Alföld Textile Recycling",
        "alfold-recycling",
        OrganisationKind.RECYCLER,
        "eszak-alfold",
        "Debrecen",
        47.5316,
        21.6273,
        False,
        "Start-up recycler of post-consumer cotton into wiping cloths and shoddy.",
    ),
]

# email, role, display name, region slug, organisation slug
DEMO_USERS = [
    (DEMO_ADMIN_EMAIL, roles.ADMINISTRATOR, "Anna Administrator", "lodzkie", "enter-network"),
    ("editor@example.org", roles.REGIONAL_EDITOR, "Ewa Editor", "lodzkie", "lodz-textile-cluster"),
    ("editor.prato@example.org", roles.REGIONAL_EDITOR, "Paolo Editore", "prato", "tex4im"),
    ("moderator@example.org", roles.MODERATOR, "Marco Moderator", "biella", "biella-wool-lab"),
    (
        "exchange@example.org",
        roles.EXCHANGE_MEMBER,
        "Giulia Exchange",
        "prato",
        "tessitura-bisenzio",
    ),
    ("trainee@example.org", roles.TRAINEE, "Tomasz Trainee", "lodzkie", None),
]

DEMO_PASSWORD = "textile-demo-2026"  # noqa: S105  (dev only: load_demo refuses production)


def load_regions():
    for name, slug, country, nuts in REGIONS:
        Region.objects.update_or_create(
            nuts_code=nuts, defaults={"name": name, "slug": slug, "country": country}
        )


def load_organisations():
    regions = {region.slug: region for region in Region.objects.all()}
    for name, slug, kind, region, city, lat, lon, verified, description in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "region": regions[region],
                "country": regions[region].country,
                "city": city,
                "latitude": lat,
                "longitude": lon,
                "description": description,
                "website": f"https://{slug}.example.org/",
                "verified_at": timezone.now() if verified else None,
            },
        )


def load_users(stdout, style):
    regions = {region.slug: region for region in Region.objects.all()}
    organisations = {organisation.slug: organisation for organisation in Organisation.objects.all()}
    User = get_user_model()
    for email, role, name, region, organisation in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "region": regions[region],
                "organisation": organisations.get(organisation),
                "is_staff": role == roles.ADMINISTRATOR,
                "is_superuser": role == roles.ADMINISTRATOR,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        user_assign_role(user=user, role=role)
        if role != roles.TRAINEE:
            user_assign_role(user=user, role=roles.TRAINEE)


def load_site_look():
    site = Site.objects.get(is_default_site=True)
    look = SiteLook.for_site(site)
    if not look.partner_logos.exists():
        for name in ("ENTeR", "TEX4IM", "Textranet"):
            PartnerLogo.objects.create(
                site_look=look, name=name, url=f"https://{name.lower()}.example.org/"
            )


def load(*, stdout, style):
    stdout.write(style.MIGRATE_HEADING("Core: regions, directory, users"))
    load_regions()
    load_organisations()
    load_site_look()
    load_users(stdout, style)
