"""Core demo content: partner regions, the directory of organisations, one user per role and
the site look. Registered as the first LOAD_DEMO hook (cms/wagtail_hooks.py); idempotent."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Site
from wagtail.rich_text import RichText

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
# The privacy notice and terms of use: placeholders for the operator's own texts.
LEGAL_PAGES = [
    (
        "privacy",
        "privacy",
        "Privacy notice",
        [
            "The Textile Virtual Centre keeps the data you give it (your profile, your training "
            "progress, your posts and listings) to run the services you use, and nothing else.",
            "You can download all of it, or delete your account, under Your data in the "
            "account menu.",
        ],
    ),
    (
        "terms",
        "terms",
        "Terms of use",
        [
            "Use the Virtual Centre for textile recycling and the circular economy: be honest "
            "about the materials you offer, respectful in the working groups, and keep other "
            "people's data to yourself.",
        ],
    ),
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
    from allauth.account.models import EmailAddress

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


# Virtual Centre pages ----------------------------------------------------------------------------
TOPICS = [
    ("Sorting and identification", "sorting"),
    ("Mechanical recycling", "mechanical-recycling"),
    ("Chemical recycling", "chemical-recycling"),
    ("Extended producer responsibility", "epr"),
    ("Ecodesign and labelling", "ecodesign"),
    ("Pre-consumer waste", "pre-consumer-waste"),
    ("Post-consumer textiles", "post-consumer-textiles"),
    ("Nonwovens and technical textiles", "nonwovens"),
]

SECTIONS = [
    # model name, slug, title, intro
    (
        "StoryIndexPage",
        "stories",
        "Pilot cases and success stories",
        "How companies, recyclers and clusters of the partner regions turned textile waste into material.",
    ),
    (
        "WorkingGroupsIndexPage",
        "working-groups",
        "Forum and working groups",
        "Working groups of clusters, researchers and companies discussing recycling challenges.",
    ),
    (
        "TrainingIndexPage",
        "training",
        "Training modules",
        "Training modules on textile recycling and the circular economy, with their developers.",
    ),
    (
        "TechnologyIndexPage",
        "technologies",
        "Technological solutions",
        "Sorting, recycling and remanufacturing technologies, with their developers and readiness level.",
    ),
    (
        "ResearchIndexPage",
        "research",
        "Research and technological trends",
        "Publications and trend reports on textile recycling, linked to their creators.",
    ),
    (
        "NewsletterIndexPage",
        "newsletters",
        "Newsletters from partner regions",
        "The regional newsletters of the partner clusters and agencies.",
    ),
    (
        "LegislationIndexPage",
        "legislation",
        "Legislation",
        "EU and national law on textile waste, with links to the original sources.",
    ),
]

P = "<p>{}</p>".format


def _figures(*rows):
    return [
        ("figure", {"value": value, "unit": unit, "label": label}) for value, unit, label in rows
    ]


STORIES = [
    {
        "slug": "prato-selvedges-to-carded-yarn",
        "title": "From selvedges to carded yarn: closing the wool loop in Prato",
        "kind": "success_story",
        "region": "prato",
        "date": (2025, 11, 4),
        "organisations": ["tessitura-bisenzio", "rigenera-lane", "tex4im"],
        "topics": ["mechanical-recycling", "pre-consumer-waste"],
        "summary": "A weaving mill and a mechanical recycler agreed a take-back contract for 30 t a year of wool selvedges, now spun back into carded yarn for the same mill.",
        "challenge": P(
            "Tessitura Bisenzio paid for 30 t a year of selvedges and roll ends to be collected as mixed waste, although most of it was single-fibre wool."
        ),
        "solution": P(
            "Rigenera Lane Prato collects the cuttings sorted by colour at the mill, tears and cards them into regenerated fibre, which a partner spinner turns into carded yarn."
        ),
        "results": P(
            "Collection costs became revenue; the mill now sells a fabric with 60 % regenerated wool, certified under the Global Recycled Standard."
        ),
        "figures": _figures(
            ("28", "t", "wool diverted a year"),
            ("60", "%", "recycled content of the new fabric"),
            ("4", "", "jobs created at the recycler"),
        ),
        "translations": {
            "it": (
                "Dalle cimose al filato cardato: il ciclo della lana chiuso a Prato",
                "Un lanificio e un riciclatore meccanico hanno firmato un contratto di ritiro per 30 t l'anno di cimose di lana, oggi rifilate in filato cardato per lo stesso lanificio.",
            ),
        },
    },
    {
        "slug": "lodz-nir-sorting-pilot",
        "title": "NIR sorting pilot for post-consumer textiles in Łódź",
        "kind": "pilot_case",
        "region": "lodzkie",
        "date": (2025, 9, 18),
        "organisations": ["ift-lodz", "lodz-textile-cluster"],
        "topics": ["sorting", "post-consumer-textiles"],
        "summary": "The Institute of Fibre Technology tested near-infrared sorting of 40 t of collected clothing to see which fractions are pure enough for fibre-to-fibre recycling.",
        "challenge": P(
            "Municipal textile containers deliver mixed garments; recyclers need bales of known fibre composition."
        ),
        "solution": P(
            "A hyperspectral NIR line sorted garments into cotton, polyester, wool and blends; samples were checked in the lab against care labels."
        ),
        "results": P(
            "82 % of garments were classified correctly; labels were wrong in one case out of seven. The cluster is preparing a regional sorting hub."
        ),
        "figures": _figures(
            ("40", "t", "clothing sorted in the trial"),
            ("82", "%", "correct classification"),
            ("14", "%", "garments with wrong care labels"),
        ),
        "translations": {
            "pl": (
                "Pilotaż sortowania NIR tekstyliów poużytkowych w Łodzi",
                "Instytut Technologii Włókien przetestował sortowanie w bliskiej podczerwieni 40 t zebranej odzieży, aby sprawdzić, które frakcje nadają się do recyklingu włókno-do-włókna.",
            ),
        },
    },
    {
        "slug": "maribor-workwear-cutting-waste",
        "title": "Workwear cutting waste becomes insulation panels",
        "kind": "success_story",
        "region": "podravska",
        "date": (2025, 6, 2),
        "organisations": ["stajerska-tekstil", "maribor-trc", "liberec-nonwovens"],
        "topics": ["nonwovens", "pre-consumer-waste"],
        "summary": "Polyester-cotton cutting waste from a Maribor workwear maker now goes into needle-punched insulation made in Liberec, found through the exchange.",
        "challenge": P(
            "Polyester-cotton blends are hard to recycle into yarn, and the manufacturer had no buyer for 120 t a year of cuttings."
        ),
        "solution": P(
            "Tests at the Maribor Textile Research Centre showed the blend meets the specification of a nonwovens producer for automotive insulation."
        ),
        "results": P(
            "The cuttings are shipped monthly to Liberec; landfill costs fell and a second workwear company joined in 2025."
        ),
        "figures": _figures(
            ("120", "t", "cutting waste a year"), ("310", "t CO2e", "emissions avoided a year")
        ),
        "translations": {},
    },
    {
        "slug": "biella-recycled-wool-traceability",
        "title": "Traceable recycled wool for Biella knitwear",
        "kind": "pilot_case",
        "region": "biella",
        "date": (2025, 3, 12),
        "organisations": ["biella-wool-lab", "filatura-valle-cervo"],
        "topics": ["ecodesign", "mechanical-recycling"],
        "summary": "A spinning mill and the Biella Wool Lab piloted batch-level traceability of recycled wool, from collected knitwear to yarn, for a future digital product passport.",
        "challenge": P(
            "Brands ask for proof of recycled content that ESPR's digital product passport will require."
        ),
        "solution": P(
            "Each bale gets a QR code linking fibre tests, origin and processing steps; the lab verified blends at three points."
        ),
        "results": P(
            "Four knitwear brands used the pilot data for their claims; the approach is now part of a regional training module."
        ),
        "figures": _figures(
            ("12", "", "batches traced end to end"), ("4", "", "brands using the data")
        ),
        "translations": {
            "it": (
                "Lana riciclata tracciabile per la maglieria biellese",
                "Una filatura e il Biella Wool Lab hanno sperimentato la tracciabilità per lotto della lana riciclata, dalla maglieria raccolta al filato, in vista del passaporto digitale del prodotto.",
            ),
        },
    },
    {
        "slug": "saxony-garnetting-automotive",
        "title": "Garnetting production waste for automotive felts in Saxony",
        "kind": "success_story",
        "region": "saxony",
        "date": (2024, 10, 8),
        "organisations": ["saechsische-faserverwertung", "textranet"],
        "topics": ["mechanical-recycling", "nonwovens"],
        "summary": "A Chemnitz tearing plant turns 2,000 t a year of technical-textile production waste into secondary fibre for automotive felts.",
        "challenge": P(
            "Coated and laminated technical textiles were landfilled because no recycler accepted them."
        ),
        "solution": P(
            "A new pre-opening line separates coatings before garnetting; Textranet partners validated fibre length and cleanliness."
        ),
        "results": P("Two automotive suppliers buy the fibre; the plant added a second shift."),
        "figures": _figures(
            ("2000", "t", "production waste recycled a year"), ("9", "", "jobs created")
        ),
        "translations": {},
    },
    {
        "slug": "varazdin-collection-network",
        "title": "A shared collection network for clothing manufacturers in Varaždin",
        "kind": "pilot_case",
        "region": "varazdin",
        "date": (2024, 5, 21),
        "organisations": ["varazdin-clothing-cluster", "rda-north"],
        "topics": ["pre-consumer-waste", "epr"],
        "summary": "Eleven clothing manufacturers pooled their cutting waste in one collection round, financed by the regional development agency, to reach volumes recyclers accept.",
        "challenge": P(
            "Each manufacturer produced too little waste to interest a recycler on its own."
        ),
        "solution": P(
            "The cluster organised a monthly collection with sorting by fibre at one warehouse."
        ),
        "results": P(
            "Volumes reached 25 t a month, enough for a contract with a recycler in Slovenia."
        ),
        "figures": _figures(
            ("11", "", "manufacturers taking part"), ("25", "t", "waste collected a month")
        ),
        "translations": {},
    },
]

TECHNOLOGIES = [
    (
        "nir-hyperspectral-sorting",
        "Hyperspectral NIR sorting line for post-consumer garments",
        "ift-lodz",
        "lodzkie",
        7,
        ["cotton", "polyester", "wool", "polyamide"],
        ["20 01 10", "20 01 11", "19 12 08"],
        ["sorting_automated"],
        "Automated identification of fibre composition at 1 garment per second, with a reject stream for blends.",
    ),
    (
        "wool-tearing-carding",
        "Tearing and carding of wool and cashmere waste",
        "rigenera-lane",
        "prato",
        9,
        ["wool", "cashmere"],
        ["04 02 21", "04 02 22"],
        ["sorting_manual", "mechanical"],
        "The Prato process: sorting by colour, tearing, carding and blending into regenerated fibre without re-dyeing.",
    ),
    (
        "cotton-dissolution-pulp",
        "Dissolution of cotton-rich waste into dissolving pulp",
        "maribor-trc",
        "podravska",
        4,
        ["cotton", "viscose"],
        ["20 01 11", "04 02 22"],
        ["chemical_dissolution"],
        "Ionic-liquid dissolution of cotton-rich garments into pulp suitable for lyocell-type fibres.",
    ),
    (
        "pet-glycolysis",
        "Glycolysis of polyester textiles to BHET monomer",
        "maribor-trc",
        "podravska",
        5,
        ["polyester"],
        ["04 02 22", "20 01 11"],
        ["chemical_depolymerisation"],
        "Catalytic glycolysis of 100 % polyester textiles with removal of dyes, yielding monomer for new PET.",
    ),
    (
        "needle-punch-recycled",
        "Needle-punched nonwovens from recycled blended fibre",
        "liberec-nonwovens",
        "liberec",
        9,
        ["polyester", "cotton", "acrylic"],
        ["19 12 08", "04 02 22"],
        ["nonwoven"],
        "Insulation and acoustic felts for vehicles and buildings from garnetted blended fibre.",
    ),
    (
        "fibre-id-handheld",
        "Handheld fibre identification for sorters",
        "tti-liberec",
        "liberec",
        6,
        ["cotton", "polyester", "wool", "viscose", "polyamide", "acrylic"],
        ["20 01 10", "20 01 11"],
        ["sorting_manual"],
        "A portable NIR spectrometer with an open model for textile fibres, for small sorting centres.",
    ),
]

RESEARCH = [
    (
        "eea-textiles-circular-economy",
        "Textiles and the environment in Europe's circular economy",
        "European Environment Agency",
        "https://www.eea.europa.eu/publications/textiles-in-europes-circular-economy",
        "",
        "European Environment Agency",
        (2019, 11, 19),
        "lodzkie",
        "Briefing on the environmental pressures of textile consumption in Europe and the circular business models that reduce them.",
        None,
    ),
    (
        "jrc-textile-recycling-techno-economic",
        "Techno-scientific assessment of the management options for used and waste textiles in the EU",
        "Joint Research Centre",
        "https://publications.jrc.ec.europa.eu/repository/handle/JRC128203",
        "",
        "Publications Office of the EU",
        (2021, 12, 15),
        None,
        "JRC assessment of collection, sorting, reuse and recycling routes for textiles, with scenarios to 2030.",
        None,
    ),
    (
        "nir-sorting-accuracy-study",
        "Accuracy of near-infrared sorting for post-consumer textile recycling",
        "Institute of Fibre Technology Łódź",
        "https://ift-lodz.example.org/publications/nir-accuracy",
        "10.5604/01.3001.0015.2721",
        "Fibres & Textiles in Eastern Europe",
        (2025, 4, 10),
        "lodzkie",
        "Results of the Łódź NIR trial: accuracy by fibre, effect of labels, finishes and moisture.",
        "ift-lodz",
    ),
    (
        "regenerated-wool-quality",
        "Fibre length and strength of regenerated wool from pre-consumer waste",
        "Biella Wool Lab",
        "https://biella-wool-lab.example.org/research/regenerated-wool",
        "10.1177/00405175241234567",
        "Textile Research Journal",
        (2024, 9, 3),
        "biella",
        "Measurements of regenerated wool from selvedges and knitwear, and blends that keep spinnability.",
        "biella-wool-lab",
    ),
    (
        "chemical-recycling-trends-2025",
        "Trend report: chemical recycling of textiles in Central Europe, 2025",
        "Maribor Textile Research Centre",
        "https://maribor-trc.example.org/trends-2025",
        "",
        "Maribor Textile Research Centre",
        (2025, 2, 27),
        "podravska",
        "Overview of dissolution and depolymerisation plants planned or operating in Central Europe, with capacity and feedstock needs.",
        "maribor-trc",
    ),
]

NEWSLETTERS = [
    (
        "lodz-circular-textiles-2025-10",
        "Łódź Circular Textiles, October 2025",
        "lodzkie",
        "lodz-textile-cluster",
        "2025/10",
        (2025, 10, 15),
        "Sorting hub plans, results of the NIR pilot and a call for companies to join the regional roadmap.",
    ),
    (
        "prato-tex4im-news-2025-09",
        "TEX4IM news from Prato, September 2025",
        "prato",
        "tex4im",
        "18",
        (2025, 9, 30),
        "Regenerated wool in the new collections, the EPR consultation in Italy and the next Textile Circularity Days.",
    ),
    (
        "varazdin-cluster-2025-06",
        "Varaždin Clothing Cluster newsletter, June 2025",
        "varazdin",
        "varazdin-clothing-cluster",
        "2/2025",
        (2025, 6, 20),
        "The shared collection round reaches 25 t a month; new funding call of the regional agency.",
    ),
    (
        "liberec-nonwovens-update-2025",
        "Liberec nonwovens update, spring 2025",
        "liberec",
        "tti-liberec",
        "7",
        (2025, 4, 2),
        "Recycled fibre in automotive felts, new handheld fibre identification and the training module on nonwovens.",
    ),
    (
        "vorarlberg-textile-2025-01",
        "Vorarlberg textile newsletter, January 2025",
        "vorarlberg",
        "vorarlberg-textile",
        "1/2025",
        (2025, 1, 28),
        "Embroidery waste, design for recycling and what ESPR means for technical-textile companies.",
    ),
]

LEGISLATION = [
    {
        "slug": "waste-framework-directive",
        "title": "Waste Framework Directive",
        "identifier": "Directive 2008/98/EC",
        "celex": "32008L0098",
        "type": "directive",
        "status": "in_force",
        "date": (2008, 11, 19),
        "in_force": (2008, 12, 12),
        "applies": (2010, 12, 12),
        "summary": "The EU's basic law on waste: the waste hierarchy, the polluter-pays principle and extended producer responsibility. Since 2025 Member States must collect textiles separately.",
        "topics": ["epr", "post-consumer-textiles"],
    },
    {
        "slug": "textile-epr-amendment",
        "title": "Amendment of the Waste Framework Directive: textiles and food waste",
        "identifier": "Directive (EU) 2025/1892",
        "celex": "32025L1892",
        "type": "directive",
        "status": "adopted",
        "date": (2025, 9, 10),
        "in_force": (2025, 10, 16),
        "applies": (2027, 6, 17),
        "summary": "Makes extended producer responsibility for textiles, textile-related and footwear products mandatory in every Member State: producers pay for collection, sorting and recycling, with fees modulated by the products' environmental performance. Transposition by 17 June 2027; EPR schemes by 17 April 2028.",
        "topics": ["epr", "post-consumer-textiles"],
    },
    {
        "slug": "textile-labelling-regulation",
        "title": "Textile Labelling Regulation",
        "identifier": "Regulation (EU) No 1007/2011",
        "celex": "32011R1007",
        "type": "regulation",
        "status": "in_force",
        "date": (2011, 9, 27),
        "in_force": (2011, 11, 8),
        "applies": (2012, 5, 8),
        "summary": "Sets the names of textile fibres and how fibre composition is labelled. The fibre names of its Annex I are the ones sorters and recyclers work with.",
        "topics": ["ecodesign", "sorting"],
    },
    {
        "slug": "ecodesign-sustainable-products-regulation",
        "title": "Ecodesign for Sustainable Products Regulation (ESPR)",
        "identifier": "Regulation (EU) 2024/1781",
        "celex": "32024R1781",
        "type": "regulation",
        "status": "in_force",
        "date": (2024, 6, 13),
        "in_force": (2024, 7, 18),
        "applies": None,
        "summary": "Framework for ecodesign requirements on almost all physical products, including textiles (durability, recycled content, recyclability), the digital product passport, and a ban on destroying unsold apparel and footwear.",
        "topics": ["ecodesign"],
    },
    {
        "slug": "eu-strategy-sustainable-circular-textiles",
        "title": "EU Strategy for Sustainable and Circular Textiles",
        "identifier": "COM(2022) 141",
        "celex": "52022DC0141",
        "type": "strategy",
        "status": "adopted",
        "date": (2022, 3, 30),
        "in_force": None,
        "applies": None,
        "summary": "The Commission's strategy for textiles that are long-lived and recyclable by 2030, made largely of recycled fibres, free of hazardous substances, with fast fashion out of fashion.",
        "topics": ["ecodesign", "epr"],
    },
]

EVENTS = [
    # slug, title, days from today, start hour, hours, tz, online, city, country, organiser, region, summary
    (
        "textile-circularity-days-prato",
        "Textile Circularity Days Prato",
        24,
        9,
        8,
        "Europe/Rome",
        False,
        "Prato",
        "IT",
        "tex4im",
        "prato",
        "Two days of mill visits, matchmaking between waste producers and recyclers, and the TEX4IM partner meeting.",
    ),
    (
        "webinar-textile-epr",
        "Webinar: preparing for textile EPR",
        10,
        10,
        2,
        "Europe/Brussels",
        True,
        "",
        "",
        "enter-network",
        None,
        "What Directive (EU) 2025/1892 asks of producers, and how the first national schemes are being designed.",
    ),
    (
        "nir-sorting-demo-lodz",
        "NIR sorting line open day",
        45,
        11,
        4,
        "Europe/Warsaw",
        False,
        "Łódź",
        "PL",
        "ift-lodz",
        "lodzkie",
        "See the hyperspectral sorting line at work on post-consumer garments, and bring samples to test.",
    ),
    (
        "nonwovens-workshop-liberec",
        "Workshop: recycled fibre in nonwovens",
        70,
        9,
        6,
        "Europe/Prague",
        False,
        "Liberec",
        "CZ",
        "tti-liberec",
        "liberec",
        "Hands-on workshop on fibre preparation, needle-punching and quality tests for recycled blends.",
    ),
    (
        "enter-kickoff-2025",
        "ENTeR partner meeting 2025",
        -200,
        9,
        7,
        "Europe/Warsaw",
        False,
        "Łódź",
        "PL",
        "enter-network",
        "lodzkie",
        "Annual meeting of the ENTeR regions: roadmap, working groups and the Virtual Centre.",
    ),
    (
        "chemical-recycling-conference",
        "Chemical recycling of textiles: Central European conference",
        -90,
        9,
        9,
        "Europe/Ljubljana",
        False,
        "Maribor",
        "SI",
        "maribor-trc",
        "podravska",
        "Research and industry presentations on dissolution and depolymerisation, with a visit to the pilot plant.",
    ),
    (
        "webinar-digital-product-passport",
        "Webinar: digital product passport for textiles",
        -30,
        14,
        2,
        "Europe/Brussels",
        True,
        "",
        "",
        "textranet",
        None,
        "ESPR's digital product passport explained, with the Biella traceability pilot as an example.",
    ),
]

FUNDING_CALLS = [
    # slug, title, programme, deadline days from today, budget, funder, region, url, summary
    (
        "interreg-ce-circular-textiles",
        "Interreg Central Europe: circular textile value chains",
        "Interreg Central Europe",
        60,
        12000000,
        "enter-network",
        None,
        "https://www.interreg-central.eu/",
        "Transnational cooperation projects on circular value chains; textile regions are encouraged to apply together.",
    ),
    (
        "life-circular-economy-2026",
        "LIFE Circular Economy and Quality of Life",
        "LIFE Programme",
        120,
        98000000,
        None,
        None,
        "https://cinea.ec.europa.eu/programmes/life_en",
        "Standard action projects demonstrating circular solutions, including textile recycling and reuse.",
    ),
    (
        "horizon-europe-textile-recycling",
        "Horizon Europe: fibre-to-fibre recycling of textiles",
        "Horizon Europe, Cluster 6",
        35,
        24000000,
        None,
        None,
        "https://ec.europa.eu/info/funding-tenders/opportunities/portal/",
        "Research and innovation actions on sorting and fibre-to-fibre recycling at scale.",
    ),
    (
        "varazdin-sme-circular-vouchers",
        "Circular economy vouchers for SMEs",
        "Regional innovation vouchers",
        20,
        400000,
        "rda-north",
        "varazdin",
        "https://rda-north.example.org/vouchers",
        "Vouchers of up to EUR 20,000 for SMEs buying recycling or ecodesign services.",
    ),
    (
        "prato-regenerated-wool-fund",
        "Regenerated wool investment fund",
        "Regione Toscana, FESR",
        -40,
        3500000,
        None,
        "prato",
        "https://www.regione.toscana.it/",
        "Grants for equipment that increases the regenerated-wool capacity of Prato firms. Closed.",
    ),
    (
        "lodzkie-green-transformation",
        "Green transformation of Łódź textile SMEs",
        "Fundusze Europejskie dla Łódzkiego",
        -120,
        5000000,
        None,
        "lodzkie",
        "https://funduszeue.lodzkie.pl/",
        "Support for resource efficiency and waste reduction in textile and clothing SMEs. Closed.",
    ),
]


def _date(parts):
    import datetime

    return datetime.date(*parts) if parts else None


def _publish(page):
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return page


def _child(parent, model, slug, relations=None, **fields):
    """The child of ``parent`` with ``slug``, created live if missing. ``relations`` sets
    many-to-many and child relations before the single save (fast: no revision needed for
    demo content; editing it in the admin creates the first revision)."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    page = model(slug=slug, live=True, first_published_at=now, last_published_at=now, **fields)
    for name, value in (relations or {}).items():
        setattr(page, name, value)
    return parent.add_child(instance=page), True


