"""Lyrics about their prompt: on-topic share, rhyme share and timings of the offline writer.

    .venv/bin/python -m benchmarks.lyrics_topic [--seeds N] [--show]

Over the held-out prompts of ``benchmarks._topic_prompts`` (44 English, 44
Chinese, none used by a test, and 40 + 40 "fresh" ones written after the
association lexicons were), ``write_song(prompt, seed)`` for seeds 1..N.
A song is on topic when at least two of its prompt's content words (all of
them when the prompt has fewer) appear in its title or lyrics: English
content words are the prompt's words of three letters or more that are not
function words, matched whole (a plural matches its singular); Chinese
content words are the prompt's words of two characters or more as jieba
cuts them (a place noun cut with its localizer 里/上/中 counts as the noun
alone: 车库里 is 车库), less a few function words, matched as substrings.
Rhyme share: English sections are read as AABB or ABAB, whichever rhymes
more, by the CMU dictionary; Chinese sections rhyme line to line by the
thirteen classes; the chorus is counted once. Timings: the first call per
language (the dictionaries load) apart, then every warm call; the baseline
is ``parse_form`` of the same text, the engine's reading of it.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Sequence

import jieba  # type: ignore[import-untyped]
import pronouncing  # type: ignore[import-untyped]

from benchmarks._common import fmt_ms, fmt_ratio, ratio, render_table, say
from benchmarks._topic_prompts import CHINESE, ENGLISH, FRESH_CHINESE, FRESH_ENGLISH
from songgate.engine.text.form import parse_form
from songgate.lyrics.rhyme_zh import rhymes as rhymes_zh
from songgate.lyrics.writer import WrittenSong, write_song


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string, space separated."""
    return frozenset(text.split())


TARGET_ON_TOPIC = 0.8
TARGET_RHYME = 0.8
_WORD = re.compile(r"[a-z']+")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_STOP_EN = _words(
    "a an the and or but of in on at to for from with by about into over under after before "
    "through across down up out off back away my our your his her their its this that these "
    "those who whom which what when where while song songs sing singing music tune track "
    "write written some any all every one two each very much more most just so too not never "
    "I me we you he she they it is are was were be been being have has had do does did i"
)
_STOP_ZH = _words("一首 关于 歌曲 一个 一起 之后 之前 一样 一天 一封 的 了 和 在 给 写 唱")


def content_words(prompt: str, language: str) -> list[str]:
    """The words the on-topic rule looks for, in prompt order, each once."""
    if language == "zh":
        words = [_without_localizer(w) for w in jieba.lcut(prompt)]
        words = [w for w in words if len(w) >= 2 and _HAN.fullmatch(w)]
        return list(dict.fromkeys(w for w in words if w not in _STOP_ZH))
    words = [w.removesuffix("'s") for w in _WORD.findall(prompt.lower())]
    return list(dict.fromkeys(w for w in words if len(w) >= 3 and w not in _STOP_EN))


def _without_localizer(word: str) -> str:
    """湖上 → 湖上, 车库里 → 车库: a place noun jieba cut with its 里/上/中 counts as the noun."""
    return word[:-1] if len(word) >= 3 and word[-1] in "里上中" else word


def found(word: str, song: WrittenSong) -> bool:
    sung = f"{song.title}\n{song.text}".lower()
    if song.language == "zh":
        return word in sung
    sung_words = set(_WORD.findall(sung))
    forms = {word, word + "s", word + "es", word.removesuffix("s"), word.removesuffix("es")}
    return bool(forms & sung_words)


def on_topic(prompt: str, song: WrittenSong) -> bool:
    words = content_words(prompt, song.language)
    hits = sum(found(word, song) for word in words)
    return hits >= min(2, len(words))


def _end_word(line: str) -> str:
    words = _WORD.findall(line.lower())
    return words[-1] if words else ""


def _rhyme_en(a: str, b: str) -> bool:
    end_a, end_b = _end_word(a), _end_word(b)
    parts_a = {pronouncing.rhyming_part(p) for p in pronouncing.phones_for_word(end_a)}
    parts_b = {pronouncing.rhyming_part(p) for p in pronouncing.phones_for_word(end_b)}
    return end_a != end_b and bool(parts_a & parts_b)


def rhyme_slots(song: WrittenSong) -> tuple[int, int]:
    """(rhyming slots, slots) of a song, the chorus once."""
    good = total = 0
    seen: set[str] = set()
    for section in parse_form(song.text).sections:
        lines = tuple(line.text for line in section.lines)
        if section.label in seen:
            continue
        seen.add(section.label)
        if song.language == "zh":
            pairs = [rhymes_zh(lines[i], lines[i + 1]) for i in range(len(lines) - 1)]
            good, total = good + sum(pairs), total + len(pairs)
        elif len(lines) == 4:
            aabb = _rhyme_en(lines[0], lines[1]) + _rhyme_en(lines[2], lines[3])
            abab = _rhyme_en(lines[0], lines[2]) + _rhyme_en(lines[1], lines[3])
            good, total = good + max(aabb, abab), total + 2
        elif len(lines) == 2:
            good, total = good + _rhyme_en(*lines), total + 1
    return good, total


def measure(prompts: Sequence[str], seeds: int, show: bool) -> list[str]:
    cold_start = time.perf_counter()
    write_song(prompts[0], 0)
    cold = time.perf_counter() - cold_start
    writes: list[float] = []
    parses: list[float] = []
    topical = songs = good = total = 0
    for prompt in prompts:
        for seed in range(1, seeds + 1):
            start = time.perf_counter()
            song = write_song(prompt, seed)
            writes.append(time.perf_counter() - start)
            start = time.perf_counter()
            parse_form(song.text)
            parses.append(time.perf_counter() - start)
            hit = on_topic(prompt, song)
            topical, songs = topical + hit, songs + 1
            rhyming, slots = rhyme_slots(song)
            good, total = good + rhyming, total + slots
            if show and seed == 1:
                say(f"--- {prompt!r} -> {song.title!r} ({'on' if hit else 'OFF'} topic; "
                    f"{song.tags})\n{song.text}")
    write_mean, parse_mean = statistics.fmean(writes), statistics.fmean(parses)
    return [
        f"{topical / songs:.2f} ({topical}/{songs})", f"{good / total:.2f} ({good}/{total})",
        fmt_ms(cold), fmt_ms(write_mean), fmt_ms(max(writes)), fmt_ms(parse_mean),
        fmt_ratio(ratio(write_mean, parse_mean)),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lyrics_topic",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5, help="songs per prompt")
    parser.add_argument("--show", action="store_true", help="print each prompt's first song")
    args = parser.parse_args(argv)
    rows = []
    sets = (("held-out", "en", ENGLISH), ("held-out", "zh", CHINESE),
            ("fresh", "en", FRESH_ENGLISH), ("fresh", "zh", FRESH_CHINESE))
    for name, language, prompts in sets:
        rows.append([f"{name} {language}", str(len(prompts)),
                     *measure(prompts, args.seeds, args.show)])
    say(f"offline writer over held-out prompts, seeds 1..{args.seeds}; targets: on topic >= "
        f"{TARGET_ON_TOPIC}, rhyme >= {TARGET_RHYME} per language; 'fresh' prompts were "
        "written after the association lexicons, 'cold' is the first call of the process "
        "only for the first set of each language")
    say(render_table(["set", "prompts", "on topic", "rhyme slots", "cold ms", "warm mean ms",
                      "warm max ms", "parse_form ms", "write/parse"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
