from django.contrib import admin

from .models import Deadline, DeadlineRule, DeadlineWarning, Notification


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "start_event", "met_by_event", "amount", "unit", "warn", "active"]
    list_filter = ["active", "unit", "warn", "survives_case_end"]
    search_fields = ["code", "name"]


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["rule", "case", "state", "outcome", "due_at", "paused_at", "extended", "ref"]
    list_filter = ["state", "rule"]
    list_select_related = ["rule", "case"]
    raw_id_fields = ["case", "start_event", "met_event"]
    # State changes go through the services and the sweep, so they are on the timeline.
    readonly_fields = [f.name for f in Deadline._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(DeadlineWarning)
class DeadlineWarningAdmin(admin.ModelAdmin):
    list_display = ["deadline", "kind", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["deadline"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "case", "created_at", "read_at"]
    raw_id_fields = ["user", "case"]
