"""Which themes an English prompt asks for: keywords, emoji and known places.

Why a keyword map and not anything smarter: it is offline, instant, and
predictable, and a prompt only has to *select* among hand-written banks.
Words are matched after light stemming ("waves" → "wave", "rainy" → "rain",
"dancing" → "dance"); two- and three-word phrases ("miss you", "road trip")
are matched as written. Each hit adds its weight to a theme; the best theme
is primary, the next (if any) secondary, ties going to the earlier mention.
A prompt with no known word gets the uplifting fallback theme.

Place names come only from ``PLACES`` (our own spelling), so a title such as
"Tokyo Rain" never carries text the prompt wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

THEMES: tuple[str, ...] = (
    "love", "heartbreak", "summer", "night", "party", "home", "friendship", "travel",
    "rain", "dreams", "nature", "seasons", "work", "freedom", "memories", "celebration",
)  # fmt: skip
FALLBACK_THEME = "dreams"
SEASONS = ("autumn", "winter", "spring")  # narrow the seasons theme to one bank
MAX_PROMPT_CHARS = 10_000  # the rest of a longer prompt is not read

# theme → keywords; "word:2" weighs 2, "two words" is a phrase. A season name as
# the theme ("winter") scores for "seasons" and narrows it to that season's bank.
_KEYWORDS: dict[str, str] = {
    "love": "love:2 lover romance:2 romantic:2 kiss crush valentine darling sweetheart honey "
    "heart wedding marry bride groom date dating girlfriend boyfriend babe beloved adore "
    "affection passion soulmate:2 hug cuddle falling_in_love:3 in_love:2 sweet",
    "heartbreak": "sad:2 sadness:2 lonely:2 loneliness:2 alone heartbreak:3 heartbroken:3 "
    "broken breakup:3 break_up:3 tear cry:2 goodbye miss_you:2 miss lost loss grief:2 "
    "grieve sorrow:2 hurt pain melancholy:2 regret ex divorce empty blues left_me:2 "
    "depressed:2 unhappy:2 moving_on:2 gone",
    "summer": "summer:2 beach:2 ocean:2 sea:2 wave surf sand sun sunshine island tropical "
    "vacation holiday coast shore swim pool july august salt palm tan boat sail bay "
    "seaside:2 lemonade sunburn",
    "night": "night:2 city:2 neon:2 street downtown urban skyline midnight:2 subway taxi "
    "light traffic nightlife metropolis avenue alley rooftop moonlight late_night:2 town",
    "party": "party:2 weekend:2 dance club friday saturday fun dj disco rave festival drink "
    "cheer groove beat bass loud crazy night_out:3 happy dancefloor bar",
    "home": "home:2 family:2 mother mom mum mama father dad daddy papa grandmother:2 grandma:2 "
    "grandfather:2 grandpa:2 granny sister brother kid child kitchen house hometown:2 "
    "porch parent son daughter cousin aunt uncle roots homesick:2",
    "friendship": "friend:2 friendship:3 buddy pal crew squad bestie best_friend:3 companion "
    "gang mate together",
    "travel": "travel:2 trip:2 road:2 road_trip:3 journey:2 drive highway car train plane "
    "flight wander wanderlust:2 adventure explore backpack desert route mile map passport "
    "abroad van bus ride airport",
    "rain": "rain:2 storm:2 thunder lightning weather cloud umbrella drizzle wet puddle fog "
    "grey gray wind hurricane monsoon shower thunderstorm:2 rainstorm:2 raindrop",
    "dreams": "dream:2 hope:2 hopeful wish future believe inspire inspiration:2 "
    "inspirational:2 motivation:2 motivational:2 uplifting:2 goal ambition rise shine brave "
    "courage positive optimistic happy",
    "nature": "nature:2 mountain:2 forest woods tree river lake star sky camp hike wild "
    "wilderness valley meadow flower garden earth moon bird canyon waterfall hill",
    "seasons": "season:2 weather cozy",
    "autumn": "autumn:3 leaf october november harvest pumpkin sweater",
    "winter": "winter:3 snow:2 christmas:2 december january frost ice snowflake fireplace cold",
    "spring": "spring:3 springtime:3 blossom bloom april blooming",
    "work": "work:2 job:2 hustle:3 grind:2 office boss career money business deadline "
    "overtime monday coffee paycheck rent bill cash success entrepreneur startup factory "
    "worker nine_to_five:3 commute",
    "freedom": "freedom:3 free:2 liberty escape break_free:3 wild independence:2 independent "
    "rebel chain release fly wing soar open_road:2",
    "memories": "memory:2 nostalgia:3 nostalgic:3 remember:2 childhood:2 old past yesterday "
    "back_then:2 youth young school photograph photo throwback:2 reminisce:2 retro "
    "vintage grew_up:2 growing_up:2 miss",
    "celebration": "birthday:3 celebrate:2 celebration:2 anniversary:2 graduation:2 "
    "congratulation:2 cake candle gift present toast confetti new_year:3 victory win "
    "winner champion promotion cheers firework champagne eve new_years:3",
}
_EMOJI: dict[str, str] = {
    "🎉": "celebration", "🎊": "celebration", "🎂": "celebration", "🥳": "celebration",
    "🎈": "celebration", "🎁": "celebration", "❤": "love", "💕": "love", "😍": "love",
    "💖": "love", "💘": "love", "🥰": "love", "💔": "heartbreak", "😢": "heartbreak",
    "😭": "heartbreak", "☀": "summer", "🌞": "summer", "🏖": "summer", "🌊": "summer",
    "🏝": "summer", "🌃": "night", "🌙": "night", "🌆": "night", "🌧": "rain", "☔": "rain",
    "⛈": "rain", "🏔": "nature", "⛰": "nature", "🌲": "nature", "🌌": "nature", "⭐": "dreams",
    "🚗": "travel", "✈": "travel", "🏠": "home", "🍂": "autumn", "❄": "winter", "⛄": "winter",
    "🌸": "spring", "🌷": "spring", "💼": "work", "🕊": "freedom", "💃": "party", "🕺": "party",
    "🍻": "party", "🍾": "party",
}  # fmt: skip
# place (lower case) → (how a title spells it, the theme it suggests)
PLACES: dict[str, tuple[str, str]] = {
    "tokyo": ("Tokyo", "night"), "paris": ("Paris", "love"), "london": ("London", "night"),
    "new york": ("New York", "night"), "berlin": ("Berlin", "night"),
    "rome": ("Rome", "love"), "madrid": ("Madrid", "night"),
    "barcelona": ("Barcelona", "summer"), "lisbon": ("Lisbon", "night"),
    "amsterdam": ("Amsterdam", "night"), "seoul": ("Seoul", "night"),
    "shanghai": ("Shanghai", "night"), "hong kong": ("Hong Kong", "night"),
    "bangkok": ("Bangkok", "night"), "singapore": ("Singapore", "night"),
    "sydney": ("Sydney", "summer"), "dubai": ("Dubai", "night"), "cairo": ("Cairo", "night"),
    "istanbul": ("Istanbul", "night"), "vienna": ("Vienna", "night"),
    "prague": ("Prague", "night"), "dublin": ("Dublin", "night"),
    "chicago": ("Chicago", "night"), "boston": ("Boston", "night"),
    "miami": ("Miami", "summer"), "las vegas": ("Las Vegas", "party"),
    "vegas": ("Vegas", "party"), "los angeles": ("Los Angeles", "night"),
    "hollywood": ("Hollywood", "dreams"), "san francisco": ("San Francisco", "night"),
    "seattle": ("Seattle", "rain"), "nashville": ("Nashville", "night"),
    "memphis": ("Memphis", "night"), "brooklyn": ("Brooklyn", "night"),
    "toronto": ("Toronto", "night"), "vancouver": ("Vancouver", "rain"),
    "havana": ("Havana", "summer"), "rio": ("Rio", "summer"), "mumbai": ("Mumbai", "night"),
    "osaka": ("Osaka", "night"), "kyoto": ("Kyoto", "nature"), "bali": ("Bali", "summer"),
    "hawaii": ("Hawaii", "summer"), "malibu": ("Malibu", "summer"),
    "ibiza": ("Ibiza", "party"), "california": ("California", "summer"),
    "texas": ("Texas", "travel"), "alaska": ("Alaska", "nature"),
    "tennessee": ("Tennessee", "home"), "iceland": ("Iceland", "nature"),
    "ireland": ("Ireland", "home"), "scotland": ("Scotland", "nature"),
    "japan": ("Japan", "night"), "italy": ("Italy", "love"), "spain": ("Spain", "summer"),
    "mexico": ("Mexico", "summer"), "brazil": ("Brazil", "summer"),
    "greece": ("Greece", "summer"), "france": ("France", "love"),
    "sahara": ("Sahara", "travel"), "alps": ("Alps", "nature"),
    "himalaya": ("Himalaya", "nature"), "himalayas": ("Himalaya", "nature"),
}  # fmt: skip
TITLE_NOUNS: dict[str, tuple[str, ...]] = {
    "love": ("Love", "Hearts", "Romance"), "heartbreak": ("Blues", "Tears", "Heartache"),
    "summer": ("Summer", "Sunset", "Tide"), "night": ("Nights", "Lights", "Neon"),
    "party": ("Weekend", "Party", "Nights"), "home": ("Home", "Homecoming"),
    "friendship": ("Friends", "Crew"), "travel": ("Highway", "Road", "Express"),
    "rain": ("Rain", "Storm"), "dreams": ("Dreams", "Dreaming", "Sunrise"),
    "nature": ("Skies", "Stars", "Wild"), "seasons": ("Seasons",), "autumn": ("Autumn",),
    "winter": ("Winter", "Snow"), "spring": ("Spring", "Blossom"),
    "work": ("Hustle", "Grind"), "freedom": ("Freedom", "Skies"),
    "memories": ("Memories", "Yesterday"), "celebration": ("Celebration", "Lights"),
}  # fmt: skip

_TOKEN = re.compile(r"[a-z0-9']+")
_TRAILING = re.compile(r"'s$|^'+|'+$")  # "year's" → "year", "'cause" → "cause"
_SUFFIXES = (
    ("ies", "y"), ("ves", "f"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"), ("ed", ""),
    ("ed", "e"), ("ier", "y"), ("iest", "y"), ("ly", ""), ("y", ""), ("er", ""), ("ful", ""),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ThemeChoice:
    """The themes for a song, the banks each draws from, and a place for the title."""

    themes: tuple[str, ...]  # primary first; one or two
    banks: Mapping[str, tuple[str, ...]]  # theme → bank names, when not just the theme's own
    place: str  # "" or a title spelling from ``PLACES``
    title_nouns: tuple[str, ...]  # nouns a place title may use ("Rain", "Nights")


def choose_themes(prompt: str) -> ThemeChoice:
    """Primary and optional secondary theme from the prompt's words (fallback: dreams)."""
    text = prompt[:MAX_PROMPT_CHARS].lower().replace("\u2019", "'")
    tokens = [_TRAILING.sub("", token) for token in _TOKEN.findall(text)]
    scores: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    place = ""

    def hit(theme: str, weight: int, position: int) -> None:
        scores[theme] = scores.get(theme, 0) + weight
        first_seen.setdefault(theme, position)

    for position, size, phrase in _phrases(tokens):
        found = PLACES.get(phrase) if size <= 2 else None
        if found and not place:
            place = found[0]
            hit(found[1], 1, position)
        for theme, weight in _lookup(phrase, size):
            hit(theme, weight, position)
    for offset, char in enumerate(text):
        emoji_theme = _EMOJI.get(char)
        if emoji_theme:
            hit(emoji_theme, 1, len(tokens) + offset)
    return _choice(scores, first_seen, place)


