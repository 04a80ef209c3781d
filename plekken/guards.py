"""Checks every request passes before a view sees it.

- Ids in URLs (``<int:…>``) are plain ASCII digits within the database's integer range; a
  larger id matches no route, so it is a 404 rather than an overflow in the database driver.
- Query parameters and URL parts hold text: a NUL byte or another control character is refused
  with the parameter named (PostgreSQL cannot even compare such text).
- JSON read through Flask is parsed with a depth limit (:func:`plekken.checks.loads_bounded`),
  so deep nesting is a 400 and never a ``RecursionError``.
- The HTML form may carry a little more than ``MAX_CONTENT_LENGTH``, so that an image that is
  too large is answered by the form itself, with everything the resident typed kept.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.routing import IntegerConverter

from .checks import loads_bounded, text_problem
from .errorpages import error_response, is_api_request
from .errors import ValidationError
from .http import gettext

__all__ = ["MAX_ID", "FORM_SLACK", "DatabaseIdConverter", "init_app"]

#: The largest id the database stores (PostgreSQL ``integer``; SQLite's is larger).
MAX_ID = 2**31 - 1
#: How deeply any JSON read through Flask may nest (a place body is held to far less).
JSON_DEPTH = 64
#: How many times ``MAX_CONTENT_LENGTH`` an HTML form post may carry before it is cut off.
FORM_SLACK = 3


class DatabaseIdConverter(IntegerConverter):
    """``<int:…>`` for database ids: ASCII digits only, at most :data:`MAX_ID`."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
        if signed:
            self.regex = r"-?[0-9]+"


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON with :func:`~plekken.checks.loads_bounded`: deep nesting is a 400."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads_bounded(s, max_depth=JSON_DEPTH, **kwargs)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """JSON text; escaped as ASCII in the rare case it holds an unpaired surrogate,
        which UTF-8 cannot carry."""
        text = super().dumps(obj, **kwargs)
        if text_problem(text) == "surrogate":
            text = super().dumps(obj, **{**kwargs, "ensure_ascii": True})
        return text


def _bad_query() -> dict[str, str]:
    """Query parameters (names or values) that are not clean text."""
    bad = {}
    for name, value in request.args.items(multi=True):
        if text_problem(name) or text_problem(value):
            bad[name if not text_problem(name) else "query"] = gettext(
                "Hier staat een teken dat niet in tekst hoort (bijvoorbeeld een NUL-teken)."
            )
    return bad


def _check_request():
    if any(isinstance(v, str) and text_problem(v) for v in (request.view_args or {}).values()):
        return error_response(NotFound())
    if bad := _bad_query():
        if is_api_request():
            raise ValidationError(bad)
        return error_response(BadRequest())
    if request.method == "POST" and not is_api_request():
        limit = request.max_content_length
        if limit and request.mimetype == "multipart/form-data":
            request.max_content_length = limit * FORM_SLACK
    return None


def init_app(app: Flask) -> None:
    """Bound ids, JSON depth and query text for every request of ``app``.

    Call before the blueprints are registered (their routes use the id converter).
    """
    app.url_map.converters["int"] = DatabaseIdConverter
    app.json = BoundedJSONProvider(app)
    app.json.ensure_ascii = False
    app.before_request(_check_request)
