from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User


def make_client(user: User | None = None) -> APIClient:
    """
    An API client that arrives over https through the platform proxy
    (X-Forwarded-Proto), signed in as ``user`` with a real access token.
    """
    client = APIClient(HTTP_X_FORWARDED_PROTO="https")
    if user is not None:
        access = RefreshToken.for_user(user).access_token
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client
