"""Where the built-in templates and presets live: inside the installed package, or
at the top of the source tree when running from a checkout."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _dir(name: str) -> Path:
    installed = _PKG / name
    if installed.is_dir():
        return installed
    return _PKG.parent / name


def templates_dir() -> Path:
    return _dir("templates")


def presets_dir() -> Path:
    return _dir("presets")
