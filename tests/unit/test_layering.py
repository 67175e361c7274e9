"""DESIGN.md rule 1: the core never imports a front end or its platform library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "bot"
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


def test_the_design_map_names_every_part_of_the_code() -> None:
    """docs/DESIGN.md's layout is how a newcomer finds their way: a package or module it
    does not name is one nobody will find."""
    design = (ROOT / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    layout = design.split("```", 2)[1]
    parts = [
        f"{path.name}/" if path.is_dir() else path.name
        for path in CORE.iterdir()
        if path.name not in ("__init__.py", "__pycache__") and not path.name.startswith(".")
    ]
    parts += ["cogs/", "matrix/", "web/", "tests/", "bench/", "docs/commands/"]
    missing = sorted(part for part in parts if part not in layout)
    assert not missing, f"docs/DESIGN.md's layout does not name: {missing}"
