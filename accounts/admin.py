from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AccessLog, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cbs_code", "agb_code", "gemeente"]
    list_filter = ["kind"]
    search_fields = ["name", "cbs_code", "agb_code"]


@admin.register(User)
class SegmentUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation__kind", "is_active"]
    fieldsets = [*UserAdmin.fieldsets, ("Rol", {"fields": ["role", "organisation", "phone"]})]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "role", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
