"""Vocabularies of cooperation profiles and opportunities. Codes are stored, labels translated.

NACE Rev. 2 (Regulation (EC) No 1893/2006): the divisions, groups and classes a textile and
clothing partnership meets, as a hierarchy (division "13", group "13.9", class "13.92"). A
search or a match on a division also finds its groups and classes (``nace_ancestors``).
"""

from django.utils.translation import gettext_lazy as _

NACE = [
    ("13", _("Manufacture of textiles")),
    ("13.1", _("Preparation and spinning of textile fibres")),
    ("13.10", _("Preparation and spinning of textile fibres")),
    ("13.2", _("Weaving of textiles")),
    ("13.20", _("Weaving of textiles")),
    ("13.3", _("Finishing of textiles")),
    ("13.30", _("Finishing of textiles")),
    ("13.9", _("Manufacture of other textiles")),
    ("13.91", _("Manufacture of knitted and crocheted fabrics")),
    ("13.92", _("Manufacture of made-up textile articles, except apparel")),
    ("13.93", _("Manufacture of carpets and rugs")),
    ("13.94", _("Manufacture of cordage, rope, twine and netting")),
    ("13.95", _("Manufacture of non-wovens and articles made from non-wovens, except apparel")),
    ("13.96", _("Manufacture of other technical and industrial textiles")),
    ("13.99", _("Manufacture of other textiles n.e.c.")),
    ("14", _("Manufacture of wearing apparel")),
    ("14.1", _("Manufacture of wearing apparel, except fur apparel")),
    ("14.12", _("Manufacture of workwear")),
    ("14.13", _("Manufacture of other outerwear")),
    ("14.14", _("Manufacture of underwear")),
    ("14.19", _("Manufacture of other wearing apparel and accessories")),
    ("14.3", _("Manufacture of knitted and crocheted apparel")),
    ("14.39", _("Manufacture of other knitted and crocheted apparel")),
    ("20", _("Manufacture of chemicals and chemical products")),
    ("20.60", _("Manufacture of man-made fibres")),
    ("28", _("Manufacture of machinery and equipment n.e.c.")),
    ("28.94", _("Manufacture of machinery for textile, apparel and leather production")),
    ("38", _("Waste collection, treatment and disposal activities; materials recovery")),
    ("38.1", _("Waste collection")),
    ("38.11", _("Collection of non-hazardous waste")),
    ("38.2", _("Waste treatment and disposal")),
    ("38.21", _("Treatment and disposal of non-hazardous waste")),
    ("38.3", _("Materials recovery")),
    ("38.31", _("Dismantling of wrecks")),
    ("38.32", _("Recovery of sorted materials")),
    ("46", _("Wholesale trade, except of motor vehicles and motorcycles")),
    (
        "46.16",
        _("Agents involved in the sale of textiles, clothing, fur, footwear and leather goods"),
    ),
    ("46.41", _("Wholesale of textiles")),
    ("46.42", _("Wholesale of clothing and footwear")),
    ("46.76", _("Wholesale of other intermediate products")),
    ("46.77", _("Wholesale of waste and scrap")),
    ("47", _("Retail trade, except of motor vehicles and motorcycles")),
    ("47.51", _("Retail sale of textiles in specialised stores")),
    ("47.71", _("Retail sale of clothing in specialised stores")),
    ("47.79", _("Retail sale of second-hand goods in stores")),
    ("70", _("Activities of head offices; management consultancy activities")),
    ("70.22", _("Business and other management consultancy activities")),
    ("72", _("Scientific research and development")),
    ("72.1", _("Research and experimental development on natural sciences and engineering")),
    ("72.19", _("Other research and experimental development on natural sciences and engineering")),
    ("74", _("Other professional, scientific and technical activities")),
    ("74.10", _("Specialised design activities")),
    ("84", _("Public administration and defence; compulsory social security")),
    ("84.13", _("Regulation of and contribution to more efficient operation of businesses")),
    ("85", _("Education")),
    ("85.32", _("Technical and vocational secondary education")),
    ("85.42", _("Tertiary education")),
    ("85.59", _("Other education n.e.c.")),
    ("94", _("Activities of membership organisations")),
    ("94.11", _("Activities of business and employers membership organisations")),
]
NACE_LABELS = dict(NACE)
NACE_CHOICES = [(code, f"{code} {label}") for code, label in NACE]


def nace_ancestors(code):
    """The code and the codes above it: "13.92" → ["13", "13.9", "13.92"]."""
    if "." not in code:
        return [code]
    division, rest = code.split(".", 1)
    found = [division]
    if len(rest) == 2 and f"{division}.{rest[0]}" in NACE_LABELS:
        found.append(f"{division}.{rest[0]}")
    found.append(code)
    return list(dict.fromkeys(found))


# Position in the textile value chain, from fibre to recycling, and the supporting roles.
VALUE_CHAIN = [
    ("fibre", _("Fibre production")),
    ("spinning", _("Spinning")),
    ("weaving_knitting", _("Weaving and knitting")),
    ("finishing", _("Dyeing and finishing")),
    ("garment", _("Garment making")),
    ("retail", _("Retail and brands")),
    ("collection", _("Collection")),
    ("sorting", _("Sorting")),
    ("recycling", _("Recycling")),
    ("research", _("Research and technology")),
    ("training", _("Education and training")),
    ("public_body", _("Public body")),
    ("cluster", _("Cluster or association")),
]
VALUE_CHAIN_LABELS = dict(VALUE_CHAIN)

# Smart-specialisation (S3) priority areas the textile regions share (after the categories of
# the EU S3 Platform, narrowed to what T&C partnerships name in their strategies).
S3_AREAS = [
    ("circular_economy", _("Circular economy and recycling")),
    ("advanced_materials", _("Advanced and bio-based materials")),
    ("technical_textiles", _("Technical and smart textiles")),
    ("industry_40", _("Industrial modernisation and Industry 4.0")),
    ("sustainable_fashion", _("Sustainable fashion and design")),
    ("health", _("Health and medical textiles")),
    ("energy", _("Energy and resource efficiency")),
    ("digital", _("Digital traceability and product passports")),
    ("skills", _("Skills and education")),
]
S3_LABELS = dict(S3_AREAS)


class SizeClass:
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    NOT_APPLICABLE = "na"


# The EU SME definition (Recommendation 2003/361/EC), by headcount.
SIZE_CLASSES = [
    (SizeClass.MICRO, _("Micro (fewer than 10 people)")),
    (SizeClass.SMALL, _("Small (10 to 49 people)")),
    (SizeClass.MEDIUM, _("Medium (50 to 249 people)")),
    (SizeClass.LARGE, _("Large (250 people or more)")),
    (SizeClass.NOT_APPLICABLE, _("Not applicable")),
]

# Languages partners work in: the EU's official languages (names come translated from Django).
LANGUAGE_CODES = [
    "en", "pl", "it", "de", "fr", "es", "pt", "nl", "cs", "sk", "sl", "hu", "ro",
    "hr", "bg", "lt", "lv", "et", "el", "sv", "da", "fi", "ga",
]  # fmt: skip


def language_choices():
    from django.utils.translation import get_language_info

    return [(code, get_language_info(code)["name_translated"]) for code in LANGUAGE_CODES]


def term_code(text):
    """A free-text tag (a competence, an expertise) as the code it is matched on."""
    return " ".join(str(text).lower().split())[:80]
