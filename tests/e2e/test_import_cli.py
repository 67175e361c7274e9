"""`python -m bot import groups` as the operator runs it: exit codes and what it prints."""

from __future__ import annotations

from pathlib import Path

from .test_console_cli import bot


def test_import_groups_dry_run_then_for_real(tmp_path: Path) -> None:
    db = tmp_path / "net.sqlite3"
    env = {"DATABASE_PATH": str(db)}
    assert bot("console", "--db", str(db), stdin="/setup server language:pl\n").returncode == 0
    csv = tmp_path / "groups.csv"
    csv.write_text("name,town,join\nJura,Zawiercie,approval\n", encoding="utf-8")
    dry = bot("import", "groups", str(csv), "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        "line 2: Jura — Zawiercie (śląskie, PL)",
        "dry run: 1 group(s) would be created, 0 already there; nothing was changed",
    ]
    done = bot("import", "groups", str(csv), env=env)
    assert done.returncode == 0 and "1 group(s) created" in done.stdout
    again = bot("import", "groups", str(csv), env=env)
    assert again.stdout.splitlines()[-1].startswith("0 group(s) created, 1 already there")
    csv.write_text("name,town\nX,Nowhereville\n", encoding="utf-8")
    bad = bot("import", "groups", str(csv), env=env)
    assert bad.returncode == 1
    assert bad.stdout.splitlines()[-1] == "1 error(s): nothing was imported"
