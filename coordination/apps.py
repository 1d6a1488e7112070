from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = "Coördinatie en toestemming"

    def ready(self):
        from referrals.models import CaseEvent
        from referrals.signals import case_event_recorded

        from .receivers import on_case_event

        case_event_recorded.connect(on_case_event, sender=CaseEvent, dispatch_uid="coordination.on_case_event")
