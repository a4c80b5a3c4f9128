"""Small helper for tests: replace top-level keys of a YAML text."""

from __future__ import annotations

import io

from ruamel.yaml import YAML


def replace_keys(text: str, changes: dict) -> str:
    y = YAML()
    data = y.load(text)
    for k, v in changes.items():
        data[k] = v
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()
