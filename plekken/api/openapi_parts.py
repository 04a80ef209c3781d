"""Small builders shared by the parts of the OpenAPI document."""

from __future__ import annotations

__all__ = ["json_answer", "query_param", "ref"]


def ref(name: str) -> dict:
    """A reference to the schema ``name`` of the document's components."""
    return {"$ref": f"#/components/schemas/{name}"}


def json_answer(name: str, description: str) -> dict:
    """An answer with a JSON body of schema ``name``."""
    return {"description": description, "content": {"application/json": {"schema": ref(name)}}}


def query_param(name: str, description: str, enum=None) -> dict:
    """An optional query parameter (a string, from ``enum`` when given)."""
    schema: dict = {"type": "string"}
    if enum:
        schema["enum"] = list(enum)
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}  # fmt: skip
