"""A cover: the same song in a new style, composed on what listening hears of it.

The source's audio is listened to (engine/listen; its vocal stem gives the tune when
there is one) and becomes a :class:`~songgate.engine.guide.Guide`: the analysed tempo,
meter, key, a chord per bar, the melody and the sections. Tags that name a tempo or a
key win over the analysis (a key moves the whole guide there; another mode keeps the
tune on the new scale and leaves the chords to the style). When the source's sung
words and their times are known (a song of this engine), the guide keeps them, so
each line sung again takes the tune it was sung to. The cover lasts about as long as
its song. Runs in the render child: it reads files and needs numpy.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import orjson

from songgate.engine.compose.guided_melody import bare
from songgate.engine.guide import Guide, GuideChord, GuideNote, GuideWord, guide_from_analysis
from songgate.engine.request import CoverSource, SongRequest
from songgate.engine.source import SourceAudio, read_source
from songgate.engine.style.parse import explicit_key, explicit_tempo

# A cover lasts about as long as its song: a new style's slower phrasing may need a little
# more, never a song's worth more (the model's own limit still holds).
LENGTH_ROOM = 1.15


def covered(request: SongRequest, source: SourceAudio | None = None) -> SongRequest:
    """``request`` guided by the song it covers (``source``: its audio, read already);
    unchanged when it covers none."""
    if request.cover is None:
        return request
    if source is None:
        source = read_source(request.cover.source_wav, request.listened_in)
    guide = listened(request.cover, source)
    longest = min(request.max_seconds, source.seconds * LENGTH_ROOM)
    return replace(request, guide=tagged(guide, request.tags), cover=None, max_seconds=longest)


def listened(cover: CoverSource, source: SourceAudio) -> Guide:
    """The guide heard in the covered song (its vocal stem gives the tune when it has one)."""
    guide = guide_from_analysis(source.analysis(melody=cover.melody_wav))
    return replace(guide, words=_words(cover.words_json, guide))


def _words(path: Path | None, guide: Guide) -> tuple[GuideWord, ...]:
    """The source's sung words (``aligned_words``: word, start_s, end_s) in guide beats."""
    if path is None or not path.is_file():
        return ()
    found = orjson.loads(path.read_bytes())
    if isinstance(found, dict):  # a timing document (engine/encode/timing.py)
        found = found.get("aligned_words")
    words = []
    for item in found if isinstance(found, list) else []:
        word = bare(str(item.get("word", "")))
        if word:
            words.append(GuideWord(word, round(guide.beat_at(float(item["start_s"])), 4),
                                   round(guide.beat_at(float(item["end_s"])), 4)))
    return tuple(words)


def tagged(guide: Guide, tags: str) -> Guide:
    """``guide`` in the tempo and key the tags name, where they name one."""
    tempo = explicit_tempo(tags)
    if tempo is not None:
        guide = replace(guide, tempo=tempo)
    tonic, mode = explicit_key(tags)
    if tonic is not None and tonic != guide.tonic:
        step = (tonic - guide.tonic + 6) % 12 - 6  # the nearer way: at most a tritone
        guide = replace(
            guide, tonic=tonic,
            chords=tuple(GuideChord((c.root + step) % 12, c.minor) for c in guide.chords),
            melody=tuple(GuideNote(n.start, n.beats, n.pitch + step) for n in guide.melody),
        )
    if mode is not None and mode is not guide.mode:
        guide = replace(guide, mode=mode, chords=())
    return guide
