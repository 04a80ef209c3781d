"""Property-based tests of the input checks and the place validator (Hypothesis)."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from plekken.checks import (
    JSONTooDeep,
    TextProblem,
    clean_text,
    json_depth,
    loads_bounded,
    parse_integer,
    parse_number,
    text_problem,
)
from plekken.errors import ValidationError
from plekken.validation import LIMITS, validate_place
from tests.factories import place_data

PROPERTIES = settings(max_examples=200, derandomize=True, database=None, deadline=None)
ALLOWED_CONTROLS = "\n\t\r"


@PROPERTIES
@given(st.text())
def test_clean_text_either_refuses_or_returns_clean_text(value):
    try:
        text = clean_text(value)
    except TextProblem as problem:
        assert problem.reason in ("surrogate", "control")
        return
    assert text == text.strip()
    assert "\r" not in text
    assert text_problem(text) is None
    assert all(ch in ALLOWED_CONTROLS or ord(ch) >= 0x20 for ch in text)
    text.encode("utf-8")  # storable


@PROPERTIES
@given(st.one_of(st.booleans(), st.integers(), st.floats(), st.lists(st.text()), st.none()))
def test_clean_text_refuses_everything_that_is_not_a_string(value):
    if value is None:
        assert clean_text(value) == ""
        return
    try:
        clean_text(value)
    except TextProblem as problem:
        assert problem.reason == "type"
    else:
        raise AssertionError(f"{value!r} was accepted as text")


@PROPERTIES
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_finite_floats_and_their_text_parse_back(value):
    assert parse_number(value) == value
    assert parse_number(repr(value)) == value


@PROPERTIES
@given(st.text())
def test_parse_number_accepts_only_ascii_finite_numbers(text):
    number = parse_number(text)
    if number is not None:
        assert math.isfinite(number)
        assert text.strip().isascii()
        assert not any(ch.isalpha() and ch not in "eE" for ch in text)


@PROPERTIES
@given(st.text())
def test_parse_integer_accepts_only_ascii_digits(text):
    number = parse_integer(text)
    if number is not None:
        assert text.strip().lstrip("+-").isascii() and text.strip().lstrip("+-").isdigit()


@settings(PROPERTIES, max_examples=60)
@given(
    st.recursive(
        st.none() | st.integers() | st.text(max_size=5),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
        max_leaves=25,
    )
)
def test_loads_bounded_agrees_with_json_depth(value):
    text = json.dumps(value)
    try:
        assert loads_bounded(text) == value
    except JSONTooDeep:
        assert json_depth(value) > 8


@PROPERTIES
@given(st.integers(min_value=9, max_value=100_000))
def test_any_nesting_beyond_the_limit_is_refused_without_recursion_error(depth):
    try:
        loads_bounded("[" * depth + "]" * depth)
    except JSONTooDeep:
        return
    raise AssertionError("too deep a document was accepted")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
    max_leaves=8,
)


@PROPERTIES
@given(
    st.dictionaries(
        st.sampled_from(
            [
                *LIMITS,
                "lon",
                "lat",
                "function_types",
                "consent",
                "symbol_icon",
                "conditions",
                "contributor_role",
                "access_costs",
            ]
        ),
        JSON_VALUES,
    )
)
def test_validate_place_refuses_with_named_fields_or_returns_clean_values(overrides):
    try:
        clean = validate_place(place_data(**overrides))
    except ValidationError as exc:
        assert exc.errors and all(isinstance(m, str) and m for m in exc.errors.values())
        return
    for field, limit in LIMITS.items():
        value = clean.get(field)
        assert value is None or (isinstance(value, str) and len(value) <= limit)
        assert value is None or text_problem(value) is None
    assert -180 <= clean["lon"] <= 180 and -90 <= clean["lat"] <= 90
    assert clean["function_types"]
