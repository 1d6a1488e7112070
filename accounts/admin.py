from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AccessLog, EscalationContact, Organisation, User


class EscalationContactInline(admin.TabularInline):
    """The escalation line of the contact directory: worker, team lead, manager."""

    model = EscalationContact
    extra = 0
    max_num = 3


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cbs_code", "agb_code", "gemeente", "phone", "plaats"]
    list_filter = ["kind"]
    search_fields = ["name", "cbs_code", "agb_code"]
    inlines = [EscalationContactInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "cbs_code", "agb_code", "gemeente", "strategic_partner"]}),
        (
            "Contactgegevens (contactlijst en briefhoofd)",
            {"fields": ["phone", "email", "office_hours", "callback_note", "postadres", "postcode", "plaats"]},
        ),
    ]


@admin.register(User)
class SegmentUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation__kind", "is_active"]
    fieldsets = [*UserAdmin.fieldsets, ("Rol", {"fields": ["role", "organisation", "phone", "otp_required"]})]
    add_fieldsets = [*UserAdmin.add_fieldsets, ("Rol", {"fields": ["role", "organisation", "otp_required"]})]
    # Only technical administrators hand out technical rights; the functioneel beheerder manages roles.
    technical_fields = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if request.user.is_superuser else (*readonly, *self.technical_fields)


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
