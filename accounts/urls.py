from django.urls import path

from accounts import apis

app_name = "accounts"

urlpatterns = [
    path("register/", apis.RegisterView.as_view(), name="register"),
    path("token/", apis.TokenObtainPairView.as_view(), name="token"),
    path("token/refresh/", apis.TokenRefreshView.as_view(), name="token-refresh"),
    path("token/verify/", apis.TokenVerifyView.as_view(), name="token-verify"),
    path("logout/", apis.LogoutView.as_view(), name="logout"),
    path("verify-email/", apis.VerifyEmailView.as_view(), name="verify-email"),
    path(
        "verify-email/resend/",
        apis.VerifyEmailResendView.as_view(),
        name="verify-email-resend",
    ),
    path("me/", apis.MeView.as_view(), name="me"),
    path("password/change/", apis.PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", apis.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/confirm/",
        apis.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
]
