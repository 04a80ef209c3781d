"""The API's contract, tried by a fuzzer generated from its own ``/api/v1/openapi.json``.

Hypothesis writes bodies from the ``NewPlace`` schema (and from any JSON at all) and query
strings from each path's parameters. Every answer must be below 500, conform to the schema the
document gives for its status, and a refused write must store nothing. The run is bounded and
derandomised, so CI sees the same examples every time.
"""

from __future__ import annotations

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import count_places

FUZZ = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=12), c, max_size=6),
    max_leaves=12,
)


def from_schema(schema: dict):
    """Values for the JSON Schema constructs the API's request bodies use."""
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kinds = schema.get("type", "string")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return st.one_of([_of_type(kind, schema) for kind in kinds])


def _of_type(kind: str, schema: dict):
    if kind == "object":
        properties = {k: from_schema(v) for k, v in schema["properties"].items()}
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {k: v for k, v in properties.items() if k in required},
            optional={k: v for k, v in properties.items() if k not in required},
        )
    if kind == "array":
        return st.lists(from_schema(schema["items"]), min_size=schema.get("minItems", 0),
                        max_size=4)  # fmt: skip
    if kind == "number":
        return st.floats(schema.get("minimum"), schema.get("maximum"), allow_nan=False)
    simple = {"string": st.text(max_size=schema.get("maxLength", 50)), "boolean": st.booleans(),
              "null": st.none(), "integer": st.integers()}  # fmt: skip
    return simple[kind]


@pytest.fixture
def document(toy_client) -> dict:
    return toy_client.get("/api/v1/openapi.json").get_json()


def conforms(document: dict, path: str, method: str, response) -> None:
    """``response`` is below 500 and matches the schema documented for its status."""
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    responses = document["paths"][path][method]["responses"]
    assert str(response.status_code) in responses, (path, response.status_code)
    content = responses[str(response.status_code)].get("content", {})
    if response.mimetype != "application/json":
        assert response.mimetype in content
        return
    schema = {**content["application/json"]["schema"], "components": document["components"]}
    jsonschema.validate(response.get_json(), schema)


def _post_and_check(client, document, body) -> None:
    before = count_places(client.application)
    response = client.post("/api/v1/places", json=body)
    conforms(document, "/places", "post", response)
    after = count_places(client.application)
    assert after == before + (1 if response.status_code == 201 else 0)


def test_posts_from_the_new_place_schema(toy_client, document):
    schema = {**document["components"]["schemas"]["NewPlace"], "components": document["components"]}
    schema["properties"] = {
        **schema["properties"],
        "lon": {"type": "number", "minimum": 5.80, "maximum": 5.84},
        "lat": {"type": "number", "minimum": 51.80, "maximum": 51.82},
    }

    @FUZZ
    @given(from_schema(schema))
    def run(body):
        _post_and_check(toy_client, document, body)

    run()


def test_posts_of_any_json(toy_client, document):
    @FUZZ
    @given(
        ANY_JSON
        | st.dictionaries(
            st.sampled_from(
                [
                    "lon",
                    "lat",
                    "name",
                    "quote",
                    "story",
                    "function_types",
                    "consent",
                    "symbol_icon",
                    "conditions",
                    "access_free_entry",
                    "contributor_role",
                    "home_buurt",
                    "age_band",
                    "contributor_key",
                ]
            ),
            ANY_JSON,
        )
    )
    def run(body):
        _post_and_check(toy_client, document, body)

    run()


def _query_strategy(parameters: list[dict]):
    """Query strings from a path's parameters: enum values, short text or nothing."""
    values = {}
    for parameter in parameters:
        if parameter["in"] != "query":
            continue
        enum = parameter["schema"].get("enum")
        text = st.text(st.characters(codec="utf-8"), max_size=8)
        options = st.sampled_from(enum) | text if enum else text
        if parameter["name"] in ("wijk", "parent"):
            options = st.just("WK099901") | options
        values[parameter["name"]] = options
    return st.fixed_dictionaries({}, optional=values)


@pytest.mark.parametrize(
    "path",
    [
        "/areas",
        "/places",
        "/places/{id}",
        "/analysis/coverage",
        "/analysis/gaps",
        "/analysis/summary",
        "/analysis/proximity",
        "/analysis/surface",
        "/analysis/reach",
        "/findings",
        "/findings/{id}",
        "/actions",
        "/actions/{id}",
    ],
)
def test_gets_with_generated_parameters(toy_client, document, path):
    operation = document["paths"][path]["get"]
    ids = st.integers(min_value=-5, max_value=2**70).map(str) | st.text(
        "0123456789ab٣²-", max_size=6
    )

    @settings(FUZZ, max_examples=25)
    @given(_query_strategy(operation.get("parameters", [])), ids)
    def run(query, place_id):
        url = "/api/v1" + path.replace("{id}", place_id)
        response = toy_client.get(url, query_string=query)
        conforms(document, path, "get", response)

    run()
