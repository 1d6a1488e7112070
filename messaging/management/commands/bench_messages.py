"""How many messages per second we build and validate (XSD + rules): JW315 and JW301, pure, no database."""

import time
from datetime import date
from datetime import time as clock

from django.core.management import BaseCommand

from messaging.builders import adres_from_parts, build_jw301, build_jw315, naam_from_parts, to_bytes
from messaging.data import (
    AangevraagdProduct,
    BerichtHeader,
    Client,
    Contact,
    Omvang,
    Product,
    ToegewezenProduct,
    ToewijzingBericht,
    Verwijzer,
    VerzoekOmToewijzing,
)

TARGET = 500


def samples(n: int):
    client = Client("999990019", date(2014, 6, 1), "2", naam_from_parts("Emma", "van der", "Berg"))
    adres = adres_from_parts("Stationsstraat", "12a", "5038 AB", "Tilburg")
    for i in range(n):
        if i % 2 == 0:
            yield (
                build_jw315,
                VerzoekOmToewijzing(
                    header=BerichtHeader("80000101", "0855", f"{i + 1:012d}", date(2026, 3, 3)),
                    client=client,
                    producten=(
                        AangevraagdProduct(
                            referentie_aanbieder=f"S1-{i:06d}-001",
                            toewijzing_ingangsdatum=date(2026, 3, 10),
                            verwijzer=Verwijzer("01", naam="Gemeente Tilburg"),
                            product=Product("45", "45A01"),
                            toewijzing_einddatum=date(2026, 9, 9),
                            omvang=Omvang(4, "04", "2"),
                        ),
                    ),
                ),
            )
        else:
            yield (
                build_jw301,
                ToewijzingBericht(
                    header=BerichtHeader("0855", "80000101", f"{i + 1:012d}", date(2026, 3, 3)),
                    client=Client(
                        "999990019",
                        date(2014, 6, 1),
                        "2",
                        naam_from_parts("Emma", "van der", "Berg"),
                        contacten=(Contact("01", adres=adres),),
                    ),
                    producten=(
                        ToegewezenProduct(
                            toewijzing_nummer=700000 + i,
                            toewijzingsdatum=date(2026, 3, 3),
                            toewijzingstijd=clock(10, 15),
                            ingangsdatum=date(2026, 3, 10),
                            product=Product("45", "45A01"),
                            referentie_aanbieder=f"S1-{i:06d}-001",
                            einddatum=date(2026, 9, 9),
                            omvang=Omvang(4, "04", "2"),
                        ),
                    ),
                ),
            )


class Command(BaseCommand):
    help = "Meet hoeveel iJw-berichten per seconde worden gebouwd en gevalideerd (XSD en regels)."

    def add_arguments(self, parser):
        parser.add_argument("--aantal", type=int, default=2000)

    def handle(self, *args, aantal, **options):
        work = list(samples(aantal))
        build, data = work[0]
        to_bytes(build(data))  # warm up: schema files read, caches filled
        start = time.perf_counter()
        size = 0
        for build, data in work:
            size += len(to_bytes(build(data)))
        seconds = time.perf_counter() - start
        rate = aantal / seconds
        verdict = "haalt" if rate >= TARGET else "haalt NIET"
        self.stdout.write(
            f"bench_messages: {aantal} berichten (JW315/JW301, elk gebouwd + XSD + regels) in {seconds:.2f} s = "
            f"{rate:.0f} berichten/s; gemiddeld {size // aantal} bytes; {verdict} het doel van {TARGET}/s."
        )
