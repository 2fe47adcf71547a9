import io

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from cms.directory.models import Organisation, OrganisationKind
from cms.images import image_pixels_check
from cms.notifications.models import Frequency
from cms.taxonomy import is_hazardous_code

from .models import (
    WASTE_CODE_CHOICES,
    Certification,
    Colour,
    CompositionLine,
    Contaminant,
    FibreLimit,
    Grade,
    LegalStatus,
    Listing,
    ListingKind,
    ListingPhoto,
    MaterialForm,
    Origin,
    PriceType,
    ProductionStage,
    SavedSearch,
    Site,
    SupplyPattern,
    fibres_of,
)


class OrganisationForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[
            (value, label)
            for value, label in OrganisationKind.choices
            if value not in (OrganisationKind.NETWORK, OrganisationKind.GOVERNMENT)
        ],
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "region",
            "country",
            "registration_number",
            "website",
            "description",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration_number"].required = True


class SiteForm(forms.ModelForm):
    """A site: the address finds the position (exchange.geocoding), the member checks the pin;
    typing latitude and longitude is the fallback."""

    class Meta:
        model = Site
        fields = ["name", "address", "postcode", "city", "country", "latitude", "longitude"]
        help_texts = {
            "latitude": _("Filled in from the address; or type decimal degrees, e.g. 51.7592"),
            "longitude": _("e.g. 19.4560"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Found from the address when left empty (the view asks the geocoder).
        self.fields["latitude"].required = False
        self.fields["longitude"].required = False

    def clean(self):
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None) and not self.errors:
            field = "longitude" if longitude is None else "latitude"
            self.add_error(field, _("Give both latitude and longitude, or neither."))
        return data

    @property
    def has_position(self):
        data = getattr(self, "cleaned_data", {})
        return data.get("latitude") is not None and data.get("longitude") is not None


def _choice_set(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


# Fields only one kind of listing uses, cleared on the other kind when saved.
OFFER_ONLY = {
    "waste_code": "",
    "form": "",
    "grade": "",
    "contaminants": [],
    "requires_permit": False,
    "requires_pick_up": False,
}
WANTED_ONLY = {
    "accepts_hazardous": False,
    "any_fibre": False,
    "accepted_forms": [],
    "accepted_origins": [],
    "accepted_stages": [],
    "accepted_colours": [],
    "accepted_grades": [],
    "accepted_legal_statuses": [],
    "accepted_supply_patterns": [],
    "refused_contaminants": [],
    "min_lot_kg": None,
    "max_lot_kg": None,
    "radius_km": None,
    "holds_permit": False,
}


# The listing form in steps (fieldsets); its fields are the fields named here, in this order.
LISTING_STEPS = [
    (_("The listing"), ["kind", "title", "reference", "description"]),
    (
        _("The material"),
        [
            "waste_code",
            "accepted_waste_codes",
            "accepts_hazardous",
            "any_fibre",
            "origin",
            "accepted_origins",
            "production_stage",
            "accepted_stages",
            "form",
            "accepted_forms",
            "grade",
            "accepted_grades",
            "colour",
            "accepted_colours",
            "colour_note",
            "contaminants",
            "contaminants_stated",
            "refused_contaminants",
            "legal_status",
            "accepted_legal_statuses",
            "process",
        ],
    ),
    (
        _("Quantity, place and time"),
        [
            "quantity",
            "unit",
            "supply_pattern",
            "accepted_supply_patterns",
            "min_lot_kg",
            "max_lot_kg",
            "site",
            "radius_km",
            "logistics",
            "requires_permit",
            "requires_pick_up",
            "holds_permit",
            "available_from",
            "available_until",
        ],
    ),
    (_("Price"), ["price_type", "price_amount", "currency"]),
]


class ListingForm(forms.ModelForm):
    """An offer, or a wanted listing with the buyer's specification: what it accepts (empty:
    anything) and its hard limits. Everything is checked here, on the server."""

    accepted_waste_codes = forms.MultipleChoiceField(
        label=_("Waste codes accepted"),
        choices=WASTE_CODE_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Wanted listings: none selected means any code. Codes with * are hazardous."),
    )
    accepted_forms = _choice_set(
        _("Forms accepted"),
        MaterialForm.choices,
        _("Wanted listings: none selected means any form."),
    )
    accepted_origins = _choice_set(_("Origins accepted"), Origin.choices)
    accepted_stages = _choice_set(_("Production stages accepted"), ProductionStage.choices)
    accepted_colours = _choice_set(_("Colours accepted"), Colour.choices)
    accepted_grades = _choice_set(_("Grades accepted"), Grade.choices)
    accepted_legal_statuses = _choice_set(_("Legal statuses accepted"), LegalStatus.choices)
    accepted_supply_patterns = _choice_set(_("Supply rhythms accepted"), SupplyPattern.choices)
    contaminants = _choice_set(_("Contaminants and trims"), Contaminant.choices)
    refused_contaminants = _choice_set(
        _("Contaminants and trims refused"),
        Contaminant.choices,
        _("Wanted listings: offers must state their trims and have none of these."),
    )

    class Meta:
        model = Listing
        fields = [name for _legend, names in LISTING_STEPS for name in names]
        widgets = {
            "kind": forms.RadioSelect,
            "available_from": forms.DateInput(attrs={"type": "date"}),
            "available_until": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    STEPS = LISTING_STEPS
    MORE_STEP = _("More details")
    # Fields that belong to one kind only; the page shows those of the chosen kind.
    KIND_ONLY = {
        **dict.fromkeys(OFFER_ONLY, ListingKind.OFFER),
        **dict.fromkeys(WANTED_ONLY, ListingKind.WANTED),
        "accepted_waste_codes": ListingKind.WANTED,
        "process": ListingKind.WANTED,
    }
    # Fields shown only for one price type.
    PRICE_ONLY = {"price_amount": PriceType.PER_UNIT, "currency": PriceType.PER_UNIT}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["site"].queryset = self.sites_of(organisation)
        self.fields["site"].required = True
        if self.instance.pk:
            self.initial.setdefault(
                "accepted_waste_codes", [a.code for a in self.instance.accepted_codes.all()]
            )

    def chosen(self, name):
        """The value of ``name`` the page is drawn for: posted, initial or the instance's."""
        if self.is_bound:
            return self.data.get(self.add_prefix(name)) or ""
        value = self.initial.get(name) or getattr(self.instance, name, "")
        return value or self.fields[name].initial or ""

    @property
    def chosen_kind(self):
        return self.chosen("kind")

    def steps(self):
        """[(legend, [{field, shown, kind, price}])] in order. ``shown`` is False for a field of
        the other kind or of another price type: hidden, kept in the page for the script that
        reveals it when the member changes the kind or the price type."""
        kind, price_type = self.chosen("kind"), self.chosen("price_type")
        listed = {name for _legend, names in self.STEPS for name in names}
        steps = [
            (legend, [name for name in names if name in self.fields])
            for legend, names in self.STEPS
        ]
        rest = [name for name in self.fields if name not in listed]
        if rest:
            steps.append((self.MORE_STEP, rest))

        def item(name):
            only_kind, only_price = self.KIND_ONLY.get(name, ""), self.PRICE_ONLY.get(name, "")
            hidden = (only_kind and kind and only_kind != kind) or (
                only_price and only_price != price_type
            )
            return {
                "field": self[name],
                "shown": not hidden or bool(self[name].errors),
                "kind": only_kind,
                "price": only_price,
            }

        return [(legend, [item(name) for name in names]) for legend, names in steps]

    def sites_of(self, organisation):
        return Site.objects.filter(organisation=organisation)

    def clean_reference(self):
        reference = self.cleaned_data.get("reference", "").strip()
        taken = Listing.objects.filter(organisation=self.organisation, reference=reference)
        if reference and taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Another listing of your organisation already has the reference “%(reference)s”.")
                % {"reference": reference}
            )
        return reference

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ListingKind.OFFER:
            data.update(WANTED_ONLY)
            data["accepted_waste_codes"] = []
            if not data.get("form"):
                self.add_error("form", _("Say in which form the material comes."))
        elif kind == ListingKind.WANTED:
            data.update(OFFER_ONLY)
            hazardous = [c for c in data.get("accepted_waste_codes", []) if is_hazardous_code(c)]
            if hazardous and not data.get("accepts_hazardous"):
                self.add_error(
                    "accepts_hazardous",
                    _(
                        "%(code)s is hazardous: tick that you accept hazardous waste, or pick another code."
                    )
                    % {"code": ", ".join(hazardous)},
                )
            low, high = data.get("min_lot_kg"), data.get("max_lot_kg")
            if low is not None and high is not None and low > high:
                self.add_error("max_lot_kg", _("The largest lot is smaller than the smallest."))
        if data.get("price_type") == PriceType.PER_UNIT:
            if data.get("price_amount") is None:
                self.add_error("price_amount", _("Enter the price per unit."))
            if not data.get("currency"):
                self.add_error("currency", _("Enter the currency, e.g. EUR."))
        start, end = data.get("available_from"), data.get("available_until")
        if start and end and end < start:
            self.add_error("available_until", _("The end of availability is before its start."))
        if data.get("quantity") is not None and data["quantity"] <= 0:
            self.add_error("quantity", _("Enter a quantity above zero."))
        return data

    def _post_clean(self):
        super()._post_clean()
        # Fields cleared for the other kind are not on the instance yet when they are
        # missing from the form's data: set them all.
        for name in (*OFFER_ONLY, *WANTED_ONLY):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])


