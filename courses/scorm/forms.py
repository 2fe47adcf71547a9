"""The admin form of a SCORM package: the ZIP is checked and stored when the form is valid,
so a refused package saves nothing."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.providers import provider_organisation_ids

from . import package as scorm_package
from . import services


class ScormPackageForm(WagtailAdminModelForm):
    package_file = forms.FileField(
        label=_("Package (ZIP)"),
        required=False,
        help_text=_(
            "A SCORM 1.2 or SCORM 2004 package: a ZIP with imsmanifest.xml in its top folder. "
            "Uploading again replaces the package's files."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("organisation")
        user = getattr(self, "for_user", None)
        if field is not None and user is not None:
            organisation_ids = provider_organisation_ids(user)
            if organisation_ids is not None:
                field.queryset = field.queryset.filter(pk__in=organisation_ids)
            field.widget = forms.Select(choices=field.choices)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the title in the manifest.")

    def clean_package_file(self):
        upload = self.cleaned_data.get("package_file")
        if upload is None and not self.instance.pk:
            raise ValidationError(_("Choose the package's ZIP file."))
        if upload is not None and upload.size > settings.SCORM_MAX_PACKAGE_BYTES:
            raise ValidationError(
                _("The package is larger than %(limit)d MB.")
                % {"limit": settings.SCORM_MAX_PACKAGE_BYTES // 2**20}
            )
        return upload

    def clean_organisation(self):
        organisation = self.cleaned_data.get("organisation")
        user = getattr(self, "for_user", None)
        organisation_ids = provider_organisation_ids(user) if user is not None else None
        if organisation_ids is not None and (
            organisation is None or organisation.pk not in organisation_ids
        ):
            raise ValidationError(_("You can only upload packages for your organisations."))
        return organisation

    def _post_clean(self):
        super()._post_clean()
        upload = self.cleaned_data.get("package_file")
        if upload is None or self.errors:
            return
        # Check the package now, so a bad one is a message on the form and nothing is saved.
        try:
            scorm_package.inspect(upload)
        except scorm_package.PackageError as error:
            self.add_error("package_file", str(error))

    def save(self, commit=True):
        instance = super().save(commit=False)
        upload = self.cleaned_data.get("package_file")
        if upload is not None:
            services.package_store(
                package=instance, upload=upload, user=getattr(self, "for_user", None)
            )
        elif commit:
            instance.save()
        return instance
