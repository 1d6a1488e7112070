"""The scale benchmark on PostgreSQL: seed up to --cases (reusing what is there), then measure (segment1/bench.py)."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import connection

from segment1 import bench, volume


class Command(BaseCommand):
    help = "Meet pagina's, de termijnensweep en JW315 op een grote database (PostgreSQL); resultaten in bench/."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "bench"))

    def handle(self, *args, cases, runs, warmup, out, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench draait op PostgreSQL: zet DATABASE_URL (zie make bench).")
        started = time.perf_counter()
        added = volume.seed(cases, log=self.stdout.write)
        seeded = time.perf_counter() - started
        result = bench.run(runs=runs, warmup=warmup, log=self.stdout.write)
        if added:
            result["seed"] = {"added": added, "seconds": round(seeded, 1), "target_seconds": bench.SEED_TARGET_S}
        bench.write(result, Path(out))
        self.stdout.write(bench.markdown(result))