def _choice(scores: dict[str, int], first_seen: dict[str, int], place: str) -> ThemeChoice:
    season = max(
        (name for name in SEASONS if name in scores),
        key=lambda name: (scores[name], -first_seen[name]),
        default="",
    )
    for name in SEASONS:  # a season's score is the seasons theme's score
        if name in scores:
            scores["seasons"] = scores.get("seasons", 0) + scores.pop(name)
            first_seen["seasons"] = min(first_seen.get("seasons", 1 << 30), first_seen[name])
    ranked = sorted(scores, key=lambda theme: (-scores[theme], first_seen[theme]))
    themes = tuple(ranked[:2]) or (FALLBACK_THEME,)
    banks: dict[str, tuple[str, ...]] = {}
    # A place title may name a third theme too ("a sad rainy night in Tokyo" → "Tokyo Rain").
    nouns = [noun for theme in ranked[:3] or themes for noun in TITLE_NOUNS.get(theme, ())]
    if "seasons" in themes:
        variants = (season,) if season else SEASONS
        banks["seasons"] = ("seasons", *(f"seasons_{name}" for name in variants))
        if season:
            nouns = [*TITLE_NOUNS[season], *(n for n in nouns if n != "Seasons")]
    return ThemeChoice(themes=themes, banks=banks, place=place, title_nouns=tuple(nouns))


