"""Demo contact directory: a postal address for every organisation and an escalation line (worker, team
lead, manager) for the partners, Crossroads and the Toegang teams. Made-up numbers and post boxes."""

from .models import EscalationContact, EscalationLevel, Organisation, OrganisationKind

LINE_KINDS = (OrganisationKind.CROSSROADS, OrganisationKind.PARTNER, OrganisationKind.TOEGANG)
TITLES = {
    OrganisationKind.CROSSROADS: ("Medewerker aanmeldpunt", "Teamleider aanmeldpunt", "Manager Crossroads"),
    OrganisationKind.PARTNER: ("Regievoerder van dienst", "Teamleider", "Manager zorg"),
    OrganisationKind.TOEGANG: ("Toegangsmedewerker van dienst", "Teamleider Toegang", "Manager Sociaal Domein"),
}


def load_contact_directory() -> None:
    for n, org in enumerate(Organisation.objects.order_by("pk"), start=1):
        place = org.gemeente.name if org.gemeente_id else org.name
        place = place.removeprefix("Gemeente ").removeprefix("Toegang ")
        if org.kind not in (OrganisationKind.GEMEENTE, OrganisationKind.TOEGANG):
            place = "Tilburg"
        org.postadres = f"Postbus {1000 + 10 * n}"
        org.postcode = f"50{n:02d} AA"
        org.plaats = place
        org.save(update_fields=["postadres", "postcode", "plaats"])
        if org.kind in LINE_KINDS:
            domain = org.email.partition("@")[2] or "example.org"
            for level, title in zip(EscalationLevel.values, TITLES[org.kind], strict=True):
                EscalationContact.objects.get_or_create(
                    organisation=org,
                    level=level,
                    defaults={
                        "name": title,
                        "phone": f"013 5{n:02d} {level}0 00",
                        "email": f"{('dienst', 'teamleider', 'manager')[level - 1]}@{domain}",
                    },
                )
