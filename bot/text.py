"""User text is inert (DESIGN.md rule 9): escaped markdown, no mass mentions, split to limits."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.errors import UserError

# Inline markers anywhere; headings, quotes and lists only where a line starts.
_MARKDOWN = re.compile(r"([\\*_~`|\[\]])")
_LINE_START = re.compile(r"^(\s*)([#>-])", re.MULTILINE)
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_USER_MENTION = re.compile(r"<(@[!&]?|#)(\d+)>")

# Letters NFKD does not take apart: they are letters of their own, not accented ones.
_FOLD = str.maketrans(
    {"ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "đ": "d"}
    | {"Đ": "D", "ı": "i", "œ": "oe", "Œ": "OE", "ĳ": "ij", "Ĳ": "IJ", "’": "'"}
)


class _CharFold(dict[int, str]):
    """str.translate table built on demand: each character's folded form, computed once.

    Folding a character: the special letters above, NFKD, drop the combining marks,
    casefold; anything that is not a letter or digit becomes a space."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code).translate(_FOLD))
        bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        folded = "".join(c if c.isalnum() else " " for c in bare)
        self[code] = folded
        return folded


_CHAR_FOLD = _CharFold()


def normalize(text: str) -> str:
    """The diacritics- and case-insensitive key: "Łódź" → "lodz", "'s-Hertogenbosch" →
    "s hertogenbosch". Punctuation becomes single spaces; Cyrillic stays Cyrillic."""
    return " ".join(text.translate(_CHAR_FOLD).split())


def inert(text: str) -> str:
    """Show user text as typed: no formatting, no pings, no channel links."""
    escaped = _LINE_START.sub(r"\1\\\2", _MARKDOWN.sub(r"\\\1", text))
    escaped = _MASS_MENTION.sub("@\u200b\\1", escaped)
    return _USER_MENTION.sub(lambda m: f"<{m[1]}\u200b{m[2]}>", escaped)


# The quotes a typed command's value may stand in (bot/console/parser.py reads them, for the
# console and Matrix): straight, and the Polish/German „…” and English “…”, each with its
# closing one. Inside them a backslash takes the next character as it is.
QUOTES = {'"': '"', "„": "”", "“": "”", "'": "'"}
# A value bare in a hint must be one word that `inert` leaves as it is: the console shows
# inert's escapes, and only inside quotes does the reader take them back out.
_BARE_VALUE = re.compile(r"[^\s\\*_~`|\[\]]+")


def command_value(value: str) -> str:
    """An option's value as a hint shows it (`/group join name:{…}`), so that the hint typed
    as read gives the value back: bare when it is one plain word, else in the first quotes
    whose closing one it does not hold (`„A&B "x" 'y'”`), backslashes doubled; a value
    holding every closing quote escapes its double quotes. (The console prints `inert`'s
    escapes, which the reader takes out inside quotes; only a value's own backslash, rare
    in a name, reads doubled there.)"""
    if _BARE_VALUE.fullmatch(value) and value[0] not in QUOTES:
        return value
    escaped = value.replace("\\", "\\\\")
    for opening in ('"', "'", "„"):
        if QUOTES[opening] not in value:
            return f"{opening}{escaped}{QUOTES[opening]}"
    return '"' + escaped.replace('"', '\\"') + '"'


