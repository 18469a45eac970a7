"""
Domain errors: raised by services, mapped to HTTP once (``core.api.exceptions``).

A service says what went wrong in domain terms; it never builds a response.
Each class carries the status and the machine-readable code the API answers
with; a ``field`` puts the message under that input field, the way DRF reports
validation errors (``{"email": ["..."]}``), and otherwise under ``detail``,
beside its ``code``.
"""

from collections.abc import Sequence
from typing import ClassVar


class ApplicationError(Exception):
    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "invalid"
    default_message: ClassVar[str] = "The request could not be processed."

    def __init__(
        self, message: str | Sequence[str] | None = None, *, field: str | None = None
    ) -> None:
        if message is None:
            message = self.default_message
        self.messages = [message] if isinstance(message, str) else list(message)
        self.field = field
        super().__init__(" ".join(self.messages))

    @property
    def body(self) -> dict[str, str | list[str]]:
        """The JSON body the API answers with."""
        if self.field:
            return {self.field: self.messages}
        return {"detail": " ".join(self.messages)}


class ValidationFailed(ApplicationError):
    """Input that is well-formed but breaks a rule only the domain knows."""


class PreconditionFailed(ApplicationError):
    status_code = 412
    code = "precondition_failed"
    default_message = (
        "The resource has changed since you read it (If-Match does not match its ETag)."
    )


class NotFound(ApplicationError):
    """Missing, or somebody else's: the two are never told apart."""

    status_code = 404
    code = "not_found"
    default_message = "Not found."


class Forbidden(ApplicationError):
    """Seen, but not to be changed by this person (a viewer's write, say)."""

    status_code = 403
    code = "permission_denied"
    default_message = "You do not have permission to perform this action."
