"""django-axes: the username a failed login is counted under.

Axes stores it in a 255-character column; a login form posted with a longer name would end in a
database error. No account has a name longer than the username field, so that many characters
identify the attempt just as well."""

from django.contrib.auth import get_user_model


def client_username(request, credentials=None) -> str | None:
    field = get_user_model().USERNAME_FIELD
    username = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    if username is None:
        return None
    return str(username)[: get_user_model()._meta.get_field(field).max_length]
