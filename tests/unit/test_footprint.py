"""A start loads only what a start needs: the libraries behind a map, a certificate, a
calendar file, the time parser's fallback and Matrix load when first used (each costs a
tenth of a second or more to import), so `import bot.app` leaves them out; and opening the
app reads no catalog, no gazetteer and compiles no time grammar nor the repetitions' word
patterns (each is read or compiled at its first use). Checked in a fresh interpreter, by
what it imported and loaded — not by timing (`python -m bench footprint` measures)."""

from __future__ import annotations

import subprocess
import sys

LAZY = (
    "PIL",  # maps and certificates
    "bot.geography.maps",
    "bot.learning.certificate",
    "icalendar",  # calendar files
    "bot.events.ics",
    "dateparser",  # the time parser's fallback
    "babel.messages.pofile",  # reading the catalogs, at their first use
    "nio",  # Matrix
    "discord",  # the Discord front end
)


def test_importing_the_core_leaves_the_heavy_libraries_for_their_first_use() -> None:
    probe = f"import sys, bot.app; print(' '.join(m for m in {LAZY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == []


def test_opening_the_app_reads_no_catalog_gazetteer_or_time_patterns() -> None:
    probe = (
        "import asyncio, sys; from bot.console.main import every_command; "
        "asyncio.run(every_command()); "
        "from bot.i18n import catalog; from bot.geography.places import Gazetteer; "
        "from bot.timelang.rules import grammar_of; "
        "from bot.timelang.repetition import _word_patterns; "
        "print(catalog.cache_info().currsize, Gazetteer.load()._pending is not None, "
        "grammar_of.cache_info().currsize, _word_patterns.cache_info().currsize)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "True", "0", "0"]


def test_the_warm_up_loads_what_the_time_parsers_first_fallback_would() -> None:
    probe = (
        "from bot.timelang.points import warm_up; warm_up(['Europe/Warsaw']); "
        "from dateparser.languages.loader import default_loader as d; "
        "from bot.timelang.rules import grammar_of; "
        "print(' '.join(sorted(d._loaded_languages)), grammar_of.cache_info().currsize)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["bg", "en", "nl", "pl", "4"]
