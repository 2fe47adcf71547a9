from django import forms
from django.utils.translation import gettext_lazy as _

from cms.directory.models import Region


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    regions = forms.ModelMultipleChoiceField(
        label=_("Newsletters of"),
        queryset=Region.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="slug",
        error_messages={"required": _("Choose at least one region's newsletter.")},
    )
