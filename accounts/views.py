"""
The account pages: sign-up, log-in and out, password change and reset, the
profile. Django's auth views with our templates; every write goes through
accounts.services, so a password set here ends the API sessions as the API's
own password endpoints do.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, RedirectURLMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.views import View
from django.views.generic import FormView, TemplateView, UpdateView

from accounts import selectors, services
from accounts.forms import (
    AccountDeleteForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    SetPasswordForm,
    SignupForm,
)
from accounts.http import authenticated_user, site_url
from accounts.models import User
from accounts.throttling import AuthThrottledPageMixin
from core.exceptions import ValidationFailed
from core.forms import add_application_error

# The services' name for a new password, and the field Django's forms show its errors under.
NEW_PASSWORD = {"password": "new_password2"}
NEW_PASSWORD_OF_SIGN_UP = {"password": "password2"}
SIGN_UP_SENT = "Check your inbox: we sent a mail to the address you gave. It says what to do next."
RESET_DONE = (
    "If the address has an account, a mail with a link to set a new password is on its way."
)


class SignupView(AuthThrottledPageMixin, FormView):
    """
    The API's sign-up: the same "check your inbox" page for a new address and
    a taken one, and nobody is signed in (the mail says what to do next).
    """

    template_name = "accounts/signup.html"
    form_class = SignupForm
    success_url = reverse_lazy("accounts_web:signup-sent")

    def form_valid(self, form: SignupForm) -> HttpResponse:
        try:
            services.user_sign_up(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                name=form.cleaned_data["name"],
                site_url=site_url(self.request),
            )
        except ValidationFailed as exc:
            add_application_error(form, exc, renamed=NEW_PASSWORD_OF_SIGN_UP)
            return self.form_invalid(form)
        return super().form_valid(form)


class SignupSentView(TemplateView):
    template_name = "accounts/signup_sent.html"
    extra_context = {"message": SIGN_UP_SENT}


class VerifyEmailResendView(LoginRequiredMixin, AuthThrottledPageMixin, RedirectURLMixin, View):
    """The notice's Resend button: a fresh mail, then back to the page it was pressed on."""

    http_method_names = ["post"]
    next_page = "accounts_web:profile"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = authenticated_user(request)
        try:
            services.email_verification_resend(user=user, site_url=site_url(request))
        except ValidationFailed as exc:
            messages.info(request, " ".join(exc.messages))
        else:
            messages.success(request, services.VERIFICATION_RESENT.format(email=user.email))
        return HttpResponseRedirect(self.get_success_url())


class LoginView(AuthThrottledPageMixin, auth_views.LoginView):
    """``?next=`` is followed for this site's own paths only (Django's check)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's): the header's Log out button."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are logged out.")
        return response


class PasswordChangeView(AuthThrottledPageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts_web:profile")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        try:
            services.user_set_password(user=form.user, password=form.cleaned_data["new_password1"])
        except ValidationFailed as exc:
            add_application_error(form, exc, renamed=NEW_PASSWORD)
            return self.form_invalid(form)
        # This browser stays signed in; every other session, API tokens included, ends.
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, "Your password is changed. Other sessions were signed out.")
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(AuthThrottledPageMixin, auth_views.PasswordResetView):
    """The API's reset request (queued mail, the same answer for any address), with a web link."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts_web:password-reset-sent")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        path = reverse(
            "accounts_web:password-reset-confirm", kwargs={"uidb64": "UID", "token": "TOKEN"}
        )
        # The placeholders are swapped in the path only (a host may spell "UID"), and the
        # link is put together as Django's own reset mail does: protocol, domain, path.
        template = path.replace("UID", "{uid}").replace("TOKEN", "{token}")
        services.password_reset_request(
            email=form.cleaned_data["email"],
            reset_url=f"{self.request.scheme}://{self.request.get_host()}{template}",
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"
    extra_context = {"message": RESET_DONE}


class PasswordResetConfirmView(AuthThrottledPageMixin, auth_views.PasswordResetConfirmView):
    """The mailed link: the new password is set by the API's reset service."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts_web:password-reset-complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        try:
            services.password_reset_confirm(
                uid=self.kwargs["uidb64"],
                token=self.request.session[INTERNAL_RESET_SESSION_TOKEN],
                password=form.cleaned_data["new_password1"],
            )
        except ValidationFailed as exc:
            # A link that died meanwhile has no field of its own: above the form.
            add_application_error(form, exc, renamed=NEW_PASSWORD)
            return self.form_invalid(form)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class VerifyEmailView(AuthThrottledPageMixin, TemplateView):
    """
    The mailed link. Opening it only checks it and asks to confirm; the
    button verifies. So a mail scanner that follows links verifies nobody:
    only a person who reads the mail and presses it does. Signed in or not.
    """

    template_name = "accounts/verify_email.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            selectors.user_from_verification_token(token=self.kwargs["token"])
        except ValidationFailed as exc:
            return self.refused(exc)
        return self.render_to_response(self.get_context_data())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            user = services.user_verify_email(token=self.kwargs["token"])
        except ValidationFailed as exc:
            return self.refused(exc)
        return self.render_to_response(self.get_context_data(verified=user))

    def refused(self, exc: ValidationFailed) -> HttpResponse:
        return self.render_to_response(self.get_context_data(problems=exc.messages), status=400)


class ProfileView(LoginRequiredMixin, UpdateView):
    template_name = "accounts/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("accounts_web:profile")

    def get_object(self, queryset: QuerySet[User] | None = None) -> User:
        return authenticated_user(self.request)

    def form_valid(self, form: ProfileForm) -> HttpResponse:
        services.user_update(user=authenticated_user(self.request), data=form.cleaned_data)
        messages.success(self.request, "Your profile is saved.")
        return HttpResponseRedirect(self.get_success_url())


class AccountDeleteView(LoginRequiredMixin, AuthThrottledPageMixin, FormView):
    """The API's ``DELETE auth/me/``: asks for the password, then signs this browser out."""

    template_name = "accounts/delete.html"
    form_class = AccountDeleteForm
    success_url = reverse_lazy("home")

    def form_valid(self, form: AccountDeleteForm) -> HttpResponse:
        try:
            services.user_request_deletion(
                user=authenticated_user(self.request), password=form.cleaned_data["password"]
            )
        except ValidationFailed as exc:
            add_application_error(form, exc)
            return self.form_invalid(form)
        logout(self.request)
        messages.info(self.request, services.ACCOUNT_DELETION_QUEUED)
        return super().form_valid(form)
