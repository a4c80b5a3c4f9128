"""`python -m drafter.cli …`, as the benchmarks run it."""

from .main import entry

entry()
