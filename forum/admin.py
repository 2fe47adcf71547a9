from django.contrib import admin

from . import services
from .models import Membership, Report, WorkingGroup


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
