"""Per-language word tables for `bot.timelang.points` (pl, en, nl, bg).

Everything language-specific lives here as data; `bot.timelang.rules` turns it into
regexes. Words are written as people spell them (with diacritics and apostrophes);
for the Latin-script languages the rules fold diacritics away from both the tables
and the input, so "za pol godziny" and "za pół godziny" read alike. Lists of
inflected forms are deliberately redundant: matching is exact, never by stem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

V = TypeVar("V")

# Part-of-day keys and the hour each one stands for (the bot's conventions).
PART_HOURS: dict[str, int] = {
    "morning": 9,
    "noon": 12,
    "afternoon": 15,
    "evening": 19,
    "night": 22,
    "midnight": 0,  # the end of the day named: "jutro o północy" = 00:00 the day after
}

# Duration units, normalised to (unit, factor): seconds are elapsed time, days and
# months are calendar time that keeps the wall clock.
_SECOND = ("second", 1.0)
_MINUTE = ("second", 60.0)
_QUARTER = ("second", 900.0)
_HALF_HOUR = ("second", 1800.0)
_HOUR = ("second", 3600.0)
_DAY = ("day", 1.0)
_WEEK = ("day", 7.0)
_MONTH = ("month", 1.0)
_YEAR = ("month", 12.0)


def _forms(value: V, *words: str) -> dict[str, V]:
    return dict.fromkeys(words, value)


# Bulgarian minutes after and before an hour, in digits and words: "в 3 и 20", "девет без
# петнайсет" (08:45), "в 9 без 10".
_BG_MINUTE_WORDS = {
    5: ("5", "пет"),
    10: ("10", "десет"),
    15: ("15", "петнайсет", "петнадесет"),
    20: ("20", "двайсет", "двадесет"),
    25: ("25", "двайсет и пет", "двадесет и пет"),
}
_BG_CLOCK_MINUTES = tuple(
    entry
    for minutes, words in _BG_MINUTE_WORDS.items()
    for word in words
    for entry in ((f"и {word}", 0, minutes), (f"без {word}", -1, 60 - minutes))
)


def _ordinals(
    units: dict[int, tuple[str, ...]], tens: dict[int, tuple[str, ...]], joins: tuple[str, ...]
) -> dict[str, int]:
    """Days 1-31 as ordinal words: `units` gives the forms of 1-20 and 30; 21-29 and 31
    are a ten's form from `tens`, a joiner and a unit's form in the same position (the
    same case: "dwudziestego pierwszego"; "twenty-first", "двадесет и първи")."""
    table = {form: n for n, forms in units.items() for form in forms}
    for ten, ten_forms in tens.items():
        for unit in range(1, 10 if ten == 20 else 2):
            for ten_form, unit_form in zip(ten_forms, units[unit], strict=True):
                table.update({f"{ten_form}{join}{unit_form}": ten + unit for join in joins})
    return table


def _minutes_around(
    minutes: dict[int, tuple[str, ...]], after: tuple[str, ...], before: tuple[str, ...]
) -> tuple[tuple[str, int, int], ...]:
    """Clock phrases "<n> past/after <hour>" and "<n> to/before <hour>" for each amount
    of minutes and its spellings ("20 po", "dwadzieścia po", "twenty to")."""
    phrases = []
    for n, spellings in minutes.items():
        for spelled in spellings:
            phrases += [(f"{spelled} {word}", 0, n) for word in after]
            phrases += [(f"{spelled} {word}", -1, 60 - n) for word in before]
    return tuple(phrases)


_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty"}


# Zone abbreviations that name a single offset (minutes east of UTC). Not IST (India,
# Ireland, Israel), CST (US Central, China, Cuba), AST, BST, MST, CDT: each names several.
_ZONES_EUROPE = {"utc": 0, "gmt": 0, "cet": 60, "cest": 120}
_ZONES_EAST = {"eet": 120, "eest": 180}
_ZONES_AMERICA = {"pst": -480, "pdt": -420, "mdt": -360, "est": -300, "edt": -240}


def _english_numbers(low: int, high: int) -> dict[str, int]:
    """English number words from `low` to `high` (at most 59), with a space or a hyphen
    between tens and units: "twenty-one", "fifty nine"."""
    table = {}
    for n in range(low, high + 1):
        if n < 20:
            table[_EN_UNITS[n]] = n
            continue
        tens, unit = _EN_TENS[n - n % 10], n % 10
        if unit == 0:
            table[tens] = n
        else:
            table.update({f"{tens}{join}{_EN_UNITS[unit]}": n for join in (" ", "-")})
    return table


@dataclass(frozen=True)
class Words:
    """The vocabulary of one language. Multi-word phrases are fine everywhere."""

    months: dict[str, int]
    weekdays: dict[str, int]
    # "next <weekday>": that weekday in the next calendar week.
    next_weekday: tuple[str, ...]
    # "this <weekday>": the nearest future one, same as a bare weekday.
    this_weekday: tuple[str, ...]
    # "next week" (alone: +7 days; with a weekday: that day of next week).
    next_week: tuple[str, ...]
    # "this week" with a weekday: that day of this Monday-based week, even if passed.
    this_week: tuple[str, ...]
    # "<weekday> after next": the one after the nearest coming one.
    after_next: tuple[str, ...]
    # "<weekday> a week from now" ("wtorek za tydzień"): the nearest one (today
    # included) and a week.
    week_later: tuple[str, ...]
    # Prepositions allowed right before a weekday ("w piątek", "on Friday").
    weekday_preps: tuple[str, ...]
    # Word -> (day offset from today, part of day or None).
    relative_days: dict[str, tuple[int, str | None]]
    parts_of_day: dict[str, str]
    duration_prefixes: tuple[str, ...]
    duration_suffixes: tuple[str, ...]
    numbers: dict[str, float]
    units: dict[str, tuple[str, float]]
    # "and a half" after an amount or a unit ("2 i pół godziny", "час и половина").
    half: tuple[str, ...]
    # Words joining duration parts ("1 hour and 30 minutes").
    joiners: tuple[str, ...]
    # Words that introduce a clock time ("o 18", "om 10", "в 9", "at 9").
    time_preps: tuple[str, ...]
    # "about" between a duration's word and its length ("za około pół godziny"): the
    # length is taken as said.
    about: tuple[str, ...]
    # Words after an hour that make it a clock time ("10 uur", "9 часа").
    hour_suffixes: tuple[str, ...]
    # Clock phrases around an hour: (phrase, hour delta, minute).
    clock_prefixes: tuple[tuple[str, int, int], ...]
    clock_suffixes: tuple[tuple[str, int, int], ...]
    # Hours said as words ("o ósmej", "half drie", "at nine").
    hour_words: dict[str, int]
    # Parts of the day glued to a weekday ("vrijdagmiddag").
    weekday_part_suffixes: dict[str, str]
    # Suffixes of ordinal day numbers ("12th", "1-ви") and of hours ("18-tej").
    day_ordinals: tuple[str, ...]
    # Days of the month as ordinal words, before or after a month ("pierwszego marca").
    day_words: dict[str, int]
    # "the first/last <weekday> of <month>": the ordinal words (-1 is the last), the words
    # between the weekday and the month, and "of the month" (this one, or the next).
    nth: dict[str, int]
    nth_of: tuple[str, ...]
    of_month: tuple[str, ...]
    # "the third/last day of <month>": the word for a day.
    day_word: tuple[str, ...]
    hour_ordinals: tuple[str, ...]
    holidays: dict[str, str]
    # Leftover words that carry no meaning once the rules have matched the rest.
    fillers: frozenset[str]
    month_first: bool = False  # English also accepts "March 12" and "04/15"
    month_then_day: bool = False  # the month may come before its day in words ("marzec 3ci")
    fold: bool = True  # fold diacritics (Latin script only)
    # Clocks are written 12-hour: "at 3:30" is the afternoon, as "at 3" is ("3:30am" for
    # the night). Polish, Dutch and Bulgarian write 24-hour clocks: "3:30" is 03:30.
    twelve_hour_clock: bool = False
    # Words that make a phrase a bound, not a moment ("do 10", "by 5"): such a phrase is
    # this language's even when it is refused, so other languages do not read it (the
    # Dutch "do 10" is Thursday at 10).
    bounds: tuple[str, ...] = ()
    # Words between a date or holiday and its year ("Diwali in 2019").
    year_preps: tuple[str, ...] = ()
    # Years said as words ("two thousand nineteen").
    year_words: dict[str, int] = field(default_factory=dict)
    # "next year", "this year": the year after this one, or this one.
    year_offsets: dict[str, int] = field(default_factory=dict)
    # Hours named by a word that says which half of the day: "a quarter past noon".
    fixed_hours: dict[str, int] = field(default_factory=dict)
    # Minutes said after an hour word: "ten thirty", "twelve oh three".
    spoken_minutes: dict[str, int] = field(default_factory=dict)
    # Zone abbreviations after a time ("8h GMT") and their offsets in minutes east of
    # UTC; only those that name one offset (not IST, CST, AST, BST, ...).
    zones: dict[str, int] = field(default_factory=dict)
    # "3 fridays from now": the words after the plural weekday.
    weekdays_ahead: tuple[str, ...] = ()
    # "3 days after Easter", "2 dni przed Wigilią": a number of days or weeks after (1)
    # or before (-1) a date or a holiday.
    shifts: dict[str, int] = field(default_factory=dict)


PL = Words(
    months={
        **_forms(1, "styczeń", "stycznia", "styczniu", "sty"),
        **_forms(2, "luty", "lutego", "lutym", "lut"),
        **_forms(3, "marzec", "marca", "marcu", "mar"),
        **_forms(4, "kwiecień", "kwietnia", "kwietniu", "kwi"),
        **_forms(5, "maj", "maja", "maju"),
        **_forms(6, "czerwiec", "czerwca", "czerwcu", "cze"),
        **_forms(7, "lipiec", "lipca", "lipcu", "lip"),
        **_forms(8, "sierpień", "sierpnia", "sierpniu", "sie", "sier", "sierp"),
        **_forms(9, "wrzesień", "września", "wrześniu", "wrz"),
        **_forms(10, "październik", "października", "październiku", "paź"),
        **_forms(11, "listopad", "listopada", "listopadzie", "lis"),
        **_forms(12, "grudzień", "grudnia", "grudniu", "gru"),
    },
    weekdays={
        **_forms(0, "poniedziałek", "poniedziałku", "pon"),
        **_forms(1, "wtorek", "wtorku", "wt", "wtr"),
        **_forms(2, "środa", "środę", "środy", "śr"),
        **_forms(3, "czwartek", "czwartku", "czw"),
        **_forms(4, "piątek", "piątku", "pt", "pią"),
        **_forms(5, "sobota", "sobotę", "soboty", "sob"),
        **_forms(6, "niedziela", "niedzielę", "niedzieli", "ndz", "niedz"),
        "weekend": 5,  # a weekend is its Saturday
    },
    next_weekday=(
        "przyszły",
        "przyszłą",
        "przyszłego",
        "następny",
        "następną",
        "następnego",
        "kolejny",
        "kolejną",
        "kolejnego",
    ),
    this_weekday=("ten", "tę", "tą", "ta", "najbliższy", "najbliższą", "najbliższa"),
    next_week=(
        "w przyszłym tygodniu",
        "w następnym tygodniu",
        "przyszły tydzień",
        "następnego tygodnia",
        "przyszłego tygodnia",
    ),
    this_week=("w tym tygodniu", "tego tygodnia", "ten tydzień"),
    after_next=("po następnym", "po najbliższym"),
    week_later=("za tydzień",),
    weekday_preps=("w", "we", "na"),
    relative_days={
        "dziś": (0, None),
        "dzisiaj": (0, None),
        "jutro": (1, None),
        "pojutrze": (2, None),
        "popojutrze": (3, None),
        "wczoraj": (-1, None),
        "przedwczoraj": (-2, None),
        "tej nocy": (0, "night"),
        "dziś w nocy": (0, "night"),
        "dzisiaj w nocy": (0, "night"),
        "po jutrze": (2, None),
        "tego wieczora": (0, "evening"),
        "dzień po jutrze": (2, None),
    },
    parts_of_day={
        **_forms("morning", "rano", "rankiem", "z rana", "z samego rana", "przed południem"),
        **_forms("noon", "w południe", "południe", "w samo południe", "w porze obiadu"),
        **_forms("afternoon", "po południu", "popołudniu", "popołudnie"),
        **_forms("evening", "wieczorem", "wieczór", "w wieczór"),
        **_forms("night", "w nocy", "nocą", "w noc"),
        **_forms("midnight", "o północy", "północ", "w północ"),
    },
    duration_prefixes=("za", "w", "w ciągu", "w przeciągu"),
    duration_suffixes=("od teraz", "od dziś", "od dzisiaj", "później", "potem"),
    numbers={
        **_forms(1.0, "jeden", "jedną", "jedna", "jednego"),
        **_forms(2.0, "dwa", "dwie", "dwóch"),
        **_forms(3.0, "trzy", "trzech"),
        **_forms(4.0, "cztery", "czterech"),
        **_forms(5.0, "pięć", "pięciu"),
        "sześć": 6.0,
        "siedem": 7.0,
        "osiem": 8.0,
        "dziewięć": 9.0,
        "dziesięć": 10.0,
        "piętnaście": 15.0,
        "dwadzieścia": 20.0,
        "trzydzieści": 30.0,
        "czterdzieści": 40.0,
        "czterdzieści pięć": 45.0,
        "pół": 0.5,
        "półtorej": 1.5,
        "półtora": 1.5,
    },
    units={
        **_forms(_SECOND, "sekunda", "sekundę", "sekundy", "sekund", "sek"),
        **_forms(_MINUTE, "minuta", "minutę", "minuty", "minut", "min"),
        **_forms(_QUARTER, "kwadrans", "kwadranse", "kwadransów"),
        **_forms(_HOUR, "godzina", "godzinę", "godziny", "godzin", "godz", "h"),
        **_forms(_DAY, "dzień", "dni", "dnia", "doba", "dobę", "doby", "dób"),
        **_forms(_WEEK, "tydzień", "tygodnie", "tygodni", "tygodnia"),
        **_forms(_MONTH, "miesiąc", "miesiące", "miesięcy", "miesiąca"),
        **_forms(_YEAR, "rok", "lata", "lat", "roku"),
    },
    half=("i pół",),
    joiners=("i", "oraz"),
    time_preps=(
        "o",
        "godz",
        "godz.",
        "godzinie",
        "około",
        "ok",
        "ok.",
        "koło",
        "równo",
        "mniej więcej",
        "tak",
    ),
    about=("około", "ok.", "jakieś", "mniej więcej", "jeszcze"),
    hour_suffixes=("h", "godzina"),
    clock_prefixes=(
        ("wpół do", -1, 30),
        ("w pół do", -1, 30),
        ("pół do", -1, 30),
        ("pół po", 0, 30),
        *_minutes_around(
            {
                5: ("5", "pięć"),
                10: ("10", "dziesięć"),
                15: ("15", "piętnaście", "kwadrans"),
                20: ("20", "dwadzieścia"),
                25: ("25", "dwadzieścia pięć"),
            },
            after=("po",),
            before=("do", "przed"),
        ),
    ),
    clock_suffixes=(),
    hour_words={
        "pierwszej": 1,
        "drugiej": 2,
        "trzeciej": 3,
        "czwartej": 4,
        "piątej": 5,
        "szóstej": 6,
        "siódmej": 7,
        "ósmej": 8,
        "dziewiątej": 9,
        "dziesiątej": 10,
        "jedenastej": 11,
        "dwunastej": 12,
        "trzynastej": 13,
        "czternastej": 14,
        "piętnastej": 15,
        "szesnastej": 16,
        "siedemnastej": 17,
        "osiemnastej": 18,
        "dziewiętnastej": 19,
        "dwudziestej": 20,
        "dwudziestej pierwszej": 21,
        "dwudziestej drugiej": 22,
        "dwudziestej trzeciej": 23,
        **_forms(21, "dwudziestejpierwszej", "dwudziestapierwsza"),
        **_forms(22, "dwudziestejdrugiej", "dwudziestadruga"),
        **_forms(23, "dwudziestejtrzeciej", "dwudziestatrzecia"),
        # Noon, only as an hour in clock phrases ("kwadrans do południa" = 11:45).
        "południa": 12,
        # The nominative, as in "ósma wieczorem", "piętnasta godzina".
        **{
            word: n
            for n, word in enumerate(
                (
                    "pierwsza",
                    "druga",
                    "trzecia",
                    "czwarta",
                    "piąta",
                    "szósta",
                    "siódma",
                    "ósma",
                    "dziewiąta",
                    "dziesiąta",
                    "jedenasta",
                    "dwunasta",
                    "trzynasta",
                    "czternasta",
                    "piętnasta",
                    "szesnasta",
                    "siedemnasta",
                    "osiemnasta",
                    "dziewiętnasta",
                    "dwudziesta",
                    "dwudziesta pierwsza",
                    "dwudziesta druga",
                    "dwudziesta trzecia",
                ),
                1,
            )
        },
    },
    weekday_part_suffixes={},
    day_ordinals=(
        "-go",
        "go",
        "-tego",
        "tego",
        "-ego",
        "szy",
        "-szy",
        "ci",
        "-ci",
        "gi",
        "-gi",
        "ty",
        "-ty",
        "my",
        "-my",
    ),
    day_words=_ordinals(
        {
            1: ("pierwszy", "pierwszego"),
            2: ("drugi", "drugiego"),
            3: ("trzeci", "trzeciego"),
            4: ("czwarty", "czwartego"),
            5: ("piąty", "piątego"),
            6: ("szósty", "szóstego"),
            7: ("siódmy", "siódmego"),
            8: ("ósmy", "ósmego"),
            9: ("dziewiąty", "dziewiątego"),
            10: ("dziesiąty", "dziesiątego"),
            11: ("jedenasty", "jedenastego"),
            12: ("dwunasty", "dwunastego"),
            13: ("trzynasty", "trzynastego"),
            14: ("czternasty", "czternastego"),
            15: ("piętnasty", "piętnastego"),
            16: ("szesnasty", "szesnastego"),
            17: ("siedemnasty", "siedemnastego"),
            18: ("osiemnasty", "osiemnastego"),
            19: ("dziewiętnasty", "dziewiętnastego"),
            20: ("dwudziesty", "dwudziestego"),
            30: ("trzydziesty", "trzydziestego"),
        },
        {20: ("dwudziesty", "dwudziestego"), 30: ("trzydziesty", "trzydziestego")},
        (" ",),
    ),
    hour_ordinals=("-tej", "-ej", "tej", "-stej", "stej", "-sta", "sta"),
    nth={
        **_forms(1, "pierwszy", "pierwsza", "pierwszą"),
        **_forms(2, "drugi", "druga", "drugą"),
        **_forms(3, "trzeci", "trzecia", "trzecią"),
        **_forms(4, "czwarty", "czwarta", "czwartą"),
        **_forms(5, "piąty", "piąta", "piątą"),
        **_forms(-1, "ostatni", "ostatnia", "ostatnią"),
    },
    nth_of=("w", "we"),
    of_month=("miesiąca", "w miesiącu", "tego miesiąca", "w tym miesiącu"),
    day_word=("dzień", "dnia"),
    holidays={
        **_forms("christmas_eve", "wigilia", "wigilię", "wigilii", "wigilia bożego narodzenia"),
        **_forms("new_years_eve", "sylwester", "sylwestra"),
        **_forms(
            "christmas",
            "boże narodzenie",
            "bożego narodzenia",
            "pierwszy dzień świąt",
            "pierwszy dzień świąt bożego narodzenia",
        ),
        **_forms("boxing_day", "drugi dzień świąt", "drugi dzień świąt bożego narodzenia"),
        **_forms("new_year", "nowy rok", "nowego roku"),
        **_forms("epiphany", "trzech króli", "święto trzech króli"),
        **_forms("fat_thursday", "tłusty czwartek"),
        **_forms(
            "easter",
            "wielkanoc",
            "wielkanocy",
            "niedziela wielkanocna",
            "niedzielę wielkanocną",
        ),
        **_forms(
            "easter_monday",
            "poniedziałek wielkanocny",
            "lany poniedziałek",
            "śmigus-dyngus",
            "śmigus dyngus",
        ),
        **_forms("good_friday", "wielki piątek"),
        **_forms("pentecost", "zielone świątki"),
        **_forms("corpus_christi", "boże ciało"),
        **_forms("labour_day", "święto pracy"),
        **_forms("constitution_day_pl", "święto konstytucji 3 maja", "święto konstytucji"),
        **_forms("assumption", "wniebowzięcie", "wniebowzięcie nmp"),
        **_forms("all_saints", "wszystkich świętych", "dzień wszystkich świętych"),
        **_forms("independence_day_pl", "święto niepodległości", "dzień niepodległości"),
        **_forms("valentines_day", "walentynki"),
        **_forms("christmas", "święta bożego narodzenia"),
        **_forms("assumption", "święto wojska polskiego", "wniebowzięcie najświętszej maryi panny"),
        **_forms("all_saints", "święto wszystkich świętych"),
        **_forms("constitution_day_pl", "święto konstytucji trzeciego maja"),
        **_forms("womens_day", "dzień kobiet"),
        **_forms("mothers_day_pl", "dzień matki", "dzień mamy"),
        **_forms("fathers_day_pl", "dzień ojca", "dzień taty"),
        **_forms("childrens_day", "dzień dziecka"),
        **_forms("librarians_day_pl", "dzień bibliotekarza", "dzień bibliotekarza i bibliotek"),
        **_forms("ash_wednesday", "popielec", "środa popielcowa", "środę popielcową"),
        **_forms("palm_sunday", "niedziela palmowa", "niedzielę palmową"),
        **_forms("holy_saturday", "wielka sobota", "wielką sobotę"),
        **_forms("pentecost", "zesłanie ducha świętego"),
        **_forms("st_nicholas", "mikołajki"),
        **_forms("halloween", "halloween"),
        **_forms("black_friday", "black friday"),
        **_forms("grandmothers_day", "dzień babci"),
        **_forms("grandfathers_day_pl", "dzień dziadka"),
        **_forms("andrzejki", "andrzejki"),
    },
    fillers=frozenset(
        {"o", "w", "we", "na", "około", "ok", "ok.", "godz", "godz.", "godzinie", "dnia"}
        | {"r", "r.", "roku", "koło", "równo", "-", "—", "~"}
    ),
    month_then_day=True,
    bounds=("do", "przed", "po", "od", "najpóźniej", "nie później niż"),
    shifts={"po": 1, "przed": -1},
    zones={**_ZONES_EUROPE, **_ZONES_EAST},
)

EN = Words(
    months={
        **_forms(1, "january", "jan"),
        **_forms(2, "february", "feb"),
        **_forms(3, "march", "mar"),
        **_forms(4, "april", "apr"),
        **_forms(5, "may"),
        **_forms(6, "june", "jun"),
        **_forms(7, "july", "jul"),
        **_forms(8, "august", "aug"),
        **_forms(9, "september", "sep", "sept"),
        **_forms(10, "october", "oct"),
        **_forms(11, "november", "nov"),
        **_forms(12, "december", "dec"),
    },
    weekdays={
        **_forms(0, "monday", "mon"),
        **_forms(1, "tuesday", "tue", "tues"),
        **_forms(2, "wednesday", "wed"),
        **_forms(3, "thursday", "thu", "thur", "thurs"),
        **_forms(4, "friday", "fri"),
        **_forms(5, "saturday", "sat"),
        **_forms(6, "sunday", "sun"),
        "weekend": 5,  # a weekend is its Saturday
    },
    next_weekday=("next",),
    this_weekday=("this", "this coming", "coming"),
    next_week=("next week", "of next week"),
    this_week=("this week", "of this week"),
    after_next=("after next",),
    week_later=("week",),
    weekday_preps=("on",),
    relative_days={
        "today": (0, None),
        "tonight": (0, "evening"),
        "this morning": (0, "morning"),
        "this afternoon": (0, "afternoon"),
        "this evening": (0, "evening"),
        "tomorrow": (1, None),
        "tmrw": (1, None),
        "the day after tomorrow": (2, None),
        "day after tomorrow": (2, None),
        "yesterday": (-1, None),
        "the day before yesterday": (-2, None),
        "last night": (-1, "night"),
    },
    parts_of_day={
        **_forms("morning", "morning", "in the morning"),
        **_forms("noon", "noon", "at noon", "midday", "at midday", "lunchtime", "at lunchtime"),
        **_forms("noon", "mid day", "mid-day"),
        **_forms("afternoon", "afternoon", "in the afternoon"),
        **_forms("evening", "evening", "in the evening"),
        **_forms("night", "night", "at night", "in the night"),
        **_forms("midnight", "midnight", "at midnight"),
    },
    duration_prefixes=("in",),
    duration_suffixes=("from now", "from right now", "hence", "later", "from today"),
    numbers={
        **_forms(1.0, "a", "an", "one"),
        "two": 2.0,
        "three": 3.0,
        "four": 4.0,
        "five": 5.0,
        "six": 6.0,
        "seven": 7.0,
        "eight": 8.0,
        "nine": 9.0,
        "ten": 10.0,
        "eleven": 11.0,
        "twelve": 12.0,
        "fifteen": 15.0,
        "twenty": 20.0,
        "thirty": 30.0,
        "forty": 40.0,
        "forty-five": 45.0,
        "forty five": 45.0,
        **_forms(2.0, "a couple of", "couple of", "a couple", "a pair of"),
        **_forms(0.5, "half an", "half a"),
    },
    units={
        **_forms(_SECOND, "second", "seconds", "sec", "secs"),
        **_forms(_MINUTE, "minute", "minutes", "min", "mins"),
        **_forms(_QUARTER, "quarter of an hour", "quarter hour", "quarter-hour"),
        **_forms(_HOUR, "hour", "hours", "hr", "hrs", "h"),
        **_forms(("second", 2700.0), "three-quarters of an hour", "three quarters of an hour"),
        **_forms(_MINUTE, "'"),  # in 15'
        **_forms(_SECOND, '"'),  # in 30"
        **_forms(_DAY, "day", "days"),
        **_forms(_WEEK, "week", "weeks"),
        **_forms(("day", 14.0), "fortnight"),
        **_forms(_MONTH, "month", "months"),
        **_forms(_YEAR, "year", "years", "yr", "yrs"),
    },
    half=("and a half", "and an half"),
    joiners=("and",),
    time_preps=("at", "@", "around", "at around", "at about", "about", "approximately"),
    about=("about", "around", "approximately", "roughly"),
    hour_suffixes=("o'clock", "oclock", "h"),
    clock_prefixes=(
        ("half past", 0, 30),
        ("half", 0, 30),  # British "half three" = 3:30
        *_minutes_around(
            {
                5: ("5", "five", "5 minutes", "five minutes"),
                10: ("10", "ten", "10 minutes", "ten minutes"),
                15: ("15", "fifteen", "15 minutes", "fifteen minutes", "quarter", "a quarter"),
                20: ("20", "twenty", "20 minutes", "twenty minutes"),
                25: ("25", "twenty-five", "twenty five", "25 minutes"),
                30: ("30 minutes", "thirty minutes"),
            },
            after=("past", "after"),
            before=("to", "before"),
        ),
    ),
    clock_suffixes=(),
    hour_words={
        "one": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
        "eleven": 11,
        "twelve": 12,
    },
    weekday_part_suffixes={},
    day_ordinals=("st", "nd", "rd", "th"),
    day_words=_ordinals(
        {
            1: ("first",),
            2: ("second",),
            3: ("third",),
            4: ("fourth",),
            5: ("fifth",),
            6: ("sixth",),
            7: ("seventh",),
            8: ("eighth",),
            9: ("ninth",),
            10: ("tenth",),
            11: ("eleventh",),
            12: ("twelfth",),
            13: ("thirteenth",),
            14: ("fourteenth",),
            15: ("fifteenth",),
            16: ("sixteenth",),
            17: ("seventeenth",),
            18: ("eighteenth",),
            19: ("nineteenth",),
            20: ("twentieth",),
            30: ("thirtieth",),
        },
        {20: ("twenty",), 30: ("thirty",)},
        ("-", " "),
    ),
    hour_ordinals=(),
    nth={
        **_forms(1, "first", "1st"),
        **_forms(2, "second", "2nd"),
        **_forms(3, "third", "3rd"),
        **_forms(4, "fourth", "4th"),
        **_forms(5, "fifth", "5th"),
        "last": -1,
    },
    nth_of=("of", "in"),
    of_month=("of the month", "of this month", "this month", "of the current month"),
    day_word=("day",),
    holidays={
        **_forms("christmas", "christmas", "christmas day", "xmas"),
        **_forms("christmas_eve", "christmas eve", "xmas eve"),
        **_forms("boxing_day", "boxing day"),
        **_forms("new_year", "new year's day", "new years day", "new year", "new year's"),
        **_forms("new_years_eve", "new year's eve", "new years eve"),
        **_forms("easter", "easter", "easter sunday"),
        **_forms("easter_monday", "easter monday"),
        **_forms("good_friday", "good friday"),
        **_forms("fat_thursday", "fat thursday"),
        **_forms(
            "valentines_day", "valentine's day", "valentines day", "valentine's", "valentine day"
        ),
        **_forms("halloween", "halloween"),
        **_forms("ash_wednesday", "ash wednesday"),
        **_forms("palm_sunday", "palm sunday"),
        **_forms("holy_saturday", "holy saturday"),
        **_forms("womens_day", "women's day", "international women's day"),
        **_forms("kings_day", "king's day", "kings day"),
        **_forms("ascension", "ascension day"),
        **_forms("pentecost", "pentecost", "whitsun", "whit sunday"),
        **_forms("whit_monday", "whit monday"),
        **_forms("corpus_christi", "corpus christi"),
        **_forms("all_saints", "all saints' day", "all saints day"),
        **_forms("epiphany", "epiphany"),
        **_forms("orthodox_easter", "orthodox easter"),
        **_forms("orthodox_good_friday", "orthodox good friday", "orthodox great friday"),
        **_forms("easter_monday", "easter mon"),
        **_forms("maundy_thursday", "maundy thursday", "holy thursday"),
        **_forms("shrove_tuesday", "shrove tuesday", "pancake day", "mardi gras"),
        **_forms("trinity_sunday", "trinity sunday"),
        **_forms("kings_day", "koningsdag"),
        **_forms("ascension", "ascension thursday", "ascension"),
        **_forms("pentecost", "white sunday", "whitsunday"),
        **_forms("whit_monday", "pentecost monday", "monday of the holy spirit", "whitmonday"),
        **_forms("palm_sunday", "branch sunday", "yew sunday"),
        **_forms(
            "maundy_thursday",
            "covenant thursday",
            "covenant thu",
            "sheer thursday",
            "thursday of mysteries",
            "thu of mysteries",
        ),
        **_forms("easter", "easter sun"),
        **_forms(
            "clean_monday",
            "clean monday",
            "orthodox clean monday",
            "orthodox shrove monday",
            "pure monday",
            "green monday",
            "monday of lent",
        ),
        **_forms("lazarus_saturday", "lazarus saturday"),
        **_forms("orthodox_palm_sunday", "orthodox palm sunday", "orthodox branch sunday"),
        **_forms("orthodox_easter_monday", "orthodox easter monday"),
        **_forms("new_year", "new year's day", "new years day"),
        **_forms("halloween", "halloween day", "hallowe'en"),
        **_forms("thanksgiving", "thanksgiving", "thanksgiving day", "thanks giving"),
        **_forms("black_friday", "black friday"),
        **_forms(
            "mlk_day",
            "mlk day",
            "martin luther king day",
            "martin luther king's day",
            "martin luther kings day",
            "martin luther king jr day",
            "martin luther king jr. day",
        ),
        **_forms("presidents_day", "presidents' day", "presidents day", "president's day"),
        **_forms("memorial_day", "memorial day"),
        **_forms("labor_day", "labor day"),
        **_forms("columbus_day", "columbus day"),
        # Not "independence day" or "mother's day" alone: Poland's, Bulgaria's and the
        # Netherlands' fall on other days, and a reader here may mean theirs.
        **_forms(
            "independence_day_us",
            "fourth of july",
            "the fourth of july",
            "us independence day",
            "american independence day",
        ),
        **_forms("veterans_day", "veterans day", "veterans' day", "veteran's day"),
        **_forms(
            "st_patricks_day",
            "st patrick's day",
            "st. patrick's day",
            "saint patrick's day",
            "st patricks day",
            "saint patricks day",
            "st paddy's day",
            "saint paddy's day",
            "st. paddy's day",
        ),
        **_forms("april_fools", "april fools", "april fools' day", "april fool's day"),
        **_forms("earth_day", "earth day"),
        **_forms("groundhog_day", "groundhog day"),
        **_forms("world_vegan_day", "world vegan day"),
        **_forms("bosses_day", "boss's day", "bosses day", "boss day", "bosses' day", "boss's"),
        # Days from the table (bot.timelang.holidays.TABLE_HOLIDAYS), as Duckling names them.
        **_forms(
            "chinese_new_year",
            "chinese new year",
            "chinese new year's day",
            "chinese lunar new year",
            "chinese lunar new year's day",
            "lunar new year",
        ),
        **_forms("yom_kippur", "yom kippur"),
        **_forms("shemini_atzeret", "shemini atzeret"),
        **_forms("simchat_torah", "simchat torah", "simhat torah"),
        **_forms("tisha_bav", "tisha b'av"),
        **_forms("yom_haatzmaut", "yom haatzmaut", "yom ha'atzmaut"),
        **_forms("lag_baomer", "lag b'omer", "lag baomer"),
        **_forms("yom_hashoah", "yom hashoah", "holocaust day", "holocaust remembrance day"),
        **_forms("tu_bishvat", "tu bishvat", "tu b'shvat"),
        **_forms("purim", "purim"),
        **_forms("shushan_purim", "shushan purim"),
        **_forms("eid_al_fitr", "eid al-fitr", "eid al fitr", "eid ul-fitr"),
        **_forms(
            "eid_al_adha",
            "eid al-adha",
            "eid ul-adha",
            "id al-adha",
            "id ul-adha",
            "bakr id",
            "bakr-id",
            "bakrid",
            "sacrifice feast",
        ),
        **_forms(
            "mawlid",
            "mawlid",
            "mawlid al-nabawi",
            "mawlid al-nabi",
            "prophet's birthday",
            "the prophet's birthday",
        ),
        **_forms(
            "laylat_al_qadr",
            "laylat al-qadr",
            "laylat al qadr",
            "laylat al-kadr",
            "laylat al kadr",
            "night of power",
            "night of destiny",
            "night of measures",
            "night of value",
        ),
        **_forms(
            "islamic_new_year",
            "islamic new year",
            "hijri new year",
            "arabic new year",
            "amun jadid",
        ),
        **_forms("ashura", "ashura", "day of ashura"),
        **_forms(
            "isra_and_miraj",
            "isra and mi'raj",
            "the prophet's ascension",
            "prophet's ascension",
            "the ascension to heaven",
            "ascension to heaven",
            "the night journey",
        ),
        **_forms(
            "jumuatul_wida",
            "jumu'atul-wida",
            "jumu'atul wida",
            "jamat ul-vida",
            "jamat-ul-vida",
            "jamat ul vida",
        ),
        **_forms("dhanteras", "dhanteras", "dhanatrayodashi", "dhanvantari trayodashi"),
        **_forms(
            "naraka_chaturdashi",
            "naraka chaturdashi",
            "narak chaturdashi",
            "kali chaudas",
            "roop chaudas",
            "choti diwali",
        ),
        **_forms("diwali", "diwali", "deepavali", "lakshmi puja"),
        **_forms("govardhan_puja", "govardhan puja", "annakut", "annakoot"),
        **_forms("bhai_dooj", "bhai dooj", "bhai duj", "bhaiya dooj", "bhau-beej", "bhai tika"),
        **_forms("chhath", "chhath", "chhathi", "chhath puja", "dala puja", "surya shashthi"),
        **_forms("maha_saptami", "maha saptami"),
        **_forms("durga_ashtami", "durga ashtami", "maha ashtami"),
        **_forms("maha_navami", "maha navami"),
        **_forms("dussehra", "dussehra", "dusshera", "dasara", "vijayadashami"),
        **_forms("raksha_bandhan", "raksha bandhan", "rakshabandhan", "rakhi"),
        **_forms("ganesh_chaturthi", "ganesh chaturthi", "vinayaka chaturthi"),
        **_forms(
            "mahavir_jayanti",
            "mahavir jayanti",
            "mahaveer jayanti",
            "mahavir janma kalyanak",
            "mahaveer janma kalyanak",
        ),
        **_forms(
            "thai_pongal",
            "pongal",
            "thai pongal",
            "makara sankranthi",
            "makara sankranti",
            "makar sankranti",
            "makar sankranthi",
            "maghi",
        ),
        **_forms("bogi_pandigai", "bogi pandigai", "boghi"),
        **_forms("mattu_pongal", "mattu pongal", "maattu pongal"),
        **_forms("kaanum_pongal", "kaanum pongal", "kanni pongal"),
        **_forms("maha_shivaratri", "maha shivaratri", "mahashivaratri"),
        **_forms("thiru_onam", "onam", "thiru onam", "thiruvonam"),
        **_forms("ratha_yatra", "ratha-yatra", "ratha yatra", "rathayatra", "rath yatra"),
        **_forms("vasant_panchami", "vasant panchami", "basant panchami"),
        **_forms("holika_dahan", "holika dahan", "kamudu pyre", "chhoti holi"),
        **_forms("holi", "holi", "rangwali holi", "dhulandi", "dhuleti", "phagwah"),
        **_forms(
            "guru_gobind_singh_jayanti",
            "guru gobind singh jayanti",
            "guru gobind singh birthday",
            "guru govind singh jayanti",
            "guru govind singh birthday",
        ),
        **_forms("karva_chauth", "karva chauth", "karaka chaturthi"),
        **_forms("krishna_janmashtami", "krishna janmashtami", "janmashtami", "gokulashtami"),
        **_forms("vesak", "vesak", "vesakha", "vaisak", "vaisakha", "buddha day", "buddha purnima"),
        **_forms("vaisakhi", "vaisakhi", "baisakhi", "vasakhi", "vaishakhi", "mesadi"),
        **_forms(
            "saraswati_jayanti",
            "saraswati jayanti",
            "dayananda saraswati jayanti",
            "swami dayananda saraswati jayanti",
        ),
        **_forms("rabindra_jayanti", "rabindra jayanti", "rabindranath jayanti"),
        **_forms(
            "ravidass_jayanti",
            "guru ravidas jayanti",
            "guru ravidass jayanti",
            "guru ravidas birthday",
            "guru ravidass birthday",
        ),
        **_forms(
            "pargat_diwas",
            "pargat diwas",
            "valmiki jayanti",
            "maharishi valmiki jayanti",
        ),
        **_forms(
            "ugadi",
            "ugadi",
            "yugadi",
            "samvatsaradi",
            "chaitra sukladi",
            "chaitra sukhladi",
        ),
        **_forms("rama_navami", "rama navami", "ram navami"),
        **_forms("parsi_new_year", "parsi new year", "jamshedi navroz"),
    },
    fillers=frozenset(
        {"at", "on", "the", "of", "around", "about", "approximately", "for", "@", "-", "—", "~"}
    ),
    month_first=True,
    twelve_hour_clock=True,
    bounds=("by", "before", "after", "until", "till", "from", "no later than"),
    shifts={"after": 1, "before": -1},
    year_preps=("in", "of"),
    year_words={
        "two thousand": 2000,
        **{
            f"two thousand{join}{spelled}": 2000 + n
            for spelled, n in _english_numbers(1, 59).items()
            for join in (" ", " and ")
        },
    },
    year_offsets={
        **_forms(1, "next year", "of next year"),
        **_forms(0, "this year", "of this year", "of the current year"),
    },
    fixed_hours={"noon": 12, "midday": 12, "midnight": 0},
    spoken_minutes={
        **_english_numbers(10, 59),
        **{
            f"{zero}{join}{unit}": n
            for zero in ("oh", "o", "ou", "zero")
            for unit, n in _english_numbers(1, 9).items()
            for join in (" ", "-")
        },
    },
    zones={**_ZONES_EUROPE, **_ZONES_EAST, **_ZONES_AMERICA},
    weekdays_ahead=("from now", "from today", "hence"),
)

NL = Words(
    months={
        **_forms(1, "januari", "jan"),
        **_forms(2, "februari", "feb"),
        **_forms(3, "maart", "mrt", "mar"),
        **_forms(4, "april", "apr"),
        **_forms(5, "mei"),
        **_forms(6, "juni", "jun"),
        **_forms(7, "juli", "jul"),
        **_forms(8, "augustus", "aug"),
        **_forms(9, "september", "sep", "sept"),
        **_forms(10, "oktober", "okt"),
        **_forms(11, "november", "nov"),
        **_forms(12, "december", "dec"),
    },
    weekdays={
        **_forms(0, "maandag", "ma"),
        **_forms(1, "dinsdag", "di"),
        **_forms(2, "woensdag", "wo", "woe"),
        **_forms(3, "donderdag", "do"),
        **_forms(4, "vrijdag", "vr", "vrij"),
        **_forms(5, "zaterdag", "za", "zat"),
        **_forms(6, "zondag", "zo", "zon"),
        "weekend": 5,  # a weekend is its Saturday
    },
    next_weekday=("volgende", "volgend"),
    this_weekday=("aanstaande", "komende", "deze", "dit"),
    next_week=("volgende week", "komende week"),
    this_week=("deze week",),
    after_next=("na volgende",),
    week_later=("over een week",),
    weekday_preps=("op",),
    relative_days={
        "vandaag": (0, None),
        "vanochtend": (0, "morning"),
        "vanmorgen": (0, "morning"),
        "vanmiddag": (0, "afternoon"),
        "vanavond": (0, "evening"),
        "vannacht": (0, "night"),
        "morgen": (1, None),
        "morgenochtend": (1, "morning"),
        "morgenvroeg": (1, "morning"),
        "morgenmiddag": (1, "afternoon"),
        "morgenavond": (1, "evening"),
        "morgennacht": (1, "night"),
        "overmorgen": (2, None),
        "gisteren": (-1, None),
        "gisteravond": (-1, "evening"),
        "eergisteren": (-2, None),
    },
    parts_of_day={
        **_forms("morning", "'s ochtends", "s ochtends", "'s morgens", "s morgens", "ochtend"),
        **_forms("morning", "in de ochtend", "'s ochtend"),
        # "middag" alone is midday; "'s middags"/"in de middag" is the afternoon.
        **_forms("noon", "middag", "de middag", "middaguur", "het middaguur", "tussen de middag"),
        **_forms("afternoon", "'s middags", "s middags", "in de middag", "namiddag"),
        **_forms("evening", "'s avonds", "s avonds", "avond", "in de avond", "de avond"),
        **_forms("night", "'s nachts", "s nachts", "nacht", "in de nacht", "de nacht"),
        **_forms("midnight", "middernacht", "om middernacht"),
    },
    duration_prefixes=("over", "in"),
    duration_suffixes=("vanaf nu", "later"),
    numbers={
        **_forms(1.0, "een", "één"),
        "twee": 2.0,
        "drie": 3.0,
        "vier": 4.0,
        "vijf": 5.0,
        "zes": 6.0,
        "zeven": 7.0,
        "acht": 8.0,
        "negen": 9.0,
        "tien": 10.0,
        "elf": 11.0,
        "twaalf": 12.0,
        "vijftien": 15.0,
        "twintig": 20.0,
        "dertig": 30.0,
        "veertig": 40.0,
        **_forms(0.5, "een half", "een halve", "half", "halve"),
        **_forms(1.5, "anderhalf", "anderhalve"),
    },
    units={
        **_forms(_SECOND, "seconde", "seconden", "sec"),
        **_forms(_MINUTE, "minuut", "minuten", "min"),
        **_forms(_QUARTER, "kwartier"),
        **_forms(_HALF_HOUR, "halfuur"),
        **_forms(_HOUR, "uur", "uren"),
        **_forms(_DAY, "dag", "dagen"),
        **_forms(_WEEK, "week", "weken"),
        **_forms(_MONTH, "maand", "maanden"),
        **_forms(_YEAR, "jaar", "jaren"),
    },
    half=("en een half", "en half"),
    joiners=("en",),
    time_preps=("om", "rond", "omstreeks", "tegen", "ongeveer", "circa", "ca.", "ca"),
    about=("ongeveer", "zo'n", "circa", "ca."),
    hour_suffixes=("uur", "u", "h"),
    clock_prefixes=(
        ("half", -1, 30),
        *_minutes_around(
            {
                5: ("5", "vijf"),
                10: ("10", "tien"),
                15: ("15", "kwart"),
                20: ("20", "twintig"),
            },
            after=("over",),
            before=("voor",),
        ),
        # "tien voor half vier" = 3:20, "vijf over half vier" = 3:35
        *(
            (f"{n} voor half", -1, 30 - m)
            for m, n in ((5, "5"), (5, "vijf"), (10, "10"), (10, "tien"))
        ),
        *(
            (f"{n} over half", -1, 30 + m)
            for m, n in ((5, "5"), (5, "vijf"), (10, "10"), (10, "tien"))
        ),
    ),
    clock_suffixes=(),
    hour_words={
        "een": 1,
        "twee": 2,
        "drie": 3,
        "vier": 4,
        "vijf": 5,
        "zes": 6,
        "zeven": 7,
        "acht": 8,
        "negen": 9,
        "tien": 10,
        "elf": 11,
        "twaalf": 12,
        "één": 1,
    },
    weekday_part_suffixes={
        "ochtend": "morning",
        "morgen": "morning",
        "middag": "afternoon",
        "avond": "evening",
        "nacht": "night",
    },
    day_ordinals=("e", "ste", "de"),
    day_words={
        **{
            word: n
            for n, word in enumerate(
                (
                    "eerste",
                    "tweede",
                    "derde",
                    "vierde",
                    "vijfde",
                    "zesde",
                    "zevende",
                    "achtste",
                    "negende",
                    "tiende",
                    "elfde",
                    "twaalfde",
                    "dertiende",
                    "veertiende",
                    "vijftiende",
                    "zestiende",
                    "zeventiende",
                    "achttiende",
                    "negentiende",
                    "twintigste",
                ),
                1,
            )
        },
        **{
            f"{unit}en{ten}": value + n
            for value, ten in ((20, "twintigste"), (30, "dertigste"))
            for n, unit in enumerate(
                ("een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"), 1
            )
            if value + n <= 31
        },
        "dertigste": 30,
    },
    hour_ordinals=(),
    nth={
        "eerste": 1,
        "tweede": 2,
        "derde": 3,
        "vierde": 4,
        "vijfde": 5,
        "laatste": -1,
    },
    nth_of=("van", "in"),
    of_month=("van de maand", "van deze maand", "in de maand", "deze maand"),
    day_word=("dag",),
    holidays={
        **_forms("new_year", "nieuwjaarsdag", "nieuwjaar"),
        **_forms("new_years_eve", "oudejaarsavond", "oudejaarsdag", "oudjaar", "oud en nieuw"),
        **_forms("christmas_eve", "kerstavond"),
        **_forms("christmas", "kerstmis", "kerst", "eerste kerstdag", "kerstdag"),
        **_forms("boxing_day", "tweede kerstdag"),
        **_forms("easter", "pasen", "eerste paasdag", "paaszondag"),
        **_forms("easter_monday", "tweede paasdag", "paasmaandag"),
        **_forms("good_friday", "goede vrijdag"),
        **_forms("kings_day", "koningsdag"),
        **_forms("liberation_day_nl", "bevrijdingsdag"),
        **_forms("ascension", "hemelvaartsdag", "hemelvaart"),
        **_forms("pentecost", "pinksteren", "eerste pinksterdag"),
        **_forms("whit_monday", "tweede pinksterdag", "pinkstermaandag"),
        **_forms("sinterklaas", "sinterklaas", "sinterklaasavond", "pakjesavond"),
        **_forms("fat_thursday", "dikke donderdag"),
        **_forms("valentines_day", "valentijnsdag"),
        **_forms("kings_day", "king's day", "kingsday"),
        **_forms("mothers_day_nl", "moederdag"),
        **_forms("fathers_day_nl", "vaderdag"),
        **_forms("halloween", "halloween"),
        **_forms("ash_wednesday", "aswoensdag"),
        **_forms("palm_sunday", "palmzondag"),
        **_forms("holy_saturday", "stille zaterdag"),
        **_forms("womens_day", "vrouwendag", "internationale vrouwendag"),
        **_forms("epiphany", "driekoningen"),
        **_forms("all_saints", "allerheiligen"),
        **_forms("labour_day", "dag van de arbeid"),
        **_forms("black_friday", "black friday"),
        **_forms("remembrance_day_nl", "dodenherdenking"),
        **_forms("st_martins_day", "sint-maarten", "sint maarten", "sintmaarten"),
        **_forms("prinsjesdag", "prinsjesdag"),
    },
    fillers=frozenset(
        {"om", "op", "de", "het", "rond", "omstreeks", "tegen", "ongeveer", "circa", "ca", "ca."}
        | {"-", "—", "~"}
    ),
    bounds=("voor", "vóór", "na", "tot", "vanaf", "uiterlijk", "niet later dan"),
    shifts={"na": 1, "voor": -1, "vóór": -1},
    # Not EET: "eet" is a Dutch word ("ik eet om 6").
    zones=_ZONES_EUROPE,
)

BG = Words(
    months={
        **_forms(1, "януари", "яну"),
        **_forms(2, "февруари", "фев"),
        **_forms(3, "март", "мар"),
        **_forms(4, "април", "апр"),
        **_forms(5, "май"),
        **_forms(6, "юни"),
        **_forms(7, "юли"),
        **_forms(8, "август", "авг"),
        **_forms(9, "септември", "сеп", "септ"),
        **_forms(10, "октомври", "окт"),
        **_forms(11, "ноември", "ное"),
        **_forms(12, "декември", "дек"),
    },
    weekdays={
        **_forms(0, "понеделник", "пон", "пн"),
        **_forms(1, "вторник", "вт"),
        **_forms(2, "сряда", "ср"),
        **_forms(3, "четвъртък", "чет", "чт"),
        **_forms(4, "петък", "пет", "пт"),
        **_forms(5, "събота", "съб", "сб"),
        **_forms(6, "неделя", "нед", "нд"),
        **_forms(5, "уикенд", "уикенда", "уикенди"),  # a weekend is its Saturday
    },
    next_weekday=(
        "следващия",
        "следващата",
        "следващ",
        "следваща",
        "другия",
        "другата",
    ),
    this_weekday=("този", "тази", "идния", "идната"),
    next_week=("следващата седмица", "другата седмица", "идната седмица"),
    this_week=("тази седмица", "от тази седмица", "през тази седмица"),
    after_next=("по-следващия", "по-следващата", "по-следващ", "по-следваща"),
    week_later=("след седмица",),
    weekday_preps=("в", "във", "през"),
    relative_days={
        "днес": (0, None),
        "довечера": (0, "evening"),
        "тази вечер": (0, "evening"),
        "тази сутрин": (0, "morning"),
        "тази нощ": (0, "night"),
        "утре": (1, None),
        "вдругиден": (2, None),
        "вчера": (-1, None),
        "снощи": (-1, "night"),
        "онзи ден": (-2, None),
    },
    parts_of_day={
        **_forms("morning", "сутринта", "сутрин", "рано сутринта", "заранта", "сутрешта"),
        **_forms("noon", "обед", "на обед", "по обед", "обяд", "на обяд", "по обяд"),
        **_forms("noon", "пладне", "на пладне", "по пладне"),
        **_forms("afternoon", "следобед", "следобеда", "следобяд", "след обед", "след обяд"),
        **_forms("evening", "вечерта", "вечер", "привечер"),
        **_forms("night", "през нощта", "нощта", "нощем", "през нощ"),
        **_forms("midnight", "полунощ", "в полунощ"),
    },
    duration_prefixes=("след",),
    duration_suffixes=(),
    numbers={
        **_forms(1.0, "един", "една", "едно"),
        **_forms(2.0, "два", "две"),
        "три": 3.0,
        "четири": 4.0,
        "пет": 5.0,
        "шест": 6.0,
        "седем": 7.0,
        "осем": 8.0,
        "девет": 9.0,
        "десет": 10.0,
        **_forms(15.0, "петнадесет", "петнайсет"),
        **_forms(20.0, "двадесет", "двайсет"),
        **_forms(30.0, "тридесет", "трийсет"),
        **_forms(40.0, "четиридесет", "четирийсет"),
        "половин": 0.5,
        "четвърт": 0.25,
    },
    units={
        **_forms(_SECOND, "секунда", "секунди", "сек"),
        **_forms(_MINUTE, "минута", "минути", "мин"),
        **_forms(_HOUR, "час", "часа", "часове", "ч"),
        **_forms(_DAY, "ден", "дни", "дена"),
        **_forms(_WEEK, "седмица", "седмици"),
        **_forms(_MONTH, "месец", "месеца", "месеци"),
        **_forms(_YEAR, "година", "години"),
    },
    half=("и половина",),
    joiners=("и",),
    time_preps=("в", "във", "около", "към"),
    about=("около", "към", "горе-долу"),
    hour_suffixes=("часа", "ч.", "ч", "часът"),
    clock_prefixes=(),
    clock_suffixes=(
        ("и половина", 0, 30),
        ("и четвърт", 0, 15),
        ("без четвърт", -1, 45),
        *_BG_CLOCK_MINUTES,
    ),
    hour_words={
        "един": 1,
        "два": 2,
        "три": 3,
        "четири": 4,
        "пет": 5,
        "шест": 6,
        "седем": 7,
        "осем": 8,
        "девет": 9,
        "десет": 10,
        "единадесет": 11,
        "дванадесет": 12,
        "единайсет": 11,
        "дванайсет": 12,
    },
    weekday_part_suffixes={},
    day_ordinals=("-ви", "-ри", "-ти", "-ми", "-и"),
    day_words=_ordinals(
        {
            1: ("първи",),
            2: ("втори",),
            3: ("трети",),
            4: ("четвърти",),
            5: ("пети",),
            6: ("шести",),
            7: ("седми",),
            8: ("осми",),
            9: ("девети",),
            10: ("десети",),
            11: ("единадесети", "единайсети"),
            12: ("дванадесети", "дванайсети"),
            13: ("тринадесети", "тринайсети"),
            14: ("четиринадесети", "четиринайсети"),
            15: ("петнадесети", "петнайсети"),
            16: ("шестнадесети", "шестнайсети"),
            17: ("седемнадесети", "седемнайсети"),
            18: ("осемнадесети", "осемнайсети"),
            19: ("деветнадесети", "деветнайсети"),
            20: ("двадесети", "двайсети"),
            30: ("тридесети", "трийсети"),
        },
        {20: ("двадесет",), 30: ("тридесет",)},
        (" и ",),
    ),
    hour_ordinals=(),
    nth={
        **_forms(1, "първи", "първия", "първият", "първа", "първата"),
        **_forms(2, "втори", "втория", "вторият", "втора", "втората"),
        **_forms(3, "трети", "третия", "третият", "трета", "третата"),
        **_forms(4, "четвърти", "четвъртия", "четвърта", "четвъртата"),
        **_forms(5, "пети", "петия", "пета", "петата"),
        **_forms(-1, "последен", "последния", "последният", "последна", "последната"),
    },
    nth_of=("от", "на", "през"),
    of_month=("от месеца", "на месеца", "този месец", "от този месец"),
    day_word=("ден", "дни"),
    holidays={
        **_forms("new_year", "нова година"),
        **_forms("liberation_day_bg", "трети март", "освобождението"),
        **_forms("orthodox_easter", "великден"),
        **_forms("orthodox_good_friday", "велики петък"),
        **_forms("orthodox_easter_monday", "втори ден на великден"),
        **_forms("st_george_bg", "гергьовден"),
        **_forms("labour_day", "ден на труда"),
        **_forms("culture_day_bg", "ден на славянската писменост"),
        **_forms("unification_day_bg", "съединението", "деня на съединението"),
        **_forms("independence_day_bg", "независимостта", "деня на независимостта"),
        **_forms("christmas_eve", "бъдни вечер", "бъдна вечер"),
        **_forms("christmas", "коледа", "рождество христово"),
        **_forms("boxing_day", "втори ден на коледа"),
        **_forms("epiphany", "йордановден", "богоявление"),
        **_forms("valentines_day", "свети валентин", "трифон зарезан"),
        **_forms(
            "womens_day", "8 март", "осми март", "международния ден на жената", "деня на жената"
        ),
        **_forms("new_years_eve", "новогодишната нощ"),
        **_forms("clean_monday", "чисти понеделник"),
        **_forms("lazarus_saturday", "лазаровден", "лазарова събота"),
        **_forms("orthodox_palm_sunday", "цветница"),
        **_forms("orthodox_ascension", "спасовден", "възнесение господне"),
        **_forms("cheesefare_sunday", "сирни заговезни", "сирна неделя"),
        **_forms("baba_marta", "баба марта"),
        **_forms("grandmothers_day", "бабинден"),
    },
    fillers=frozenset({"в", "във", "на", "около", "към", "г", "г.", "-", "—", "~"}),
    fold=False,
    bounds=("до", "преди", "от", "най-късно", "не по-късно от"),
    shifts={"след": 1, "преди": -1},
    zones={**_ZONES_EUROPE, **_ZONES_EAST},
)

LANGUAGES: dict[str, Words] = {"pl": PL, "en": EN, "nl": NL, "bg": BG}
