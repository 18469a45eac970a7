"""The pages' side of the domain errors: a service's refusal shown on the form it came from."""

from collections.abc import Mapping

from django import forms

from core.exceptions import ApplicationError


def add_application_error(
    form: forms.BaseForm, error: ApplicationError, *, renamed: Mapping[str, str] | None = None
) -> None:
    """
    Show ``error`` on ``form``: under the field it names (``renamed`` maps the
    service's name to the form's), or above the form when the form has no such
    field. The API reports the same error with ``core.api.validation``.
    """
    field = (renamed or {}).get(error.field, error.field) if error.field else None
    form.add_error(field if field in form.fields else None, error.messages)
