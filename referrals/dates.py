from django.utils import formats, translation


def nl_date(value) -> str:
    """A date as Dutch readers expect it in running text: '3 maart 2026'."""
    with translation.override("nl"):
        return formats.date_format(value, "j F Y")