class CompositionLineForm(forms.ModelForm):
    class Meta:
        model = CompositionLine
        fields = ["fibre", "percent"]


def composition_check(lines):
    """The rules of a whole composition, for the listing form and the CSV import alike.
    ``lines``: (fibre, percent) pairs. Raises ValidationError."""
    total, fibres = 0, set()
    for fibre, percent in lines:
        if fibre in fibres:
            raise forms.ValidationError(_("Each fibre may appear only once."))
        fibres.add(fibre)
        total += percent
    if not fibres:
        raise forms.ValidationError(
            _("Give at least one fibre (use “unknown fibre” for what you do not know).")
        )
    if total != 100:
        raise forms.ValidationError(
            _("The fibre percentages add up to %(total)s%%; they must add up to 100%%.")
            % {"total": total}
        )


class BaseCompositionFormSet(forms.BaseInlineFormSet):
    """An offer's composition (required); a wanted listing may give a typical one."""

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.required = required

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        given = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not self.required and not given:
            return
        composition_check(
            [(form.cleaned_data["fibre"], form.cleaned_data["percent"]) for form in given]
        )


CompositionFormSet = forms.inlineformset_factory(
    Listing,
    CompositionLine,
    form=CompositionLineForm,
    formset=BaseCompositionFormSet,
    extra=3,
    max_num=10,
    can_delete=True,
)


