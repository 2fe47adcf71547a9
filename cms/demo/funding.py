"""Demo funding calls, with deadlines counted from today."""

import datetime

from django.utils import timezone

from cms import models as cms

from .pages import _child

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


def load_funding_calls(funding_index, *, regions, organisations):
    now = timezone.now()
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
