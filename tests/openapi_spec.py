"""Where the tests find SoundCloud's OpenAPI description: tests/data/, or $SC_OPENAPI_SPEC."""

import os
from pathlib import Path

SPEC = Path(
    os.environ.get("SC_OPENAPI_SPEC", Path(__file__).parent / "data" / "soundcloud-openapi.yaml")
)
