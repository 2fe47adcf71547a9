"""The platform's roles, as Django groups (created by migration accounts 0002)."""

from django.utils.translation import gettext_lazy as _

TRAINEE = "Trainee"
REGIONAL_EDITOR = "Regional editor"
MODERATOR = "Moderator"
EXCHANGE_MEMBER = "Exchange member"
ADMINISTRATOR = "Administrator"
# Members of a provider organisation who author its courses (courses/providers.py).
TRAINING_PROVIDER = "Training provider"

ALL_ROLES = [TRAINEE, REGIONAL_EDITOR, MODERATOR, EXCHANGE_MEMBER, ADMINISTRATOR, TRAINING_PROVIDER]

# Shown in the UI; group names stay English because code refers to them.
ROLE_LABELS = {
    TRAINEE: _("Trainee"),
    REGIONAL_EDITOR: _("Regional editor"),
    MODERATOR: _("Moderator"),
    EXCHANGE_MEMBER: _("Exchange member"),
    ADMINISTRATOR: _("Administrator"),
    TRAINING_PROVIDER: _("Training provider"),
}

# Roles that work in the Wagtail admin.
ADMIN_ROLES = [REGIONAL_EDITOR, MODERATOR, ADMINISTRATOR, TRAINING_PROVIDER]
