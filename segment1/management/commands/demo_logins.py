import json

from django.conf import settings
from django.core.management import BaseCommand

from accounts.roles import role_label

from .load_demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Toont de demo-accounts om mee in te loggen."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        rows = json.loads((settings.BASE_DIR / "fixtures" / "demo_users.json").read_text())
        self.stdout.write(f"\nSegment 1 demo: {url}\nWachtwoord voor elk account: {DEMO_PASSWORD}\n")
        for row in rows:
            self.stdout.write(f"  {row['username']:<20} {role_label(row['role'])}, {row['organisation']}")
        self.stdout.write(f"  {'admin':<20} technisch beheer (/beheer/)\n")
