"""Where the tests find SoundCloud's OpenAPI description: tests/data/, or $SC_OPENAPI_SPEC."""

import os
from pathlib import Path

SPEC = Path(
    os.environ.get("SC_OPENAPI_SPEC", Path(__file__).parent / "data" / "soundcloud-openapi.yaml")
)


def spec_as_the_api_answers() -> dict:
    """The spec as a dict, less the places where its schemas contradict its own examples and
    every recorded real answer (issue 15); tests/test_i15_shapes.py checks those real shapes:
    - User times are `format: date-time` (RFC 3339, l. 2085-2092), but come as
      '2020/10/12 12:03:00 +0000';
    - Comment.timestamp is typed string (l. 2692), but comes as milliseconds, a number (4960);
    - fields typed string or integer, not nullable, come as null when unset (the examples'
      description, isrc, purchase_url, bpm, city, website...);
    - `subscriptions` is a list of lists (l. 2132, 2254), but comes as a list of objects."""
    import yaml

    spec = yaml.safe_load(SPEC.read_text())
    schemas = spec["components"]["schemas"]
    for prop in schemas["User"]["properties"].values():
        if prop.get("format") == "date-time":
            del prop["format"]
    schemas["Comment"]["properties"]["timestamp"]["type"] = "integer"
    for name in ("Track", "User", "Me", "Playlist", "Comment"):
        for key, prop in _properties(schemas[name]).items():
            if prop.get("type") not in ("object", "array"):
                prop["nullable"] = True
            if key == "subscriptions":
                prop["items"]["type"] = "object"
    return spec


def _properties(schema: dict) -> dict:
    props = dict(schema.get("properties") or {})
    for part in schema.get("anyOf", []) + schema.get("allOf", []) + schema.get("oneOf", []):
        props.update(part.get("properties") or {})
    return props
