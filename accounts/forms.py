"""The account pages' forms; the writes they lead to are accounts.services'."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin

from accounts.models import User, normalize_email
from accounts.services import DUPLICATE_EMAIL


class SignupForm(SetPasswordMixin, forms.Form):
    """The API's registration rules: a free address, a password Django's validators accept."""

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

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(DUPLICATE_EMAIL)
        return email

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean returns
        self.validate_passwords()
        candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
        self.validate_password_for_user(candidate)
        return cleaned


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
    class Meta:
        model = User
        fields = ["name"]
        labels = {"name": "Name"}
