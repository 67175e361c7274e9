"""DESIGN.md rule 1: the core never imports a front end or its platform library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "bot"
FORBIDDEN = {"discord", "nio", "cogs", "matrix", "web"}


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_imports_no_front_end(path: Path) -> None:
    assert not imported_roots(path) & FORBIDDEN


def test_the_check_sees_an_import() -> None:
    # Guards the walker itself: a front-end import in a probe module is found.
    assert imported_roots(Path(__file__).parents[2] / "matrix" / "bot.py") & {"nio"}


WEB = CORE.parent / "web"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(WEB.rglob("*.py")), ids=lambda p: str(p.relative_to(WEB)))
def test_the_web_page_imports_no_other_front_end(path: Path) -> None:
    # The public page is a sibling of cogs/, matrix/ and the console: it reads through bot/.
    modules = imported_modules(path)
    assert not {m.split(".")[0] for m in modules} & {"discord", "nio", "cogs", "matrix"}
    assert not any(m == "bot.console" or m.startswith("bot.console.") for m in modules)
