"""The list pages' forms: the API's rules (lists.serializers) for HTML input."""

from typing import Any

from django import forms

from lists.models import NAME_MAX_LENGTH, SHARED_ROLE_CHOICES

BLANK_NAME = "This field may not be blank."


class ListNameForm(forms.Form):
    """A name is at most 100 characters as sent, not blank once trimmed, stored trimmed."""

    name = forms.CharField(label="Name", max_length=NAME_MAX_LENGTH, strip=False)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(BLANK_NAME, code="blank")
        return name


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(
        label="Role",
        choices=SHARED_ROLE_CHOICES,
        help_text="Editors add, change and delete todos; viewers only read them.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=SHARED_ROLE_CHOICES)
