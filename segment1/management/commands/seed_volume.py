"""Fill the database with N synthetic cases for the benchmark (PostgreSQL only); see segment1/volume/."""

import time

from django.core.management import BaseCommand

from segment1 import volume


class Command(BaseCommand):
    help = "Vul de database met N synthetische casussen (COPY, hervatbaar: alleen wat ontbreekt)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000)

    def handle(self, *args, cases, **options):
        start = time.perf_counter()
        added = volume.seed(cases, log=self.stdout.write)
        self.stdout.write(f"seed_volume: {added} casussen toegevoegd in {time.perf_counter() - start:.0f} s.")
