from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.tokens import UntypedToken

from accounts.models import User
from core.api.fields import HourMinuteField, StrictCharField, StrictEmailField
from core.time_zones import time_zone_names


class PasswordField(StrictCharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("write_only", True)
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("max_length", 128)
        kwargs.setdefault("style", {"input_type": "password"})
        super().__init__(**kwargs)


class UserSerializer(serializers.ModelSerializer):
    """The caller's own account; ``name``, ``time_zone`` and ``reminder_time`` can change."""

    name = StrictCharField(max_length=150, allow_blank=True, required=False)
    time_zone = serializers.ChoiceField(
        choices=time_zone_names(),
        required=False,
        help_text="An IANA time zone name, such as Europe/Paris: the reminder's clock.",
    )
    reminder_time = HourMinuteField(
        allow_null=True,
        required=False,
        help_text="When the daily reminder mail goes out (HH:MM in time_zone); null: never.",
    )

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "name",
            "email_verified",
            "date_joined",
            "time_zone",
            "reminder_time",
        ]
        read_only_fields = ["id", "email", "email_verified", "date_joined"]


class RegisterSerializer(serializers.Serializer):
    """The shape of a sign-up; its rules (the password's) are ``services.user_sign_up``'s."""

    email = StrictEmailField(max_length=254)
    password = PasswordField()
    name = StrictCharField(max_length=150, allow_blank=True, required=False, default="")


class RegisterAcceptedSerializer(serializers.Serializer):
    """The answer to every sign-up with good input, whether or not the address has an account."""

    detail = serializers.CharField()
    email = serializers.EmailField(help_text="The address, normalised (lower case, trimmed).")


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class PasswordChangeSerializer(serializers.Serializer):
    old_password = PasswordField()
    new_password = PasswordField()

    def validate_old_password(self, value: str) -> str:
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError("The current password is not correct.")
        return value


class AccountDeleteSerializer(serializers.Serializer):
    password = PasswordField(help_text="The account's password.")


class PasswordResetSerializer(serializers.Serializer):
    email = StrictEmailField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = StrictCharField(max_length=64)
    token = StrictCharField(max_length=128)
    new_password = PasswordField()


class VerifyEmailSerializer(serializers.Serializer):
    token = StrictCharField(max_length=256)


class LogoutSerializer(serializers.Serializer):
    refresh = StrictCharField()


class TokenObtainPairSerializer(jwt_serializers.TokenObtainPairSerializer):
    """Credentials must be strings: anything else is a 400, never a crash."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.username_field] = StrictCharField(write_only=True, max_length=254)
        self.fields["password"] = PasswordField()


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)


class TokenRefreshSerializer(serializers.Serializer):
    refresh = StrictCharField()


class TokenVerifySerializer(jwt_serializers.TokenVerifySerializer):
    """
    A token is valid only while the API would accept it: not blacklisted, and
    its user still there, active, and without a password change since.
    """

    token = StrictCharField(write_only=True)

    def validate(self, attrs: dict) -> dict:
        try:
            super().validate(attrs)
        except serializers.ValidationError as exc:
            raise InvalidToken("Token is blacklisted") from exc
        JWTAuthentication().get_user(UntypedToken(attrs["token"]))
        return {}


def validate_new_password(password: str, *, user: User) -> None:
    """Django's password validators, reported as a DRF field error."""
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(list(exc.messages)) from exc
