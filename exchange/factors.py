"""Published factors behind the exchange's figures, each with its source. The impact page and
the match explanations name them too."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# Greenhouse gas avoided by recycling textiles instead of disposing of them: "approximately
# 4 kg CO2e per kg of clothing compared to disposal". Oakdene Hollins, Salvation Army Trading
# Company and Nonwovens Innovation & Research Institute, "Recycling of Low Grade Clothing
# Waste", report for Defra (UK), September 2006, section 8.5.4. Applied to the tonnes of
# confirmed deals only.
RECYCLING_AVOIDED_T_CO2E_PER_T = Decimal("4")
RECYCLING_AVOIDED_SOURCE = _(
    "Oakdene Hollins et al., “Recycling of Low Grade Clothing Waste”, report for Defra, "
    "2006: recycling saves about 4 kg CO2e per kg of textiles compared with disposal."
)

# Road freight, EU average for an articulated truck (EEA / GLEC default): kg CO2e per
# tonne-kilometre. Used for the transport estimate of a match.
ROAD_FREIGHT_KG_CO2E_PER_TKM = 0.062
ROAD_FREIGHT_SOURCE = _("road freight, 0.062 kg CO2e per tonne-kilometre (EEA / GLEC default)")
