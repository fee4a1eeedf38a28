"""The vocabulary ``style.parse_style`` understands, English and Chinese.

English terms are lower case with words separated by single spaces (the
tags are normalised the same way: hyphens, slashes and underscores become
spaces, so "lo-fi" finds "lo fi"). Chinese terms are matched as substrings,
longest first, so "快乐" (happy) is not also read as "快" (fast).
"""

from __future__ import annotations

from dataclasses import dataclass

Hints = tuple[tuple[str, float], ...]  # (genre, weight)


@dataclass(frozen=True, slots=True)
class Mood:
    """How a mood word bends the preset: a vote for a mode (+1 major,
    -1 minor, 0 none), a tempo factor and an energy change."""

    vote: int = 0
    tempo: float = 1.0
    energy: float = 0.0


@dataclass(frozen=True, slots=True)
class Voice:
    """What an instrument word asks for: roles to (re)assign, the program
    family it names (a role already in the family is left alone, and a
    negative tag bans the whole family), and genre hints."""

    roles: tuple[tuple[str, int], ...]  # (role, program); role: lead comp bass pad extra
    family: frozenset[int]
    hints: Hints = ()
    kit: int | None = None


@dataclass(frozen=True, slots=True)
class Groove:
    """A word that names a drum feel: pattern, kit, and typical tempo."""

    pattern: str | None  # None keeps the genre's pattern
    kit: int | None = None
    tempo: tuple[int, int] | None = None
    swing: float | None = None


def _span(lo: int, hi: int) -> frozenset[int]:
    return frozenset(range(lo, hi + 1))


def _words(weight: float, genre: str, *terms: str) -> dict[str, Hints]:
    return {term: ((genre, weight),) for term in terms}


GENRE_WORDS: dict[str, Hints] = {
    **_words(1.0, "pop", "pop", "k pop", "kpop", "j pop", "jpop", "c pop", "cpop", "mandopop"),
    **_words(1.0, "pop", "city pop", "dance pop", "indie pop", "synth pop", "synthpop"),
    **_words(1.0, "pop", "流行", "流行乐", "流行歌"),
    **_words(0.5, "pop", "mainstream", "radio", "catchy"),
    **_words(1.0, "rock", "rock", "rock n roll", "rock and roll", "hard rock", "metal", "punk"),
    **_words(1.0, "rock", "grunge", "emo", "摇滚", "重金属", "朋克"),
    **_words(0.6, "rock", "alternative", "alt rock", "indie"),
    **_words(1.0, "ballad", "ballad", "power ballad", "抒情", "情歌", "慢歌"),
    **_words(0.8, "ballad", "love song", "slow song", "torch song"),
    **_words(1.0, "salsa", "salsa", "latin", "bachata", "merengue", "cumbia", "mambo"),
    **_words(1.0, "salsa", "cha cha", "son cubano", "拉丁", "萨尔萨"),
    **_words(0.7, "salsa", "reggaeton", "tropical"),
    **_words(1.0, "edm", "edm", "house", "techno", "trance", "electronic", "electro", "dubstep"),
    **_words(1.0, "edm", "drum and bass", "dnb", "future bass", "rave", "eurodance", "电子"),
    **_words(1.0, "edm", "电音", "舞曲", "蹦迪", "电子舞曲"),
    **_words(0.8, "edm", "dance", "club", "synthwave", "disco"),
    **_words(1.0, "lofi", "lofi", "lo fi", "chillhop", "chill hop", "lofi hip hop", "低保真"),
    **_words(0.8, "lofi", "study beats", "beats to study", "vaporwave"),
    **_words(0.3, "lofi", "beats", "beat", "vinyl", "tape"),
    **_words(1.0, "jazz", "jazz", "jazzy", "bebop", "big band", "smooth jazz", "爵士", "蓝调"),
    **_words(0.8, "jazz", "bossa nova", "bossa", "blues", "lounge", "swing"),
    **_words(1.0, "folk", "folk", "country", "bluegrass", "americana", "民谣", "乡村"),
    **_words(0.7, "folk", "acoustic", "singer songwriter", "campfire", "celtic", "irish"),
    **_words(1.0, "hiphop", "hip hop", "hiphop", "rap", "trap", "boom bap", "drill", "说唱"),
    **_words(1.0, "hiphop", "嘻哈", "饶舌"),
    **_words(0.7, "hiphop", "grime", "rapper"),
    **_words(1.0, "rnb", "r&b", "rnb", "r and b", "r & b", "r n b", "soul", "neo soul"),
    **_words(1.0, "rnb", "节奏布鲁斯", "灵魂乐"),
    **_words(0.7, "rnb", "funk", "funky", "gospel", "motown", "groovy"),
    **_words(1.0, "orchestral", "orchestral", "orchestra", "cinematic", "symphonic", "symphony"),
    **_words(1.0, "orchestral", "film score", "trailer music", "管弦", "管弦乐", "交响", "交响乐"),
    **_words(1.0, "orchestral", "电影配乐", "史诗"),
    **_words(0.7, "orchestral", "soundtrack", "classical", "score", "heroic"),
    **_words(0.6, "orchestral", "epic"),
    **_words(1.0, "chinese", "chinese", "chinese traditional", "guofeng", "gufeng", "中国风"),
    **_words(1.0, "chinese", "国风", "古风", "民乐", "古典中国", "武侠", "仙侠", "戏腔"),
    **_words(0.7, "chinese", "oriental", "江湖", "中国"),
    **_words(0.4, "chinese", "asian"),
}

