"""EU taxonomies for textile materials, shared by the Virtual Centre (technology pages) and the
materials exchange. Data, not free text: codes are stored, labels are translated."""

import re

from django.utils.translation import gettext_lazy as _

# List of Waste (Commission Decision 2000/532/EC as replaced by Decision 2014/955/EU): every
# entry of the chapters that concern textiles, written as in the official list. The asterisk
# the list prints after a code marks hazardous waste; it is part of the stored code and the
# only thing that decides hazard (``is_hazardous_code``).
WASTE_CHAPTERS = [
    ("04 02", _("Wastes from the textile industry")),
    ("15 01", _("Packaging (including separately collected municipal packaging waste)")),
    ("15 02", _("Absorbents, filter materials, wiping cloths and protective clothing")),
    ("19 12", _("Wastes from the mechanical treatment of waste (for example sorting, crushing)")),
    ("20 01", _("Separately collected fractions of municipal waste (except 15 01)")),
]
WASTE_CODES = [
    ("04 02 09", _("wastes from composite materials (impregnated textile, elastomer, plastomer)")),
    ("04 02 10", _("organic matter from natural products (for example grease, wax)")),
    ("04 02 14*", _("wastes from finishing containing organic solvents")),
    ("04 02 15", _("wastes from finishing other than those containing organic solvents")),
    ("04 02 16*", _("dyestuffs and pigments containing hazardous substances")),
    ("04 02 17", _("dyestuffs and pigments other than those mentioned in 04 02 16")),
    ("04 02 19*", _("sludges from on-site effluent treatment containing hazardous substances")),
    (
        "04 02 20",
        _("sludges from on-site effluent treatment other than those mentioned in 04 02 19"),
    ),
    ("04 02 21", _("wastes from unprocessed textile fibres")),
    ("04 02 22", _("wastes from processed textile fibres")),
    ("04 02 99", _("wastes from the textile industry not otherwise specified")),
    ("15 01 01", _("paper and cardboard packaging")),
    ("15 01 02", _("plastic packaging")),
    ("15 01 03", _("wooden packaging")),
    ("15 01 04", _("metallic packaging")),
    ("15 01 05", _("composite packaging")),
    ("15 01 06", _("mixed packaging")),
    ("15 01 07", _("glass packaging")),
    ("15 01 09", _("textile packaging")),
    ("15 01 10*", _("packaging containing residues of or contaminated by hazardous substances")),
    (
        "15 01 11*",
        _(
            "metallic packaging containing a hazardous solid porous matrix (for example asbestos), including empty pressure containers"
        ),
    ),
    (
        "15 02 02*",
        _(
            "absorbents, filter materials, wiping cloths and protective clothing contaminated by hazardous substances"
        ),
    ),
    (
        "15 02 03",
        _(
            "absorbents, filter materials, wiping cloths and protective clothing other than those mentioned in 15 02 02"
        ),
    ),
    ("19 12 01", _("paper and cardboard")),
    ("19 12 02", _("ferrous metal")),
    ("19 12 03", _("non-ferrous metal")),
    ("19 12 04", _("plastic and rubber")),
    ("19 12 05", _("glass")),
    ("19 12 06*", _("wood containing hazardous substances")),
    ("19 12 07", _("wood other than that mentioned in 19 12 06")),
    ("19 12 08", _("textiles from mechanical treatment of waste (sorting, crushing)")),
    ("19 12 09", _("minerals (for example sand, stones)")),
    ("19 12 10", _("combustible waste (refuse derived fuel)")),
    (
        "19 12 11*",
        _(
            "other wastes (including mixtures of materials) from mechanical treatment of waste containing hazardous substances"
        ),
    ),
    (
        "19 12 12",
        _(
            "other wastes (including mixtures of materials) from mechanical treatment of wastes other than those mentioned in 19 12 11"
        ),
    ),
    ("20 01 01", _("paper and cardboard")),
    ("20 01 02", _("glass")),
    ("20 01 08", _("biodegradable kitchen and canteen waste")),
    ("20 01 10", _("clothes (separately collected municipal fractions)")),
    ("20 01 11", _("textiles (separately collected municipal fractions)")),
    ("20 01 13*", _("solvents")),
    ("20 01 14*", _("acids")),
    ("20 01 15*", _("alkalines")),
    ("20 01 17*", _("photochemicals")),
    ("20 01 19*", _("pesticides")),
    ("20 01 21*", _("fluorescent tubes and other mercury-containing waste")),
    ("20 01 23*", _("discarded equipment containing chlorofluorocarbons")),
    ("20 01 25", _("edible oil and fat")),
    ("20 01 26*", _("oil and fat other than those mentioned in 20 01 25")),
    ("20 01 27*", _("paint, inks, adhesives and resins containing hazardous substances")),
    ("20 01 28", _("paint, inks, adhesives and resins other than those mentioned in 20 01 27")),
    ("20 01 29*", _("detergents containing hazardous substances")),
    ("20 01 30", _("detergents other than those mentioned in 20 01 29")),
    ("20 01 31*", _("cytotoxic and cytostatic medicines")),
    ("20 01 32", _("medicines other than those mentioned in 20 01 31")),
    (
        "20 01 33*",
        _(
            "batteries and accumulators included in 16 06 01, 16 06 02 or 16 06 03 and unsorted batteries and accumulators containing these batteries"
        ),
    ),
    ("20 01 34", _("batteries and accumulators other than those mentioned in 20 01 33")),
    (
        "20 01 35*",
        _(
            "discarded electrical and electronic equipment other than those mentioned in 20 01 21 and 20 01 23 containing hazardous components"
        ),
    ),
    (
        "20 01 36",
        _(
            "discarded electrical and electronic equipment other than those mentioned in 20 01 21, 20 01 23 and 20 01 35"
        ),
    ),
    ("20 01 37*", _("wood containing hazardous substances")),
    ("20 01 38", _("wood other than that mentioned in 20 01 37")),
    ("20 01 39", _("plastics")),
    ("20 01 40", _("metals")),
    ("20 01 41", _("wastes from chimney sweeping")),
    ("20 01 99", _("other fractions not otherwise specified")),
]
# {code: label} of each list, the labels lazy (translated where shown): made once, here.
WASTE_CODE_LABELS = dict(WASTE_CODES)
HAZARDOUS_WASTE_CODES = frozenset(code for code, _label in WASTE_CODES if code.endswith("*"))
_CODE_BY_DIGITS = {re.sub(r"\D", "", code): code for code, _label in WASTE_CODES}


