"""Places to measure distances from in the browse filters: the partner regions' textile towns."""

from django.utils.translation import gettext_lazy as _

# key: (label, latitude, longitude)
PLACES = {
    "lodz": (_("Łódź"), 51.7592, 19.4560),
    "prato": (_("Prato"), 43.8777, 11.1022),
    "biella": (_("Biella"), 45.5663, 8.0530),
    "milan": (_("Milan"), 45.4642, 9.1900),
    "maribor": (_("Maribor"), 46.5547, 15.6459),
    "varazdin": (_("Varaždin"), 46.3057, 16.3366),
    "liberec": (_("Liberec"), 50.7663, 15.0543),
    "chemnitz": (_("Chemnitz"), 50.8278, 12.9214),
    "dornbirn": (_("Dornbirn"), 47.4125, 9.7417),
    "debrecen": (_("Debrecen"), 47.5316, 21.6273),
}
