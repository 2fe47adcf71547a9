"""Demo section 6: issues of the regional newsletters."""

from cms import models as cms

from .pages import P, _child, _date

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


def load_newsletters(section, *, regions, organisations):
    for slug, title, region, creator, number, date, summary in NEWSLETTERS:
        page, created = _child(
            section,
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