_MINOR = Mood(vote=-1, tempo=0.88, energy=-0.15)
_HAPPY = Mood(vote=1, tempo=1.1, energy=0.1)
_CHILL = Mood(vote=0, tempo=0.88, energy=-0.2)
_DRIVE = Mood(vote=0, tempo=1.1, energy=0.2)


def _moods(mood: Mood, *terms: str) -> dict[str, Mood]:
    return dict.fromkeys(terms, mood)


MOOD_WORDS: dict[str, Mood] = {
    **_moods(_MINOR, "sad", "sadness", "melancholic", "melancholy", "lonely", "heartbroken"),
    **_moods(_MINOR, "heartbreak", "sorrow", "sorrowful", "gloomy", "somber", "sombre"),
    **_moods(_MINOR, "tragic", "depressing", "depressed", "crying", "tears", "grief"),
    **_moods(_MINOR, "悲伤", "伤感", "忧郁", "孤独", "难过", "哀伤", "心碎", "忧伤", "惆怅"),
    **_moods(Mood(vote=-1, tempo=0.95, energy=-0.05), "dark", "moody", "mysterious", "haunting"),
    **_moods(Mood(vote=-1, tempo=0.95, energy=-0.05), "ominous", "黑暗", "暗黑", "神秘"),
    **_moods(Mood(vote=-1, tempo=1.1, energy=0.25), "angry", "rage", "愤怒"),
    **_moods(Mood(vote=-1, tempo=0.95, energy=-0.1), "nostalgic", "bittersweet", "怀旧"),
    **_moods(_HAPPY, "happy", "upbeat", "joyful", "joyous", "bright", "cheerful", "uplifting"),
    **_moods(_HAPPY, "fun", "playful", "sunny", "feel good", "positive", "party", "celebration"),
    **_moods(_HAPPY, "欢快", "快乐", "开心", "愉快", "阳光", "明亮", "轻快", "欢乐", "喜庆"),
    **_moods(Mood(vote=1, tempo=1.0, energy=0.1), "hopeful", "inspiring", "triumphant", "励志"),
    **_moods(Mood(vote=1, tempo=0.95, energy=-0.05), "romantic", "sweet", "love", "浪漫", "甜蜜"),
    **_moods(_CHILL, "chill", "calm", "relaxing", "relaxed", "dreamy", "mellow", "soft"),
    **_moods(_CHILL, "gentle", "peaceful", "serene", "lullaby", "sleepy", "ambient", "laid back"),
    **_moods(_CHILL, "放松", "平静", "安静", "舒缓", "温柔", "梦幻", "治愈", "轻柔"),
    **_moods(Mood(tempo=0.95, energy=-0.05), "heartfelt", "emotional", "tender", "深情"),
    **_moods(_DRIVE, "energetic", "aggressive", "epic", "powerful", "intense", "driving"),
    **_moods(_DRIVE, "hype", "fierce", "heavy", "anthemic", "explosive", "banger"),
    **_moods(_DRIVE, "激昂", "激情", "热血", "燃", "动感", "震撼", "史诗", "劲爆"),
    **_moods(Mood(tempo=0.85, energy=-0.1), "slow", "slow tempo", "downtempo", "慢", "慢速"),
    **_moods(Mood(tempo=1.15, energy=0.1), "fast", "uptempo", "up tempo", "quick", "快", "快速"),
}

_PIANOS = _span(0, 7)
_GUITARS = _span(24, 31)
_SYNTHS = _span(80, 103) | {38, 39, 50, 51, 62, 63}
_PIPES = _span(72, 79)
_CHINESE: Hints = (("chinese", 1.0),)


def _voice(
    roles: tuple[tuple[str, int], ...],
    family: frozenset[int] | None = None,
    hints: Hints = (),
    kit: int | None = None,
) -> Voice:
    programs = frozenset(program for _, program in roles)
    return Voice(
        roles=roles, family=family if family is not None else programs, hints=hints, kit=kit
    )


