"""One canonical digest of JSON-like data, for ETags and request fingerprints."""

import hashlib
import json
from typing import Any


def json_sha256(data: Any) -> str:
    """Hex SHA-256 of ``data`` as canonical JSON: equal data, equal digest, in any key order."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()