def chunks(text: str, limit: int) -> list[str]:
    """Split at paragraph, then line, then word boundaries so each piece fits `limit`."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit))
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


# -- what people type: numbers, names and free text -----------------------------------------
#
# Every option a person types passes `clean_text` (the dispatcher does it for every text
# option); names and titles that others read and that are looked up by name pass
# `clean_name` too, in the service that stores them. Numbers are ASCII digits only.

_ASCII_INT = re.compile(r"[+-]?[0-9]+", re.ASCII)
_ASCII_ID = re.compile(r"#?\s*([0-9]+)", re.ASCII)
# Beyond this many digits a number is out of every range we have; int() of a very long
# string is slow (and refused past 4300 digits), so it is never computed.
_MAX_DIGITS = 18
HUGE = 10**_MAX_DIGITS

# Bidi embeddings, overrides and isolates reorder what follows them ("‮Jura" shows as
# "aruJ"): dropped from all text. The byte-order mark is noise wherever it lands.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
# Letters and marks that render as nothing though they are not format characters:
# Hangul fillers, the braille blank, the combining grapheme joiner, Khmer inherent vowels.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5")
_ZWJ = "\u200d"


def parse_int(text: str) -> int | None:
    """'42', '+3', '-1' → the number; anything but ASCII digits (a superscript '²', an
    Arabic-Indic '٣', a fullwidth '３', '1_000', '1e3') → None. A number too long for any
    range we have comes back as ±HUGE rather than being computed."""
    clean = text.strip()
    if not _ASCII_INT.fullmatch(clean):
        return None
    digits = clean.lstrip("+-")
    sign = -1 if clean.startswith("-") else 1
    return sign * HUGE if len(digits.lstrip("0")) > _MAX_DIGITS else int(clean)


def parse_ref(text: str) -> int | None:
    """A reference to something by number ('42' or '#42') → 42; a title → None.

    Text made of digits that are not ASCII ('²', '٣', '３') or a number longer than any id
    is neither: it is answered as "not a valid number" instead of being looked up."""
    clean = text.strip()
    match = _ASCII_ID.fullmatch(clean)
    if match and len(match[1].lstrip("0")) <= _MAX_DIGITS:
        return int(match[1])
    bare = clean.lstrip("#").strip()
    if match or (bare and all(unicodedata.category(c)[0] == "N" for c in bare)):
        raise UserError("error.bad_number", value=inert(bare[:40]))
    return None


def clean_text(text: str, *, option: str, multiline: bool = True) -> str:
    """Free text as it will be stored: NFC, line ends unified, bidi overrides dropped,
    trimmed. Control characters (NUL, escape …) and unpaired surrogates (bytes that were
    not UTF-8) are refused with a clear answer naming the option."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    kept: list[str] = []
    for char in text:
        if char in _BIDI_CONTROLS:
            continue
        category = unicodedata.category(char)
        if char in "\n\t":
            kept.append(char if multiline else " ")
        elif category == "Cc" or category == "Cs" or _noncharacter(char):
            raise UserError("error.control_character", name=option)
        else:
            kept.append(char)
    return "".join(kept).strip()


