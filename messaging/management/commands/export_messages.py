"""Write every stored message, byte for byte, to DIR/<message code>/<sender>-<message id>.xml.

The message id (BerichtIdentificatie) is unique per sender and message type, so the file name carries both;
a received duplicate (TR056) gets its public id added, so no file is overwritten."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from messaging.models import Message


class Command(BaseCommand):
    help = "Schrijft elk opgeslagen iJw-bericht naar MAP/<berichtcode>/<afzender>-<berichtidentificatie>.xml, exact."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="de map waarin de berichten komen")

    def handle(self, *args, directory, **options):
        root = Path(directory)
        if root.exists() and not root.is_dir():
            raise CommandError(f"{root} is geen map.")
        n = 0
        # The message id is unique per sender and type; the file name keeps both so that no file is overwritten.
        for m in Message.objects.order_by("pk").iterator(chunk_size=500):
            folder = root / m.code
            folder.mkdir(parents=True, exist_ok=True)
            name = f"{m.sender}-{m.identificatie}" + (f"-dubbel-{m.public_id}" if m.duplicate else "")
            (folder / f"{name}.xml").write_bytes(m.data)
            n += 1
        self.stdout.write(self.style.SUCCESS(f"{n} berichten geschreven naar {root}."))
