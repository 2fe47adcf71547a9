"""Demo section 7: EU law on textile waste, one act translated."""

from wagtail.models import Locale

from cms import models as cms

from .pages import _child, _date, _translate

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


def load_legislation(section, *, topics):
    for law in LEGISLATION:
        page, created = _child(
            section,
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
        slug="waste-framework-directive", locale=Locale.get_default()
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
