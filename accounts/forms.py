"""The account pages' forms; the writes they lead to are accounts.services'."""

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin

from accounts.models import User


class SignupForm(SetPasswordMixin, forms.Form):
    """
    The shape of a sign-up, and the two passwords matching; the rules (the
    password's, for this address) are ``services.user_sign_up``'s, as for the API.
    """

    email = forms.EmailField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    name = forms.CharField(
        label="Name",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields()

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.validate_passwords()
        return self.cleaned_data


class LoginForm(AuthenticationForm):
    """Email and password; a failure never says whether the address has an account."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The email or the password is not correct.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email"
        self.fields["username"].widget.attrs["autocomplete"] = "email"


class ProfileForm(forms.ModelForm):
    # To the minute, as the API takes it (the browser's time input sends HH:MM).
    reminder_time = forms.TimeField(
        label="Daily reminder at",
        required=False,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="A mail with your open todos due today and overdue, at this time in your "
        "time zone. Leave empty for none.",
    )

    class Meta:
        model = User
        fields = ["name", "time_zone", "reminder_time"]
        labels = {"name": "Name", "time_zone": "Time zone"}
        help_texts = {"time_zone": "Your day, for reminders and the calendar feed."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A post without the select (a script's) keeps the zone as it is.
        self.fields["time_zone"].required = False
        if self.instance.time_zone == User._meta.get_field("time_zone").default:
            # Never chosen: static/web/app.js presets the browser's own zone.
            self.fields["time_zone"].widget.attrs["data-browser-time-zone"] = ""

    def clean_time_zone(self) -> str:
        zone: str = self.cleaned_data["time_zone"] or self.instance.time_zone
        return zone


class PasswordRulesInService:
    """
    For Django's forms that set a password: the two fields must match, but
    the password validators are ``accounts.services.user_set_password``'s,
    whose refusal the view shows under ``new_password2``, as Django would.
    """

    def validate_password_for_user(
        self,
        user: Any,
        password_field_name: str = "password2",  # noqa: S107 (a field's name, as Django's)
    ) -> None:
        """Left to the service."""


class SetPasswordForm(PasswordRulesInService, auth_forms.SetPasswordForm):
    """The reset link's form."""


class PasswordChangeForm(PasswordRulesInService, auth_forms.PasswordChangeForm):
    """The signed-in password change's form."""


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
