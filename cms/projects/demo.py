"""Demo joint projects for ``manage.py load_demo`` (idempotent): ENTeR and TEX4IM, whose
cooperation agreements this site serves, and two projects of the partner regions."""

import datetime
from decimal import Decimal

from wagtail.models import Locale, Page

from cms.demo import P, _child, _translate
from cms.directory.models import Organisation, Region
from cms.models import FundingCallPage, HomePage

from .choices import PartnerRole, ProjectStatus
from .models import ProjectIndexPage, ProjectOutput, ProjectPage, ProjectPartner

# slug, title, acronym, programme, funding call slug, S3 area, status, start, end, budget,
# website, partners [(organisation slug, role)], region slugs, output page slugs, summary,
# translations {language: (title, summary)}
PROJECTS = [
    (
        "enter",
        "ENTeR: cooperation of textile regions on recycling",
        "ENTeR",
        "Interreg CENTRAL EUROPE (CE136)",
        None,
        "circular_economy",
        ProjectStatus.COMPLETED,
        None,
        datetime.date(2020, 11, 10),
        None,
        "",
        [
            ("enter-network", PartnerRole.COORDINATOR),
            ("lodz-textile-cluster", PartnerRole.PARTNER),
            ("ift-lodz", PartnerRole.PARTNER),
            ("maribor-trc", PartnerRole.PARTNER),
            ("varazdin-clothing-cluster", PartnerRole.PARTNER),
            ("tti-liberec", PartnerRole.PARTNER),
        ],
        ["lodzkie", "podravska", "varazdin", "liberec"],
        ["lodz-nir-sorting-pilot", "nir-hyperspectral-sorting", "lodz-circular-textiles-2025-10"],
        "Central European textile regions working together on textile recycling. Concluded with "
        "a collaboration agreement (final conference, 10 November 2020) that created this Virtual "
        "Centre and the M3P platform for matching partners and exchanging information.",
        {
            "pl": (
                "ENTeR: współpraca regionów tekstylnych w zakresie recyklingu",
                "Regiony tekstylne Europy Środkowej współpracujące w zakresie recyklingu tekstyliów. "
                "Projekt zakończyło porozumienie o współpracy (konferencja końcowa, 10 listopada "
                "2020 r.), które powołało Wirtualne Centrum i platformę M3P.",
            ),
            "it": (
                "ENTeR: cooperazione tra regioni tessili sul riciclo",
                "Regioni tessili dell'Europa centrale che collaborano sul riciclo dei tessili. Si è "
                "concluso con un accordo di collaborazione (conferenza finale, 10 novembre 2020) "
                "che ha creato questo Centro Virtuale e la piattaforma M3P.",
            ),
        },
    ),
    (
        "tex4im",
        "TEX4IM: textiles for industrial modernisation",
        "TEX4IM",
        "Interreg",
        None,
        "industry_40",
        ProjectStatus.COMPLETED,
        None,
        None,
        None,
        "",
        [
            ("tex4im", PartnerRole.COORDINATOR),
            ("tessitura-bisenzio", PartnerRole.PARTNER),
            ("rigenera-lane", PartnerRole.PARTNER),
            ("biella-wool-lab", PartnerRole.PARTNER),
            ("textranet", PartnerRole.ASSOCIATED),
        ],
        ["prato", "biella", "saxony"],
        ["prato-selvedges-to-carded-yarn", "wool-tearing-carding", "prato-tex4im-news-2025-09"],
        "Innovation support for textile and clothing SMEs. After the project, the partnership "
        "signed a cooperation agreement with Textranet: mutual access to events, joint actions "
        "and investment projects in common smart-specialisation areas.",
        {
            "pl": (
                "TEX4IM: tekstylia dla modernizacji przemysłu",
                "Wsparcie innowacji w MŚP z branży tekstylnej i odzieżowej. Po zakończeniu projektu "
                "partnerstwo podpisało porozumienie o współpracy z Textranet: wzajemny dostęp do "
                "wydarzeń, wspólne działania i projekty inwestycyjne.",
            ),
            "it": (
                "TEX4IM: tessile per la modernizzazione industriale",
                "Sostegno all'innovazione delle PMI del tessile e abbigliamento. Dopo il progetto, il "
                "partenariato ha firmato un accordo di cooperazione con Textranet: accesso reciproco "
                "agli eventi, azioni comuni e progetti di investimento.",
            ),
        },
    ),
    (
        "wool-trace",
        "Wool Trace: traceable regenerated wool",
        "WOOLTRACE",
        "Horizon Europe",
        None,
        "digital",
        ProjectStatus.RUNNING,
        datetime.date(2025, 1, 1),
        datetime.date(2027, 12, 31),
        Decimal("2400000"),
        "",
        [
            ("biella-wool-lab", PartnerRole.COORDINATOR),
            ("filatura-valle-cervo", PartnerRole.PARTNER),
            ("rigenera-lane", PartnerRole.PARTNER),
            ("vorarlberg-textile", PartnerRole.ASSOCIATED),
        ],
        ["biella", "prato", "vorarlberg"],
        ["biella-recycled-wool-traceability"],
        "A digital product passport for regenerated wool, from sorted post-consumer knitwear to "
        "the finished fabric, tested by spinners in Biella and recyclers in Prato.",
        {},
    ),
    (
        "felt-loop",
        "Felt Loop: automotive felts from post-consumer textiles",
        "FELTLOOP",
        "LIFE",
        "life-circular-economy-2026",
        "circular_economy",
        ProjectStatus.PLANNED,
        datetime.date(2026, 9, 1),
        datetime.date(2029, 8, 31),
        Decimal("1750000"),
        "",
        [
            ("saechsische-faserverwertung", PartnerRole.COORDINATOR),
            ("liberec-nonwovens", PartnerRole.PARTNER),
            ("alfold-recycling", PartnerRole.PARTNER),
        ],
        ["saxony", "liberec", "eszak-alfold"],
        ["saxony-garnetting-automotive"],
        "Garnetted fibre from unsorted post-consumer textiles for needle-punched automotive felts; "
        "a proposal prepared for the LIFE call.",
        {},
    ),
]


