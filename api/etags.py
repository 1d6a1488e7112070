import hashlib

from referrals.models import Case


def case_etag(case: Case) -> str:
    """Changes whenever the case row is saved: its phase and its last change (a strong ETag, quoted)."""
    stamp = f"{case.pk}|{case.phase}|{case.updated_at.isoformat()}"
    return '"' + hashlib.sha256(stamp.encode()).hexdigest()[:32] + '"'