def _voices(voice: Voice, *terms: str) -> dict[str, Voice]:
    return dict.fromkeys(terms, voice)


INSTRUMENT_WORDS: dict[str, Voice] = {
    **_voices(_voice((("comp", 0),), _PIANOS, (("ballad", 0.3),)), "piano", "钢琴"),
    **_voices(_voice((("comp", 0),)), "grand piano", "acoustic piano"),
    **_voices(
        _voice((("comp", 4),), hints=(("rnb", 0.3), ("lofi", 0.3))),
        "electric piano",
        "rhodes",
        "wurlitzer",
        "电钢琴",
    ),
    **_voices(
        _voice((("comp", 25),), _GUITARS, (("folk", 0.2), ("rock", 0.2))),
        "guitar",
        "guitars",
        "吉他",
    ),
    **_voices(
        _voice((("comp", 25),), frozenset({24, 25}), (("folk", 0.5),)),
        "acoustic guitar",
        "木吉他",
        "民谣吉他",
    ),
    **_voices(
        _voice((("comp", 24),), hints=(("folk", 0.2),)),
        "nylon guitar",
        "classical guitar",
        "spanish guitar",
        "ukulele",
        "尤克里里",
        "古典吉他",
    ),
    **_voices(
        _voice((("comp", 27),), _span(26, 31), (("rock", 0.5),)), "electric guitar", "电吉他"
    ),
    **_voices(_voice((("comp", 27),)), "clean guitar"),
    **_voices(
        _voice((("comp", 30),), frozenset({29, 30}), (("rock", 0.8),)),
        "distorted guitar",
        "distortion",
        "heavy guitar",
        "guitar riffs",
        "失真吉他",
    ),
    **_voices(
        _voice((("bass", 33),), _span(32, 39)),
        "bass",
        "bass guitar",
        "electric bass",
        "贝斯",
        "低音",
    ),
    **_voices(
        _voice((("bass", 32),), hints=(("jazz", 0.4),)),
        "upright bass",
        "double bass",
        "acoustic bass",
        "contrabass",
        "低音提琴",
    ),
    **_voices(_voice((("bass", 36),)), "slap bass"),
    **_voices(_voice((("bass", 38),), hints=(("edm", 0.3),)), "synth bass", "bassline"),
    **_voices(
        _voice((("bass", 38),), frozenset({38, 39}), (("hiphop", 0.6),), kit=25), "808", "808s"
    ),
    **_voices(
        _voice((("pad", 48),), _span(40, 45) | _span(48, 51) | {110}, (("orchestral", 0.3),)),
        "strings",
        "string section",
        "string quartet",
        "弦乐",
        "弦乐团",
    ),
    **_voices(
        _voice((("lead", 40),), frozenset({40, 110}), (("orchestral", 0.2),)), "violin", "小提琴"
    ),
    **_voices(_voice((("lead", 110),), frozenset({40, 110}), (("folk", 0.5),)), "fiddle"),
    **_voices(_voice((("lead", 41),)), "viola", "中提琴"),
    **_voices(_voice((("lead", 42),), hints=(("orchestral", 0.2),)), "cello", "大提琴"),
    **_voices(_voice((("comp", 46),), hints=(("orchestral", 0.2),)), "harp", "竖琴"),
    **_voices(
        _voice((("lead", 80), ("pad", 89)), _SYNTHS, (("edm", 0.4),)),
        "synth",
        "synths",
        "synthesizer",
        "合成器",
    ),
    **_voices(_voice((("pad", 89),), _span(88, 95)), "pad", "pads", "synth pad"),
    **_voices(
        _voice((("lead", 65),), _span(64, 67), (("jazz", 0.5),)),
        "saxophone",
        "sax",
        "alto sax",
        "萨克斯",
        "萨克斯风",
    ),
    **_voices(_voice((("lead", 66),), hints=(("jazz", 0.5),)), "tenor sax", "tenor saxophone"),
    **_voices(
        _voice((("lead", 56),), frozenset({56, 59}), (("salsa", 0.3), ("jazz", 0.3))),
        "trumpet",
        "小号",
    ),
    **_voices(_voice((("lead", 57),)), "trombone", "长号"),
    **_voices(
        _voice((("lead", 60),), hints=(("orchestral", 0.3),)),
        "horn",
        "horns",
        "french horn",
        "圆号",
    ),
    **_voices(_voice((("extra", 61),), _span(56, 63)), "brass", "brass section", "铜管"),
    **_voices(_voice((("lead", 73),), _PIPES), "flute", "长笛"),
    **_voices(_voice((("lead", 73),), _PIPES, _CHINESE), "dizi", "笛子", "竹笛", "笛"),
    **_voices(_voice((("lead", 77),), hints=_CHINESE), "xiao", "箫", "洞箫"),
    **_voices(_voice((("lead", 77),)), "shakuhachi", "尺八"),
    **_voices(_voice((("lead", 75),)), "pan flute", "panpipes", "排箫"),
    **_voices(_voice((("lead", 79),)), "ocarina", "陶笛"),
    **_voices(_voice((("lead", 74),)), "recorder"),
    **_voices(_voice((("lead", 78),)), "whistle", "tin whistle", "口哨"),
    **_voices(_voice((("lead", 107),), hints=_CHINESE), "guzheng", "古筝", "筝", "zither"),
    **_voices(_voice((("lead", 107),)), "koto"),
    **_voices(_voice((("lead", 110),), hints=_CHINESE), "erhu", "二胡", "胡琴"),
    **_voices(_voice((("lead", 106),), frozenset({105, 106}), _CHINESE), "pipa", "琵琶"),
    **_voices(_voice((("comp", 15),), hints=_CHINESE), "yangqin", "扬琴"),
    **_voices(_voice((("comp", 15),)), "dulcimer"),
    **_voices(_voice((("lead", 106),)), "shamisen", "三味线"),
    **_voices(_voice((("lead", 104),)), "sitar", "西塔琴"),
    **_voices(_voice((("comp", 105),), hints=(("folk", 0.6),)), "banjo", "班卓琴"),
    **_voices(_voice((("comp", 16),), _span(16, 20), (("rnb", 0.2),)), "organ", "hammond", "风琴"),
    **_voices(_voice((("comp", 19),)), "church organ", "pipe organ", "管风琴"),
    **_voices(_voice((("lead", 21),), hints=(("folk", 0.3),)), "accordion", "手风琴"),
    **_voices(_voice((("lead", 22),), hints=(("folk", 0.3),)), "harmonica", "口琴"),
    **_voices(_voice((("lead", 11),), hints=(("jazz", 0.4),)), "vibraphone", "vibes", "颤音琴"),
    **_voices(_voice((("comp", 12),)), "marimba", "马林巴"),
    **_voices(_voice((("extra", 9),), _span(8, 14)), "bells", "bell", "glockenspiel", "铃声"),
    **_voices(_voice((("extra", 10),)), "music box", "八音盒"),
    **_voices(_voice((("extra", 8),)), "celesta"),
    **_voices(_voice((("extra", 13),)), "xylophone", "木琴"),
    **_voices(_voice((("extra", 14),)), "chimes", "tubular bells", "编钟"),
    **_voices(
        _voice((("pad", 52),), _span(52, 54), (("orchestral", 0.4),)),
        "choir",
        "choral",
        "合唱",
        "唱诗班",
    ),
    **_voices(_voice((("extra", 47),), hints=(("orchestral", 0.6),)), "timpani", "定音鼓"),
    **_voices(_voice((("extra", 116),), hints=(("orchestral", 0.3),)), "taiko", "太鼓", "大鼓"),
}