def load(*, stdout, style):
    stdout.write(style.MIGRATE_HEADING("Joint projects"))
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        return
    index, _created = _child(
        home,
        ProjectIndexPage,
        "projects",
        title="Joint projects",
        intro=P(
            "Collaborative projects of the partner regions: who takes part, under which "
            "programme, and what came out of them."
        ),
    )
    organisations = {o.slug: o for o in Organisation.objects.all()}
    regions = {r.slug: r for r in Region.objects.all()}
    english = Locale.get_default()
    for (
        slug,
        title,
        acronym,
        programme,
        call,
        s3_area,
        status,
        start,
        end,
        budget,
        website,
        partners,
        region_slugs,
        outputs,
        summary,
        translations,
    ) in PROJECTS:
        if any(partner not in organisations for partner, _role in partners):
            continue
        output_pages = {
            page.slug: page
            for page in Page.objects.filter(slug__in=outputs, locale=english, live=True)
        }
        project, _created = _child(
            index,
            ProjectPage,
            slug,
            relations={
                "partners": [
                    ProjectPartner(organisation=organisations[partner], role=role)
                    for partner, role in partners
                ],
                "outputs": [
                    ProjectOutput(page=output_pages[output])
                    for output in outputs
                    if output in output_pages
                ],
                "regions": [regions[r] for r in region_slugs if r in regions],
            },
            title=title,
            acronym=acronym,
            programme=programme,
            funding_call=FundingCallPage.objects.filter(slug=call).first() if call else None,
            s3_area=s3_area,
            status=status,
            start_date=start,
            end_date=end,
            budget=budget,
            website=website,
            summary=summary,
        )
        for language, (translated_title, translated_summary) in translations.items():
            _translate(project, language, translated_title, translated_summary)
    for language, title in (("pl", "Wspólne projekty"), ("it", "Progetti comuni")):
        _translate(index, language, title)
    stdout.write(f"  {ProjectPage.objects.filter(locale=english).count()} projects")
