from django import forms
from django.contrib import admin

from referrals.models import EventKind, Hulpvorm, Route

from . import services
from .models import (
    PERSON_TARGETS,
    WARN_CHOICES,
    WARN_TARGETS,
    Deadline,
    DeadlineRule,
    DeadlineRuleChange,
    DeadlineWarning,
    Notification,
)
from .services import RULE_FIELDS, STALE
from .who_meets import warned_who_can_meet, who_can_meet


class DeadlineRuleForm(forms.ModelForm):
    """The rule as the functioneel beheerder edits it: the lists as checkboxes, and the reason of the change."""

    also_met_by = forms.MultipleChoiceField(
        label="Ook voldaan door", choices=EventKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    also_remind = forms.MultipleChoiceField(
        label="Herinnering vooraf ook aan", choices=WARN_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    also_warn_on_breach = forms.MultipleChoiceField(
        label="Bij verstrijken ook gewaarschuwd",
        choices=WARN_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    routes = forms.MultipleChoiceField(
        label="Alleen bij de verwijsroutes",
        choices=Route.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Niets aangevinkt: bij elke verwijsroute.",
    )
    excluded_hulpvormen = forms.MultipleChoiceField(
        label="Niet bij de hulpvorm",
        choices=Hulpvorm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Behandelverblijf gesloten is Jeugdzorgplus (43A12): daar is geen beschikking.",
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label="Reden van de wijziging",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Geef de reden van de wijziging."},
        help_text="Bewaard in de geschiedenis van de regel. Een andere termijn geldt voor termijnen die hierna "
        "starten; wie gewaarschuwd wordt en wat de termijn voldoet, gelden meteen, ook voor lopende termijnen.",
    )

    class Meta:
        model = DeadlineRule
        fields = ["code", *RULE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = services.rule_version(self.instance)

    def clean(self):
        """A rule warns, before and after, at least one role of the people who can meet it (the verwijzer or
        coördinator alone is not enough: not every case has one)."""
        data = super().clean()
        # The instance is still the rule as it is now (the form's values are applied after clean).
        opened = data.get("version")
        if self.instance.pk and opened and opened != services.rule_version(self.instance):
            self.add_error(None, STALE)
        rule = DeadlineRule(
            met_by_event=data.get("met_by_event") or "",
            also_met_by=data.get("also_met_by") or [],
            warn=data.get("warn") or "",
            also_remind=data.get("also_remind") or [],
            also_warn_on_breach=data.get("also_warn_on_breach") or [],
        )
        can_meet = who_can_meet(rule)
        if rule.warn and can_meet:
            names = ", ".join(sorted(WARN_TARGETS[t].lower() for t in can_meet - set(PERSON_TARGETS)))
            for kind, field in (("reminder", "also_remind"), ("breach", "also_warn_on_breach")):
                if not warned_who_can_meet(rule, kind) - set(PERSON_TARGETS):
                    when = "vooraf" if kind == "reminder" else "bij verstrijken"
                    self.add_error(
                        field, f"Niemand die {when} gewaarschuwd wordt, kan deze termijn halen. Kies ook: {names}."
                    )
        return data


class DeadlineRuleChangeInline(admin.TabularInline):
    model = DeadlineRuleChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "changed_by", "reason", "changes"]
    readonly_fields = fields
    verbose_name_plural = "geschiedenis"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    form = DeadlineRuleForm
    list_display = ["code", "name", "amount", "unit", "warn", "conditions_text", "active"]
    list_filter = ["active", "unit", "warn", "survives_case_end"]
    search_fields = ["code", "name"]
    inlines = [DeadlineRuleChangeInline]

    @admin.display(description="voorwaarden")
    def conditions_text(self, obj):
        return obj.conditions_text or "altijd"

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # a rule is switched off (actief), not deleted: its deadlines and history stay

    def save_model(self, request, obj, form, change):
        opened = form.cleaned_data.get("version")
        before = {"_version": opened} if change and opened else {}
        services.save_rule(actor=request.user, rule=obj, before=before, reason=form.cleaned_data["change_reason"])


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