def _phrases(tokens: list[str]) -> Iterator[tuple[int, int, str]]:
    """(position, word count, text) of every one-, two- and three-word phrase."""
    for index in range(len(tokens)):
        for size in (1, 2, 3):
            if index + size <= len(tokens):
                yield index, size, " ".join(tokens[index : index + size])


def _lookup(phrase: str, size: int) -> list[tuple[str, int]]:
    """Themes a phrase scores for: phrases as written, single words after stemming."""
    table = _table()
    if size > 1:
        return table.get(phrase, [])
    for form in _forms(phrase):
        if form in table:
            return table[form]
    return []


def _forms(word: str) -> Iterator[str]:
    """The word, then stems by common suffixes ("sunny" → "sunn" → "sun")."""
    yield word
    if word.endswith("'s"):
        word = word[:-2]
        yield word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + replacement
            yield stem
            if len(stem) >= 4 and stem[-1] == stem[-2]:
                yield stem[:-1]


@lru_cache(maxsize=1)
def _table() -> dict[str, list[tuple[str, int]]]:
    """Keyword → [(theme, weight)], parsed once from ``_KEYWORDS``."""
    table: dict[str, list[tuple[str, int]]] = {}
    for theme, words in _KEYWORDS.items():
        for entry in words.split():
            word, _, weight = entry.partition(":")
            table.setdefault(word.replace("_", " "), []).append((theme, int(weight or 1)))
    return table
