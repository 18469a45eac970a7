"""
The todo pages' forms: the shape of HTML input. A title is at most the
model's limit as sent; the rest of its rules are todos.services', whose
errors the views show on these forms (``core.forms.add_application_error``).
"""

from typing import Any

from django import forms

from todos.models import Todo


def title_field(**kwargs: Any) -> forms.CharField:
    return forms.CharField(label="Title", max_length=Todo.TITLE_MAX_LENGTH, strip=False, **kwargs)


class DueDateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label="Due date", required=False, **kwargs)


class TodoAddForm(forms.Form):
    title = title_field()
    due_date = DueDateField()


class TodoEditForm(forms.Form):
    """``version`` is the ETag the API would have sent for the todo as the form showed it."""

    # Opened in place (htmx), the form takes the focus from the Edit link it replaces.
    title = title_field(widget=forms.TextInput(attrs={"autofocus": True}))
    description = forms.CharField(
        label="Description", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = DueDateField()
    done = forms.BooleanField(label="Done", required=False)
    version = forms.CharField(widget=forms.HiddenInput, max_length=64)


class TodoToggleForm(forms.Form):
    done = forms.BooleanField(required=False)
