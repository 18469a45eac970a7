"""The bearer-token authentication: simplejwt's checks, the user read by SQL compiled once."""

import pytest
from django.db.models.sql.compiler import SQLCompiler
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import User
from core.api.authentication import JWTAuthentication

pytestmark = pytest.mark.django_db


def authenticate(token: AccessToken) -> User:
    request = Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {token}"))
    result = JWTAuthentication().authenticate(request)
    assert result is not None
    return result[0]  # type: ignore[return-value]


def test_the_tokens_user_is_read_without_compiling_a_query(user, monkeypatch):
    token = AccessToken.for_user(user)
    authenticate(token)  # the first compiles it
    compiled: list[object] = []
    as_sql = SQLCompiler.as_sql

    def counting(self: SQLCompiler, *args: object, **kwargs: object) -> object:
        compiled.append(self.query.model)
        return as_sql(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    read = authenticate(token)

    assert compiled == []
    fields = [field.attname for field in User._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [
        getattr(User.objects.get(pk=user.pk), name) for name in fields
    ]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda user: User.objects.filter(pk=user.pk).update(is_active=False), "user_inactive"),
        (lambda user: user.delete(), "user_not_found"),
        (
            lambda user: (user.set_password("another-long-password"), user.save()),
            "password_changed",
        ),
    ],
)
def test_simplejwts_lock_outs_still_apply(user, change, code):
    token = AccessToken.for_user(user)
    authenticate(token)
    change(user)
    with pytest.raises(AuthenticationFailed) as refused:
        authenticate(token)
    assert refused.value.detail["code"] == code  # type: ignore[call-overload,index]
