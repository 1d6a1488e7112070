"""A read-logging helper, kept here until access logging moves to the selectors."""

from accounts.models import User
from accounts.services import log_access


def log_case_list(*, user: User, where: str, cases) -> None:
    """A list that shows youths' names is a view of personal data too: log which cases it showed."""
    refs = [case.reference for case in cases]
    if not refs:
        return
    shown: list[str] = []
    for ref in refs:
        if len(", ".join([*shown, ref])) > 260:
            break
        shown.append(ref)
    more = len(refs) - len(shown)
    text = ", ".join(shown) + (f" en {more} meer" if more else "")
    log_access(user=user, action="lijst", object_type="casussen", object_id="-", description=f"{where}: {text}")
