"""Demo section 4: technological solutions of the partner developers."""

import datetime

from cms import models as cms

from .pages import _child

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


def load_technologies(section, *, regions, organisations, topics):
    for slug, title, developer, region, trl, fibres, codes, processes, summary in TECHNOLOGIES:
        page, created = _child(
            section,
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
