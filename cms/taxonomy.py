"""EU taxonomies for textile materials, shared by the Virtual Centre (technology pages) and the
materials exchange. Data, not free text: codes are stored, labels are translated."""

from django.utils.translation import gettext_lazy as _

# List of Waste (Commission Decision 2000/532/EC), the codes that concern textiles.
# A trailing * marks hazardous waste.
WASTE_CODES = [
    ("04 02 09", _("wastes from composite materials (impregnated textile, elastomer, plastomer)")),
    ("04 02 10", _("organic matter from natural products (for example grease, wax)")),
    ("04 02 15", _("wastes from finishing other than those containing organic solvents")),
    ("04 02 16*", _("dyestuffs and pigments containing hazardous substances")),
    ("04 02 17", _("dyestuffs and pigments other than those mentioned in 04 02 16")),
    ("04 02 21", _("wastes from unprocessed textile fibres")),
    ("04 02 22", _("wastes from processed textile fibres")),
    ("04 02 99", _("wastes from the textile industry not otherwise specified")),
    ("15 01 09", _("textile packaging")),
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
    ("19 12 08", _("textiles from mechanical treatment of waste (sorting, crushing)")),
    ("20 01 10", _("clothes (separately collected municipal fractions)")),
    ("20 01 11", _("textiles (separately collected municipal fractions)")),
]
HAZARDOUS_WASTE_CODES = {code for code, _label in WASTE_CODES if code.endswith("*")}


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
