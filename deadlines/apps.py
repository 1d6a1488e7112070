from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "Termijnen"

    def ready(self):
        from referrals.models import CaseEvent
        from referrals.signals import case_event_recorded

        from .engine import on_case_event

        case_event_recorded.connect(on_case_event, sender=CaseEvent, dispatch_uid="deadlines.on_case_event")
