"""Demo section 5: research and trend reports, linked to their creators."""

from cms import models as cms

from .pages import _child, _date

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


def load_research(section, *, regions, organisations, topics):
    for slug, title, creator, url, doi, publisher, date, region, summary, organisation in RESEARCH:
        page, created = _child(
            section,
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
