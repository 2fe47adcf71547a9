from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

# machina's own admin for attachments, imported first so that it can be replaced below.
from machina.apps.forum_conversation.forum_attachments import admin as machina_attachments_admin

from . import services
from .machina_overrides import AttachmentFileInput
from .models import Membership, Report, WorkingGroup

Attachment = machina_attachments_admin.Attachment


class AttachmentAdmin(machina_attachments_admin.AttachmentAdmin):
    """machina's, with the file linked to the permission-checked download view: a private file
    has no URL of its own, and machina's list and form asked for one (500)."""

    list_display = ("id", "post", "comment", "download")
    formfield_overrides = {models.FileField: {"widget": AttachmentFileInput}}

    @admin.display(description=_("file"))
    def download(self, attachment):
        url = reverse("forum_conversation:attachment", kwargs={"pk": attachment.pk})
        return format_html('<a href="{}">{}</a>', url, attachment.filename)


admin.site.unregister(Attachment)
admin.site.register(Attachment, AttachmentAdmin)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "group"
    extra = 0
    raw_id_fields = ["user", "decided_by"]
    readonly_fields = ["role", "state"]
    can_delete = False


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "visibility", "topic"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        # The forum, its auth groups and permissions come with the group.
        services.working_group_save(group=obj)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["post", "reporter", "created", "resolved_at", "resolution"]
    raw_id_fields = ["post", "reporter", "resolved_by"]