def _demo_images():
    """A few generated images (no download) for listings and galleries."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from wagtail.images import get_image_model

    Image = get_image_model()
    specs = [
        ("Wool selvedges sorted by colour", (166, 124, 82)),
        ("Bales of sorted post-consumer garments", (72, 110, 140)),
        ("Recycled fibre ready for carding", (190, 180, 160)),
        ("Needle-punched felt from recycled fibre", (90, 90, 90)),
    ]
    images = []
    for title, colour in specs:
        image = Image.objects.filter(title=title).first()
        if image is None:
            canvas = PILImage.new("RGB", (960, 640), colour)
            draw = ImageDraw.Draw(canvas)
            for offset in range(0, 960, 24):
                draw.line(
                    [(offset, 0), (offset + 320, 640)], fill=tuple(c + 30 for c in colour), width=6
                )
            buffer = BytesIO()
            canvas.save(buffer, format="JPEG", quality=80)
            slug = title.lower().replace(" ", "-")[:40]
            image = Image(title=title)
            image.file = ImageFile(buffer, name=f"demo-{slug}.jpg")
            image.save()
        images.append(image)
    return images


def _translate(page, language, title, summary=None):
    """A published translation of ``page`` in ``language`` with a translated title and
    summary (parents are copied as needed)."""
    from wagtail.models import Locale

    locale = Locale.objects.get(language_code=language)
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        existing = existing.specific
        if existing.alias_of_id or (existing.title == page.title and title != page.title):
            # Copied as an alias along with a child: make it a translation of its own.
            existing.alias_of = None
            existing.title = title
            if summary is not None:
                existing.summary = summary
            existing.save()
            _publish(existing)
        return existing
    translation = page.copy_for_translation(locale, copy_parents=True).specific
    translation.title = title
    if summary is not None:
        translation.summary = summary
    translation.save()
    return _publish(translation)


def load_virtual_centre(*, stdout, style):
    import datetime

    from django.utils.text import slugify
    from wagtail.models import Locale

    from cms import models as cms
    from cms.editing import regional_editing_setup, user_add_to_region_editors

    stdout.write(style.MIGRATE_HEADING("Virtual Centre: sections, resources, events, funding"))
    english = Locale.get_default()
    home = cms.HomePage.objects.filter(locale=english).first()
    regions = {region.slug: region for region in Region.objects.all()}
    organisations = {organisation.slug: organisation for organisation in Organisation.objects.all()}
    topics = {}
    for name, slug in TOPICS:
        topics[slug], _created = cms.Topic.objects.get_or_create(slug=slug, defaults={"name": name})
    images = _demo_images()

    for kind, slug, title, paragraphs in LEGAL_PAGES:
        _child(
            home,
            cms.LegalPage,
            slug,
            title=title,
            kind=kind,
            body=[("text", RichText("".join(f"<p>{text}</p>" for text in paragraphs)))],
        )

    resources, _created = _child(
        home,
        cms.ResourceIndexPage,
        "resources",
        title="Virtual Centre resources",
        intro=P(
            "The reference point for textile recycling and the circular economy: seven sections, each linking to the people behind the resources."
        ),
    )
    sections = {}
    for model_name, slug, title, intro in SECTIONS:
        sections[slug], _created = _child(
            resources, getattr(cms, model_name), slug, title=title, intro=P(intro)
        )
    events_index, _created = _child(
        home,
        cms.EventIndexPage,
        "events",
        title="Events",
        intro=P(
            "Shared events of the partner networks: meetings, workshops, open days and webinars."
        ),
    )
    funding_index, _created = _child(
        home,
        cms.FundingIndexPage,
        "funding",
        title="Funding calls",
        intro=P("Funding programmes that can foster cooperation between the partner regions."),
    )

    for story in STORIES:
        page, created = _child(
            sections["stories"],
            cms.StoryPage,
            story["slug"],
            title=story["title"],
            kind=story["kind"],
            region=regions[story["region"]],
            date=_date(story["date"]),
            summary=story["summary"],
            challenge=story["challenge"],
            solution=story["solution"],
            results=story["results"],
            key_figures=story["figures"],
            relations={
                "organisations": [organisations[slug] for slug in story["organisations"]],
                "topics": [topics[slug] for slug in story["topics"]],
                "gallery_images": [
                    cms.StoryGalleryImage(
                        image=images[0],
                        alt_text="Wool selvedges in crates, sorted by colour",
                        caption="Sorted selvedges at the mill",
                    ),
                    cms.StoryGalleryImage(
                        image=images[2],
                        alt_text="White regenerated fibre on a carding machine",
                        caption="Regenerated fibre",
                    ),
                ],
            },
            image=images[len(story["slug"]) % len(images)],
            body=[
                (
                    "quote",
                    {
                        "text": "The waste we paid to get rid of is now a raw material we sell.",
                        "attribution": "Production manager",
                        "role": organisations[story["organisations"][0]].name,
                    },
                ),
                (
                    "call_to_action",
                    {
                        "title": "Have similar waste?",
                        "text": "Offer it on the M3P materials exchange.",
                        "link_text": "Go to the exchange",
                        "page": None,
                        "url": "/exchange/",
                    },
                ),
            ],
        )
        for language, (title, summary) in story["translations"].items():
            _translate(page, language, title, summary)

    for slug, title, developer, region, trl, fibres, codes, processes, summary in TECHNOLOGIES:
        page, created = _child(
            sections["technologies"],
            cms.TechnologyPage,
            slug,
            title=title,
            developer=organisations[developer],
            region=regions[region],
            readiness_level=trl,
            fibres=fibres,
            waste_codes=codes,
            processes=processes,
            summary=summary,
            contact_name="Technology transfer office",
            contact_email=f"transfer@{developer}.example.org",
            contact_url=f"https://{developer}.example.org/technology",
            date=datetime.date(2025, 1, 15) + datetime.timedelta(days=len(slug) * 7),
            relations={
                "organisations": [organisations[developer]],
                "topics": [
                    topics[
                        "chemical-recycling"
                        if "chemical" in processes[0]
                        else "mechanical-recycling"
                        if processes[0] == "mechanical"
                        else "sorting"
                        if "sorting" in processes[0]
                        else "nonwovens"
                    ]
                ],
            },
        )

    for slug, title, creator, url, doi, publisher, date, region, summary, organisation in RESEARCH:
        page, created = _child(
            sections["research"],
            cms.ResearchPage,
            slug,
            title=title,
            source_url=url,
            doi=doi,
            publisher=publisher,
            date=_date(date),
            region=regions.get(region),
            summary=summary,
            relations={
                "creators": [
                    cms.ResearchCreator(
                        name=creator, url=url, organisation=organisations.get(organisation)
                    )
                ],
                "topics": [topics["sorting"]]
                if "sorting" in slug
                else [topics["post-consumer-textiles"]],
                "organisations": [organisations[organisation]] if organisation else [],
            },
        )

    for slug, title, region, creator, number, date, summary in NEWSLETTERS:
        page, created = _child(
            sections["newsletters"],
            cms.NewsletterIssuePage,
            slug,
            title=title,
            region=regions[region],
            creator=organisations[creator],
            issue_number=number,
            date=_date(date),
            summary=summary,
            body=[
                ("text", P(summary)),
                (
                    "key_points",
                    {
                        "heading": "In this issue",
                        "points": [sentence.strip() for sentence in summary.split(",")],
                    },
                ),
            ],
        )

    for law in LEGISLATION:
        page, created = _child(
            sections["legislation"],
            cms.LegislationPage,
            law["slug"],
            title=law["title"],
            identifier=law["identifier"],
            celex_number=law["celex"],
            source_url=f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{law['celex']}",
            instrument_type=law["type"],
            status=law["status"],
            jurisdiction="EU",
            date=_date(law["date"]),
            entry_into_force=_date(law["in_force"]),
            application_date=_date(law["applies"]),
            summary=law["summary"],
            relations={"topics": [topics[slug] for slug in law["topics"]]},
            related_publications=[
                (
                    "publication",
                    {
                        "title": "Textiles strategy: questions and answers",
                        "url": "https://environment.ec.europa.eu/strategy/textiles-strategy_en",
                        "creator": "European Commission",
                        "description": "The Commission's overview of EU action on textiles.",
                    },
                )
            ],
        )
    waste_framework = cms.LegislationPage.objects.get(
        slug="waste-framework-directive", locale=english
    )
    _translate(
        waste_framework,
        "pl",
        "Dyrektywa ramowa w sprawie odpadów",
        "Podstawowy akt prawny UE o odpadach: hierarchia postępowania z odpadami, zasada „zanieczyszczający płaci” i rozszerzona odpowiedzialność producenta.",
    )
    _translate(
        waste_framework,
        "it",
        "Direttiva quadro sui rifiuti",
        "La legge di base dell'UE sui rifiuti: gerarchia dei rifiuti, principio «chi inquina paga» e responsabilità estesa del produttore.",
    )

    now = timezone.now()
    for (
        slug,
        title,
        days,
        hour,
        hours,
        tz,
        online,
        city,
        country,
        organiser,
        region,
        summary,
    ) in EVENTS:
        from zoneinfo import ZoneInfo

        day = (now + datetime.timedelta(days=days)).astimezone(ZoneInfo(tz)).date()
        start = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(tz))
        _child(
            events_index,
            cms.EventPage,
            slug,
            title=title,
            start=start,
            end=start
            + datetime.timedelta(hours=hours)
            + (datetime.timedelta(days=1) if hours >= 8 else datetime.timedelta()),
            time_zone=tz,
            is_online=online,
            online_url="https://meet.example.org/textile-centre" if online else "",
            venue="" if online else f"{organisations[organiser].name}",
            city=city,
            country=country,
            organiser=organisations[organiser],
            region=regions.get(region) if region else None,
            registration_url=f"https://{organiser}.example.org/events/{slugify(title)}",
            summary=summary,
        )

    for slug, title, programme, days, budget, funder, region, url, summary in FUNDING_CALLS:
        _child(
            funding_index,
            cms.FundingCallPage,
            slug,
            title=title,
            programme=programme,
            deadline=now.replace(hour=17, minute=0, second=0, microsecond=0)
            + datetime.timedelta(days=days),
            opens=(now - datetime.timedelta(days=90)).date(),
            budget=budget,
            call_url=url,
            funder=organisations.get(funder),
            region=regions.get(region) if region else None,
            summary=summary,
        )

    for language, title in (
        ("pl", "Wirtualne Centrum Tekstylne"),
        ("it", "Centro Virtuale Tessile"),
    ):
        _translate(home, language, title)
        _translate(events_index, language, {"pl": "Wydarzenia", "it": "Eventi"}[language])

    regional_editing_setup()
    User = get_user_model()
    for email, role, _name, region, _organisation in DEMO_USERS:
        if role == roles.REGIONAL_EDITOR:
            user_add_to_region_editors(
                user=User.objects.get(email=email), region=Region.objects.get(slug=region)
            )
    stdout.write(
        f"  {cms.StoryPage.objects.count()} stories, {cms.EventPage.objects.count()} events, {cms.FundingCallPage.objects.count()} funding calls"
    )