GROOVE_WORDS: dict[str, Groove] = {
    "trap": Groove("trap", kit=25, tempo=(130, 150), swing=0.0),
    "drill": Groove("trap", kit=25, tempo=(138, 146), swing=0.0),
    "boom bap": Groove("boom_bap", kit=0, tempo=(84, 96)),
    "halftime": Groove("halftime"),
    "half time": Groove("halftime"),
    "dubstep": Groove("halftime", kit=24, tempo=(138, 142)),
    "four on the floor": Groove("four_on_floor"),
    "4 on the floor": Groove("four_on_floor"),
    "house": Groove("four_on_floor", tempo=(118, 126), swing=0.0),
    "techno": Groove("four_on_floor", tempo=(124, 134), swing=0.0),
    "trance": Groove("four_on_floor", tempo=(128, 138), swing=0.0),
    "disco": Groove("four_on_floor", kit=0, tempo=(110, 122), swing=0.0),
    "drum and bass": Groove("backbeat", kit=24, tempo=(160, 176)),
    "dnb": Groove("backbeat", kit=24, tempo=(160, 176)),
    "swing": Groove(None, swing=0.3),
    "swung": Groove(None, swing=0.3),
    "shuffle": Groove(None, swing=0.3),
    "straight": Groove(None, swing=0.0),
    "bossa nova": Groove("clave", kit=40, tempo=(110, 140), swing=0.0),
    "bossa": Groove("clave", kit=40, tempo=(110, 140), swing=0.0),
    "brushes": Groove("jazz_swing", kit=40),
}

DRUM_WORDS: frozenset[str] = frozenset(
    {"drums", "drum", "percussion", "drum kit", "beat", "beats", "鼓", "打击乐", "架子鼓"}
)
