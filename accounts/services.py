from .models import AccessLog, User


def log_access(*, user: User, action: str, object_type: str, object_id, description: str = "") -> None:
    """Record that `user` viewed personal data. Synchronous, so that it can never be skipped."""
    AccessLog.objects.create(
        user=user,
        role=user.role,
        organisation=user.organisation.name if user.organisation_id else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        description=description[:300],
    )