def normalise_waste_code(text):
    """The official code ("04 02 14*") for what a person or a file wrote ("040214", "04 02 14",
    "04-02-14*"), or "" when it is not an entry of the list above."""
    return _CODE_BY_DIGITS.get(re.sub(r"\D", "", text or ""), "")


def is_hazardous_code(code):
    """Hazardous when the official list prints an asterisk after the code, whether or not the
    asterisk was typed."""
    return normalise_waste_code(code).endswith("*")


def waste_code_choices():
    """Choices grouped by chapter, for select boxes: ``[(chapter, [(code, "code label")])]``."""
    return [
        (
            f"{chapter} {heading}",
            [(code, f"{code} {label}") for code, label in WASTE_CODES if code.startswith(chapter)],
        )
        for chapter, heading in WASTE_CHAPTERS
    ]


class FibreFamily:
    CELLULOSIC_NATURAL = "cellulosic_natural"
    CELLULOSIC_MAN_MADE = "cellulosic_man_made"
    PROTEIN = "protein"
    SYNTHETIC = "synthetic"
    INORGANIC = "inorganic"
    UNKNOWN = "unknown"


FIBRE_FAMILIES = [
    (FibreFamily.CELLULOSIC_NATURAL, _("Natural cellulosic (plant) fibres")),
    (FibreFamily.CELLULOSIC_MAN_MADE, _("Man-made cellulosic fibres")),
    (FibreFamily.PROTEIN, _("Protein (animal) fibres")),
    (FibreFamily.SYNTHETIC, _("Synthetic fibres")),
    (FibreFamily.INORGANIC, _("Inorganic fibres")),
    (FibreFamily.UNKNOWN, _("Unknown")),
]

