"""Every benchmark still imports: `make bench` is not run in CI, so a benchmark broken by a
change elsewhere would otherwise go unnoticed until someone measures."""

from __future__ import annotations

import importlib

import pytest

from bench.__main__ import available


@pytest.mark.parametrize("name", available())
def test_the_benchmark_imports_and_has_a_run(name: str) -> None:
    module = importlib.import_module(f"bench.{name}")
    assert callable(getattr(module, "run", None)), f"bench/{name}.py has no run()"
