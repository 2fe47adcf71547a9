"""Demo section 1: pilot cases and success stories, with a gallery and translations."""

from cms import models as cms

from .pages import P, _child, _date, _figures, _translate

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


def load_stories(section, *, regions, organisations, topics, images):
    for story in STORIES:
        page, created = _child(
            section,
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