# Fibre names of Annex I of Regulation (EU) No 1007/2011 (textile fibre names), with their
# family. Code, label, family.
FIBRES = [
    ("wool", _("wool"), FibreFamily.PROTEIN),
    ("alpaca", _("alpaca"), FibreFamily.PROTEIN),
    ("camel", _("camel"), FibreFamily.PROTEIN),
    ("cashmere", _("cashmere"), FibreFamily.PROTEIN),
    ("mohair", _("mohair"), FibreFamily.PROTEIN),
    ("angora", _("angora"), FibreFamily.PROTEIN),
    ("yak", _("yak"), FibreFamily.PROTEIN),
    ("horsehair", _("horsehair"), FibreFamily.PROTEIN),
    ("silk", _("silk"), FibreFamily.PROTEIN),
    ("cotton", _("cotton"), FibreFamily.CELLULOSIC_NATURAL),
    ("kapok", _("kapok"), FibreFamily.CELLULOSIC_NATURAL),
    ("flax", _("flax (linen)"), FibreFamily.CELLULOSIC_NATURAL),
    ("hemp", _("hemp"), FibreFamily.CELLULOSIC_NATURAL),
    ("jute", _("jute"), FibreFamily.CELLULOSIC_NATURAL),
    ("ramie", _("ramie"), FibreFamily.CELLULOSIC_NATURAL),
    ("sisal", _("sisal"), FibreFamily.CELLULOSIC_NATURAL),
    ("coir", _("coir (coconut)"), FibreFamily.CELLULOSIC_NATURAL),
    ("viscose", _("viscose"), FibreFamily.CELLULOSIC_MAN_MADE),
    ("modal", _("modal"), FibreFamily.CELLULOSIC_MAN_MADE),
    ("lyocell", _("lyocell"), FibreFamily.CELLULOSIC_MAN_MADE),
    ("cupro", _("cupro"), FibreFamily.CELLULOSIC_MAN_MADE),
    ("acetate", _("acetate"), FibreFamily.CELLULOSIC_MAN_MADE),
    ("triacetate", _("triacetate"), FibreFamily.CELLULOSIC_MAN_MADE),
    ("polyester", _("polyester"), FibreFamily.SYNTHETIC),
    ("polyamide", _("polyamide or nylon"), FibreFamily.SYNTHETIC),
    ("acrylic", _("acrylic"), FibreFamily.SYNTHETIC),
    ("modacrylic", _("modacrylic"), FibreFamily.SYNTHETIC),
    ("polypropylene", _("polypropylene"), FibreFamily.SYNTHETIC),
    ("polyethylene", _("polyethylene"), FibreFamily.SYNTHETIC),
    ("elastane", _("elastane"), FibreFamily.SYNTHETIC),
    ("elastodiene", _("elastodiene"), FibreFamily.SYNTHETIC),
    ("aramid", _("aramid"), FibreFamily.SYNTHETIC),
    ("polylactide", _("polylactide (PLA)"), FibreFamily.SYNTHETIC),
    ("chlorofibre", _("chlorofibre"), FibreFamily.SYNTHETIC),
    ("fluorofibre", _("fluorofibre"), FibreFamily.SYNTHETIC),
    ("glass", _("glass fibre"), FibreFamily.INORGANIC),
    ("metal", _("metal fibre"), FibreFamily.INORGANIC),
    ("carbon", _("carbon fibre"), FibreFamily.INORGANIC),
    ("unknown", _("unknown fibre"), FibreFamily.UNKNOWN),
]
FIBRE_CHOICES = [(code, label) for code, label, _family in FIBRES]
FIBRE_FAMILY = {code: family for code, _label, family in FIBRES}
FIBRE_LABELS = dict(FIBRE_CHOICES)
FIBRE_FAMILY_LABELS = dict(FIBRE_FAMILIES)

# Recycling and recovery processes, for technologies and processing capacity.
PROCESSES = [
    ("collection", _("Collection")),
    ("sorting_manual", _("Manual sorting")),
    ("sorting_automated", _("Automated sorting (NIR, hyperspectral)")),
    ("reuse", _("Preparation for reuse")),
    ("mechanical", _("Mechanical recycling (tearing, garnetting)")),
    ("thermomechanical", _("Thermo-mechanical recycling (melt re-extrusion)")),
    ("chemical_depolymerisation", _("Chemical recycling: depolymerisation")),
    ("chemical_dissolution", _("Chemical recycling: dissolution")),
    ("nonwoven", _("Nonwoven production from recycled fibre")),
    ("spinning", _("Spinning of recycled fibre")),
    ("upcycling", _("Upcycling and remanufacturing")),
    ("energy_recovery", _("Energy recovery")),
]
PROCESS_LABELS = dict(PROCESSES)