class FibreLimitForm(forms.ModelForm):
    class Meta:
        model = FibreLimit
        fields = ["fibre", "min_percent", "max_percent"]

    def clean(self):
        data = super().clean()
        low, high = data.get("min_percent"), data.get("max_percent")
        if data.get("fibre") and low is None and high is None:
            raise forms.ValidationError(_("Give a minimum, a maximum or both."))
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("The minimum is above the maximum."))
        return data


class BaseFibreLimitFormSet(forms.BaseInlineFormSet):
    """The fibre rules of a wanted listing; ``any_fibre`` is the form's answer to "any"."""

    def __init__(self, *args, any_fibre=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.any_fibre = any_fibre

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        subjects = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            subject = form.cleaned_data["fibre"]
            if subject in subjects:
                raise forms.ValidationError(_("Each fibre or family may have only one rule."))
            subjects.add(subject)
            if form.cleaned_data.get("min_percent"):
                if self.any_fibre:
                    raise forms.ValidationError(
                        _("“Any fibre” and a minimum contradict each other: choose one.")
                    )
        if not subjects and not self.any_fibre:
            raise forms.ValidationError(
                _("Give at least one fibre rule, or tick that you take any fibre.")
            )
        single = [
            form.cleaned_data["min_percent"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("min_percent")
            and len(fibres_of(form.cleaned_data["fibre"])) == 1
        ]
        if sum(single) > 100:
            raise forms.ValidationError(
                _("The minimums add up to more than 100%%: no material could meet them.")
            )


FibreLimitFormSet = forms.inlineformset_factory(
    Listing,
    FibreLimit,
    form=FibreLimitForm,
    formset=BaseFibreLimitFormSet,
    extra=3,
    max_num=10,
    can_delete=True,
)
CertificationFormSet = forms.inlineformset_factory(
    Listing, Certification, fields=["scheme", "number"], extra=1, max_num=6, can_delete=True
)


def strip_metadata(uploaded):
    """Validate an uploaded photo and re-save its pixels only, dropping EXIF (location!)."""
    max_bytes = getattr(settings, "EXCHANGE_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
    if uploaded.size > max_bytes:
        raise forms.ValidationError(
            _("The photo is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)}
        )
    image_pixels_check(uploaded)
    try:
        image = Image.open(uploaded)
        image.verify()
        uploaded.seek(0)
        image = Image.open(uploaded)
        if image.format not in ("JPEG", "PNG", "WEBP"):
            raise forms.ValidationError(_("Upload a JPEG, PNG or WebP photo."))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise forms.ValidationError(_("This file is not an image we can read.")) from error
    image = image.convert("RGB")
    image.thumbnail((2000, 2000))
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=85)
    return InMemoryUploadedFile(
        buffer, "image", "photo.jpg", "image/jpeg", buffer.getbuffer().nbytes, None
    )


class PhotoForm(forms.ModelForm):
    class Meta:
        model = ListingPhoto
        fields = ["image", "alt_text"]

    def clean_image(self):
        image = self.cleaned_data["image"]
        if hasattr(image, "content_type"):  # a fresh upload, not the stored file
            return strip_metadata(image)
        return image


ALERT_CHOICES = [
    (Frequency.INSTANT, _("Instantly")),
    (Frequency.DAILY, _("Daily digest")),
    (Frequency.WEEKLY, _("Weekly digest")),
    (Frequency.OFF, _("No e-mail")),
]


ALERT_THRESHOLD_CHOICES = [(percent, f"{percent}%") for percent in (50, 60, 70, 80, 90)]


class MatchAlertForm(forms.Form):
    frequency = forms.ChoiceField(label=_("E-mail me new matches"), choices=ALERT_CHOICES)
    min_percent = forms.TypedChoiceField(
        label=_("scoring at least"),
        choices=ALERT_THRESHOLD_CHOICES,
        coerce=int,
        initial=70,
        required=False,
        empty_value=None,
    )


class SavedSearchForm(forms.ModelForm):
    frequency = forms.ChoiceField(
        label=_("e-mail alerts"), choices=ALERT_CHOICES, initial=Frequency.DAILY
    )

    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)

    class Meta:
        model = SavedSearch
        fields = ["name"]


class InquiryForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Your e-mail address is not shown; replies arrive here and by e-mail."),
    )


class DealForm(forms.Form):
    quantity = forms.DecimalField(label=_("Quantity exchanged"), min_value=0.01, decimal_places=2)
    date = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )


CSV_MAX_BYTES = 5 * 1024 * 1024


class CSVImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 text with a header row, separated by commas or semicolons (as Excel saves it)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": CSV_MAX_BYTES // (1024 * 1024)}
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error
