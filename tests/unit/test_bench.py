"""Every benchmark still imports: `make bench` is not run in CI, so a benchmark broken by a
change elsewhere would otherwise go unnoticed until someone measures."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from bench.__main__ import available


@pytest.mark.parametrize("name", available())
def test_the_benchmark_imports_and_has_a_run(name: str) -> None:
    module = importlib.import_module(f"bench.{name}")
    assert callable(getattr(module, "run", None)), f"bench/{name}.py has no run()"


def test_duckling_corpora_become_rows_of_the_main_corpus_only(tmp_path: Path) -> None:
    from bench import _duckling

    corpus = """latentCorpus :: Corpus
latentCorpus = (testContext, testOptions {withLatent = True}, xs)
  where
    xs = concat
      [ examples (datetime (2013, 2, 12, 7, 0, 0) Hour)
                 [ "7" ]
      ]

allExamples :: [Example]
allExamples = concat
  [ examples (datetime (2013, 2, 12, 4, 30, 0) Second)
             [ "now" ]
  , examples (datetime (2013, 2, 13, 0, 0, 0) Day)
             [ "tomorrow"
             , "tmrw"
             ]
  , examples (datetime (2013, 2, 11, 0, 0, 0) Day)
             [ "yesterday" ]
  , examples (datetime (2013, 2, 12, 4, 30, 1) Second)
             [ "in 1\\"" ]
  , examples (datetimeInterval ((2013, 2, 12, 4, 0, 0), (2013, 2, 12, 5, 0, 0)) Hour)
             [ "4-5am" ]
  , examples (datetime (2013, 3, 1, 0, 0, 0) Month)
             [ "march" ]
  ]
"""
    for lang in _duckling.LANGUAGES:
        folder = tmp_path / "Duckling" / "Time" / lang.upper()
        folder.mkdir(parents=True)
        (folder / "Corpus.hs").write_text(corpus if lang == "en" else "x\nallExamples :: x\n")
    rows = [example.row() for example in _duckling.examples(tmp_path)]
    # Not the latent "7", not "now" (not after the reference), not the past, the
    # interval or the month; a quote kept.
    assert [(r["text"], r["grain"]) for r in rows] == [
        ("tomorrow", "day"),
        ("tmrw", "day"),
        ('in 1"', "minute"),
    ]
    assert rows[0]["now"] == "2013-02-12T04:30:00-02:00" and rows[0]["tz"] == "America/Noronha"
    assert rows[0]["expected"] == "2013-02-13T00:00:00-02:00"
