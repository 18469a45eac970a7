"""
The todo pages' forms: the API's rules (todos.serializers) for HTML input.
A title is at most 200 characters as sent and not blank once trimmed, and is
stored trimmed; a description is kept as sent.
"""

from typing import Any

from django import forms

from todos.serializers import TITLE_MAX_LENGTH

BLANK_TITLE = "This field may not be blank."


class TitleField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label="Title", max_length=TITLE_MAX_LENGTH, strip=False, **kwargs)

    def clean(self, value: str) -> str:
        title: str = super().clean(value).strip()
        if not title:
            raise forms.ValidationError(BLANK_TITLE, code="blank")
        return title


class DueDateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label="Due date", required=False, **kwargs)


class TodoAddForm(forms.Form):
    title = TitleField()
    due_date = DueDateField()


class TodoEditForm(forms.Form):
    """``version`` is the ETag the API would have sent for the todo as the form showed it."""

    # Opened in place (htmx), the form takes the focus from the Edit link it replaces.
    title = TitleField(widget=forms.TextInput(attrs={"autofocus": True}))
    description = forms.CharField(
        label="Description", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = DueDateField()
    done = forms.BooleanField(label="Done", required=False)
    version = forms.CharField(widget=forms.HiddenInput, max_length=64)


class TodoToggleForm(forms.Form):
    done = forms.BooleanField(required=False)
