from django.core.management.base import BaseCommand
from django.utils import timezone

from deadlines.sweep import run_sweep


class Command(BaseCommand):
    help = "Controleer de termijnen: markeer verstreken termijnen en waarschuw (één keer) wie het aangaat."

    def handle(self, *args, **options):
        r = run_sweep(timezone.now())
        self.stdout.write(
            f"Termijnen gecontroleerd: {r.breached} verstreken, {r.reminders} herinneringen en "
            f"{r.breach_warnings} waarschuwingen voor verstreken termijnen gegeven, "
            f"{r.notifications} meldingen in de app en {r.emails} e-mails verstuurd."
        )
