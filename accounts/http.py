"""The signed-in user of a request, typed for the views that require one."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

from accounts.models import User


def authenticated_user(request: HttpRequest | Request) -> User:
    """
    ``request.user`` for a view whose permissions already require a signed-in
    user; an anonymous one (a view that forgot them) is refused, never served.
    """
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def site_url(request: HttpRequest | Request) -> str:
    """
    The scheme and host the request came to, for links in mail (as Django's
    own reset mail builds them); the host is one of ``ALLOWED_HOSTS``.
    """
    return f"{request.scheme}://{request.get_host()}"