def is_text(text: str) -> bool:
    """Whether `text` can be stored and shown as it is: no control characters but line
    breaks and tabs, no unpaired surrogates (undecodable bytes), no noncharacters."""
    return not any(
        (unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t\r") or _noncharacter(c)
        for c in text
    )


def scrub(text: str) -> str:
    """Text nobody can be asked to fix (chat overheard for a transcript): `clean_text`'s
    result, with what it would refuse replaced by U+FFFD instead."""
    kept = (
        "\ufffd"
        if (unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t") or _noncharacter(c)
        else c
        for c in text.replace("\r\n", "\n").replace("\r", "\n")
        if c not in _BIDI_CONTROLS
    )
    return clean_text("".join(kept), option="")


def clean_name(text: str, *, option: str) -> str:
    """A name or title (a group, an event, a sheet, a poll option …): `clean_text` on one
    line, without invisible characters (soft hyphen, zero-width spaces and joiners, bidi
    marks, Hangul fillers), every run of spaces one space. Blank → a UserError."""
    line = clean_text(text, option=option, multiline=False)
    kept: list[str] = []
    for i, char in enumerate(line):
        category = unicodedata.category(char)
        if char == _ZWJ and _joins_emoji(line, i):
            kept.append(char)  # 👩‍💻 is one picture; a joiner inside a word is a disguise
        elif category == "Cf" or char in _BLANK_LOOKING:
            continue
        elif category[0] == "Z" or char.isspace():
            kept.append(" ")
        else:
            kept.append(char)
    name = " ".join("".join(kept).split())
    if not name:
        raise UserError("error.blank", name=option)
    return name


def _noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _joins_emoji(text: str, i: int) -> bool:
    def pictographic(j: int) -> bool:
        return 0 <= j < len(text) and unicodedata.category(text[j]) in ("So", "Sk")

    before = i - 1 if i > 0 and text[i - 1] != "\ufe0f" else i - 2
    return pictographic(before) and pictographic(i + 1)


# Letters of other scripts that look like Latin ones (a subset of Unicode's confusables,
# UTS #39, for the scripts of our communities: Cyrillic and Greek), per case, so that
# "Jurа" with a Cyrillic "а" is seen as "Jura". Only letters that look alike in the same
# case are mapped: Cyrillic "в" stays, "В" is "B". Last, "ł", which Unicode does not
# decompose, so that "Łazy" and "Lazy" compare as diacritics-free keys do elsewhere.
_LOOKALIKES = {
    "cyrillic": ("АВЕЅІЈКМНОРСТХУаеѕіјосрхуԁһԛԝӏЁё", "ABESIJKMHOPCTXYaesijocpxydhqwlËë"),
    "greek": ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιαρκνυχ", "ABEZHIKMNOPTYXoiapkvux"),
    "latin": ("ıɑɡŁł", "iagLl"),
}
_CONFUSABLE = str.maketrans(
    {a: b for source, target in _LOOKALIKES.values() for a, b in zip(source, target, strict=True)}
)


def skeleton(text: str) -> str:
    """The form two names share when they look alike: NFKC (fullwidth and mathematical
    letters become plain), invisible characters gone, lookalike letters of other scripts
    made Latin, then case, diacritics and punctuation folded as in group-name keys."""
    return normalize(_appearance(text))


def _appearance(text: str) -> str:
    """What a text looks like, punctuation kept: NFKC, without invisible characters,
    lookalike letters made Latin, case and diacritics folded, single spaces."""
    plain = unicodedata.normalize("NFKC", text)
    visible = "".join(
        c
        for c in plain
        if c not in _BIDI_CONTROLS
        and c not in _BLANK_LOOKING
        and unicodedata.category(c) not in ("Cf", "Cc")
    )
    bare = unicodedata.normalize("NFKD", visible.translate(_CONFUSABLE))
    return " ".join("".join(c for c in bare if not unicodedata.combining(c)).casefold().split())


def lookalike(name: str, taken: Iterable[str]) -> str | None:
    """The first of `taken` that looks like `name` (same skeleton), or None."""
    mine = skeleton(name)
    return next((other for other in taken if skeleton(other) == mine), None)


def clean_names(text: str, *, option: str, sep: str = ";") -> list[str]:
    """'kawa; herbata;; woda' → the cleaned names, empty pieces left out."""
    return [clean_name(p, option=option) for p in text.split(sep) if _visible(p)]


def looks_same(a: str, b: str) -> bool:
    """Whether two entries of one list (poll answers, slot topics) would be taken for one:
    equal up to case, diacritics, invisible characters and lookalike letters. Punctuation
    counts here: "C" and "C++", "+1" and "-1" are different answers."""
    return _appearance(a) == _appearance(b)


def first_repeated(names: Iterable[str]) -> str | None:
    """The first entry given again (as written the second time), or None."""
    seen: list[str] = []
    for name in names:
        if any(looks_same(name, earlier) for earlier in seen):
            return name
        seen.append(name)
    return None


def is_blank(text: str) -> bool:
    """Whether nothing of `text` would show: only spaces and invisible characters."""
    return not _visible(text)


def _visible(text: str) -> bool:
    return any(
        not c.isspace() and unicodedata.category(c) != "Cf" and c not in _BLANK_LOOKING
        for c in text
    )
