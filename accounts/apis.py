from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views

from accounts import services
from accounts.http import authenticated_user, site_url
from accounts.models import User
from accounts.serializers import (
    AccountDeleteSerializer,
    DetailSerializer,
    LogoutSerializer,
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetSerializer,
    RegisterAcceptedSerializer,
    RegisterSerializer,
    TokenObtainPairSerializer,
    TokenPairSerializer,
    TokenRefreshSerializer,
    TokenVerifySerializer,
    UserSerializer,
    VerifyEmailSerializer,
)
from core.api.schema import error_responses
from core.api.throttling import AuthRateThrottle
from core.api.validation import field_errors

# The services' name for a new password, and the API's.
NEW_PASSWORD = {"password": "new_password"}


class AuthThrottledAPIMixin(APIView):
    """Share the per-IP ``auth`` budget on top of the default throttles."""

    def get_throttles(self) -> list[BaseThrottle]:
        return [*super().get_throttles(), AuthRateThrottle()]


class RegisterView(AuthThrottledAPIMixin, APIView):
    """
    Sign up: the same 202 for a new address and for one that has an account
    (a mail tells its owner); input that is wrong whatever the address is a 400.
    """

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=RegisterSerializer,
        responses={202: RegisterAcceptedSerializer, **error_responses(400, 413, 415, 429)},
        description=(
            "Answers 202 alike whether or not the address already has an account, so it "
            "tells nobody who has one: a new address gets an unverified account and a "
            "verification mail; a taken one is left as it is and its owner is told by mail. "
            "The account can sign in at once (`auth/token/`). Until v1's breaking change of "
            "this endpoint it answered 201 with `{id, email, name}` and a 400 for a taken "
            "address."
        ),
    )
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = services.user_sign_up(**serializer.validated_data, site_url=site_url(request))
        return Response(
            {"detail": services.SIGN_UP_ACCEPTED, "email": email}, status=status.HTTP_202_ACCEPTED
        )


@extend_schema(responses={200: TokenPairSerializer, **error_responses(400, 401, 413, 415, 429)})
class TokenObtainPairView(AuthThrottledAPIMixin, jwt_views.TokenObtainPairView):
    serializer_class = TokenObtainPairSerializer


@extend_schema(responses={200: TokenPairSerializer, **error_responses(400, 401, 413, 415, 429)})
class TokenRefreshView(jwt_views.TokenRefreshView):
    serializer_class = TokenRefreshSerializer

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(services.token_refresh(refresh=serializer.validated_data["refresh"]))


@extend_schema(
    responses={
        200: OpenApiResponse(description="The token is valid."),
        **error_responses(400, 401, 413, 415, 429),
    }
)
class TokenVerifyView(jwt_views.TokenVerifyView):
    serializer_class = TokenVerifySerializer


class LogoutView(APIView):
    """Blacklist one of the caller's refresh tokens."""

    @extend_schema(
        request=LogoutSerializer,
        responses={
            204: OpenApiResponse(description="Logged out."),
            **error_responses(400, 401, 413, 415, 429),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_logout(
            user=authenticated_user(request), refresh=serializer.validated_data["refresh"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(responses={200: UserSerializer, **error_responses(401, 429)}),
    patch=extend_schema(
        responses={200: UserSerializer, **error_responses(400, 401, 413, 415, 429)}
    ),
    delete=extend_schema(
        request=AccountDeleteSerializer,
        responses={
            202: OpenApiResponse(
                DetailSerializer,
                description="The account is locked, every token of it dead; a job deletes "
                "it and everything in it, then mails a confirmation.",
            ),
            **error_responses(400, 401, 413, 415, 429),
        },
    ),
)
class MeView(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = UserSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_throttles(self) -> list[BaseThrottle]:
        # Deleting checks the password: it spends the per-IP auth budget.
        throttles = super().get_throttles()
        return [*throttles, AuthRateThrottle()] if self.request.method == "DELETE" else throttles

    def get_object(self) -> User:
        return authenticated_user(self.request)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = AccountDeleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with field_errors():
            services.user_request_deletion(
                user=authenticated_user(request), password=serializer.validated_data["password"]
            )
        return Response(
            {"detail": services.ACCOUNT_DELETION_QUEUED}, status=status.HTTP_202_ACCEPTED
        )

    def perform_update(self, serializer: BaseSerializer[User]) -> None:
        serializer.instance = services.user_update(
            user=authenticated_user(self.request), data=serializer.validated_data
        )


class PasswordChangeView(AuthThrottledAPIMixin, APIView):
    @extend_schema(
        request=PasswordChangeSerializer,
        responses={
            204: OpenApiResponse(description="Password changed."),
            **error_responses(400, 401, 413, 415, 429),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordChangeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        with field_errors(renamed=NEW_PASSWORD):
            services.user_set_password(
                user=authenticated_user(request), password=serializer.validated_data["new_password"]
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetView(AuthThrottledAPIMixin, APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=PasswordResetSerializer,
        responses={
            202: OpenApiResponse(
                description="If the address has an account, a reset email is on its way."
            ),
            **error_responses(400, 413, 415, 429),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_request(email=serializer.validated_data["email"])
        return Response(
            {"detail": "If the address has an account, a reset email is on its way."},
            status=status.HTTP_202_ACCEPTED,
        )


class PasswordResetConfirmView(AuthThrottledAPIMixin, APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=PasswordResetConfirmSerializer,
        responses={
            204: OpenApiResponse(description="Password reset."),
            **error_responses(400, 413, 415, 429),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with field_errors(renamed=NEW_PASSWORD):
            services.password_reset_confirm(
                uid=data["uid"], token=data["token"], password=data["new_password"]
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class VerifyEmailResendView(AuthThrottledAPIMixin, APIView):
    """A fresh verification mail for the signed-in caller, while the address is unverified."""

    @extend_schema(
        request=None,
        responses={202: DetailSerializer, **error_responses(400, 401, 429)},
        description="400 when the address is already verified.",
    )
    def post(self, request: Request) -> Response:
        user = authenticated_user(request)
        services.email_verification_resend(user=user, site_url=site_url(request))
        return Response(
            {"detail": services.VERIFICATION_RESENT.format(email=user.email)},
            status=status.HTTP_202_ACCEPTED,
        )


class VerifyEmailView(AuthThrottledAPIMixin, APIView):
    """The token of a verification mail, for clients that are not the web app."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=VerifyEmailSerializer,
        responses={
            204: OpenApiResponse(description="The address is verified."),
            **error_responses(400, 413, 415, 429),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = VerifyEmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_verify_email(token=serializer.validated_data["token"])
        return Response(status=status.HTTP_204_NO_CONTENT)
