"""The media log in the admin: traditional-media coverage, social-media posts (entered one by one
or imported from CSV) and the output targets of each region and quarter. A regional editor
lists, adds, edits and deletes only the records of their own regions (the other regions'
records answer 404, and the region field offers only theirs); Moderators and Administrators
keep every region's."""

import csv
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from cms.directory.models import Region
from cms.editing import editable_region_ids

from .models import MediaCoverage, OutputTarget, SocialPost

MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 5000
IMPORT_COLUMNS = ["date", "network", "reach", "engagement", "link", "summary"]
REQUIRED_COLUMNS = {"date", "network", "reach", "engagement"}


def _regions_of(user):
    region_ids = editable_region_ids(user)
    regions = Region.objects.all()
    return regions if region_ids is None else regions.filter(pk__in=region_ids)


class RegionalRecordForm(WagtailAdminModelForm):
    """Offers only the editor's regions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "region" in self.fields:
            self.fields["region"].queryset = _regions_of(self.for_user)


class RegionalQuerysetMixin:
    """The records of the editor's regions only: a record of another region is not found."""

    def get_queryset(self):
        return super().get_queryset().of_regions(editable_region_ids(self.request.user))


class RegionalIndexView(generic.IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        return queryset.of_regions(editable_region_ids(self.request.user))


class RegionalEditView(RegionalQuerysetMixin, generic.EditView):
    pass


class RegionalDeleteView(RegionalQuerysetMixin, generic.DeleteView):
    pass


class RegionalViewSet(ModelViewSet):
    index_view_class = RegionalIndexView
    edit_view_class = RegionalEditView
    delete_view_class = RegionalDeleteView
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        fields = self.form_fields
        return forms.modelform_factory(self.model, form=RegionalRecordForm, fields=fields)


class MediaCoverageViewSet(RegionalViewSet):
    model = MediaCoverage
    name = "media_coverage"
    url_prefix = "media-log/coverage"
    icon = "doc-full"
    menu_label = _("Media coverage")
    form_fields = [
        "region",
        "date",
        "outlet",
        "media_type",
        "title",
        "reach",
        "link",
        "scan",
        "notes",
    ]
    list_display = ["date", "outlet", "media_type", "title", "reach", "region"]
    list_filter = ["media_type", "region"]
    search_fields = ["outlet", "title"]


class SocialPostViewSet(RegionalViewSet):
    model = SocialPost
    name = "social_posts"
    url_prefix = "media-log/social"
    icon = "comment"
    menu_label = _("Social-media posts")
    form_fields = ["region", "date", "network", "summary", "link", "reach", "engagement"]
    list_display = ["date", "network", "summary", "reach", "engagement", "region"]
    list_filter = ["network", "region"]
    search_fields = ["summary", "link"]


class OutputTargetViewSet(RegionalViewSet):
    model = OutputTarget
    name = "output_targets"
    url_prefix = "media-log/targets"
    icon = "pick"
    menu_label = _("Output targets")
    form_fields = ["region", "year", "quarter", "indicator", "target"]
    list_display = ["region", "year", "quarter", "indicator", "target"]
    list_filter = ["region", "year", "indicator"]


class MediaLogViewSetGroup(ViewSetGroup):
    items = (MediaCoverageViewSet, SocialPostViewSet, OutputTargetViewSet)
    menu_icon = "view"
    menu_label = _("Media log")
    menu_name = "media-log"
    menu_order = 850


# Import of social-media posts from CSV ---------------------------------------------------------


class SocialImportForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, one post a row, with the columns date (YYYY-MM-DD), network, reach, "
            "engagement and, if you have them, link and summary; the first row names the columns."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions_of(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        raw = upload.read()
        if b"\x00" in raw:
            raise forms.ValidationError(
                _("The file contains a NUL byte: it is not a CSV text file.")
            )
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error


class SocialRowForm(forms.ModelForm):
    class Meta:
        model = SocialPost
        fields = ["date", "network", "summary", "link", "reach", "engagement"]


def social_rows(text):
    """(rows as dicts, errors) of an import file; errors name the row and the column."""
    reader = csv.DictReader(io.StringIO(text))
    header = {name.strip().lower() for name in (reader.fieldnames or []) if name}
    missing = REQUIRED_COLUMNS - header
    if missing:
        return [], [_("Columns missing: %(columns)s.") % {"columns": ", ".join(sorted(missing))}]
    rows, errors = [], []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_IMPORT_ROWS:
            errors.append(
                _("More than %(count)s rows: split the file.") % {"count": MAX_IMPORT_ROWS}
            )
            break
        values = {
            (key or "").strip().lower(): (value or "").strip()
            for key, value in raw.items()
            if isinstance(value, str)
        }
        if not any(values.values()):
            continue
        values["network"] = values.get("network", "").lower()
        form = SocialRowForm({name: values.get(name, "") for name in IMPORT_COLUMNS})
        if form.is_valid():
            rows.append(form)
        else:
            for field, field_errors in form.errors.items():
                for message in field_errors:
                    errors.append(
                        _("Row %(row)s, %(column)s: %(message)s")
                        % {"row": number, "column": field, "message": message}
                    )
    return rows, errors


def social_import(request):
    """Import social-media posts from CSV: all rows or none; posts already in the log (same
    network, date and link) are skipped, so importing an export twice adds nothing."""
    if not request.user.has_perm("analytics.add_socialpost"):
        raise PermissionDenied
    form = SocialImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors = []
    if request.method == "POST" and form.is_valid():
        region = form.cleaned_data["region"]
        rows, errors = social_rows(form.cleaned_data["file"])
        if not errors:
            added = skipped = 0
            with transaction.atomic():
                for row in rows:
                    post = row.save(commit=False)
                    post.region = region
                    duplicate = SocialPost.objects.filter(
                        region=region, network=post.network, date=post.date, link=post.link
                    )
                    if post.link and duplicate.exists():
                        skipped += 1
                        continue
                    post.save()
                    added += 1
            messages.success(
                request,
                _("%(added)s posts imported, %(skipped)s already in the log.")
                % {"added": added, "skipped": skipped},
            )
            return redirect(reverse("analytics_social_import"))
    return render(
        request,
        "analytics/social_import.html",
        {"form": form, "errors": errors, "columns": IMPORT_COLUMNS},
    )
