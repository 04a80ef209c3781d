"""Domain errors. Views turn them into HTTP answers in one place (see ``plekken.api``)."""

from __future__ import annotations

__all__ = ["ValidationError", "MalformedRequest", "NotFoundError"]


class ValidationError(ValueError):
    """Input that cannot be stored. ``errors`` maps each field to a message for people."""

    #: The HTTP status the API answers with.
    status = 422

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class MalformedRequest(ValidationError):
    """A request body that cannot be read at all (for example JSON nested too deeply)."""

    status = 400


class NotFoundError(LookupError):
    """Something asked for by id or code does not exist (or is not public).

    ``field`` names the input that held the id or code (``"id"`` unless told otherwise).
    """

    def __init__(self, what: object, field: str = "id") -> None:
        super().__init__(what)
        self.field = field
