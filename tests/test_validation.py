"""Validation of submitted places: every field gets a message naming the problem."""

from __future__ import annotations

import pytest

from plekken.errors import ValidationError
from plekken.validation import validate_place

GOOD = {
    "lon": 5.8420,
    "lat": 51.8255,
    "name": "Goffertpark",
    "quote": "Je bent altijd vrij om je eigen pad te kiezen.",
    "story": "Ingangen aan alle kanten.",
    "function_types": ["verbindend", "ideologisch"],
    "symbol_icon": "zon",
    "consent": True,
}


def errors_of(data, lang="nl") -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        validate_place(data, lang)
    return caught.value.errors


def test_good_place_is_cleaned():
    clean = validate_place({**GOOD, "name": "  Goffertpark ", "function_types": "verbindend"})
    assert clean["name"] == "Goffertpark"
    assert clean["function_types"] == ["verbindend"]
    assert clean["contributor_role"] == "bewoner"
    assert clean["access_wheelchair"] is None
    assert clean["conditions"] == []


def test_empty_submission_names_every_required_field():
    errors = errors_of({})
    assert set(errors) == {"lon", "lat", "name", "function_types", "consent"}
    assert errors["name"] == "Geef de plek een naam."
    assert "soort" in errors["function_types"]


def test_messages_in_english():
    errors = errors_of({}, lang="en")
    assert errors["name"] == "Give the place a name."


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("lon", "abc", "geen getal"),
        ("lat", 123, "tussen -90 en 90"),
        ("lon", float("nan"), "geen getal"),
        ("name", "Goffertpark \x07", "stuurteken"),
        ("name", "x" * 121, "Maximaal 120 tekens"),
        ("quote", "x" * 281, "Maximaal 280"),
        ("function_types", ["gezellig"], "Onbekende soort: gezellig"),
        ("function_types", [], "minstens één"),
        ("function_types", {"a": 1}, "lijst"),
        ("symbol_icon", "raket", "bestaat niet"),
        ("contributor_role", "burgemeester", "bewoner, opbouwwerker of student"),
        ("conditions", ["geluk"], "Onbekende voorwaarde"),
        ("access_wheelchair", "misschien", "ja, nee of weet ik niet"),
        ("consent", False, "toestemming"),
        ("name", {"nested": True}, "tekst"),
    ],
)
def test_each_bad_field_gets_its_own_message(field, value, fragment):
    errors = errors_of({**GOOD, field: value})
    assert list(errors) == [field]
    assert fragment in errors[field]


def test_tristate_accepts_form_words():
    clean = validate_place({**GOOD, "access_free_entry": "ja", "access_costs": "false",
                            "access_wheelchair": ""})  # fmt: skip
    assert (clean["access_free_entry"], clean["access_costs"], clean["access_wheelchair"]) == (
        True, False, None,
    )  # fmt: skip


def test_not_an_object():
    assert "body" in errors_of(["a", "list"])
