"""The knobs a client gave go upstream under each protocol's names; none are invented."""

from __future__ import annotations

from pathlib import Path

from songgate.domain.accounts import Account
from songgate.domain.submit import parse_music
from songgate.providers.local import Source, Words, song_job
from tests.support.fake_upstream import FakeUpstream
from tests.support.relay_harness import MUSIC, Relay, relay, settings, up  # noqa: F401

KNOBS = {"vocal_gender": "f", "style_weight": 0.8, "weirdness_constraint": 0.2,
         "audio_weight": 0.6}


async def test_knobs_go_upstream(
    relay: Relay, account: Account, up: FakeUpstream  # noqa: F811
) -> None:
    await relay.add(up)
    await relay.submit(account, {**MUSIC, **KNOBS, "mv": "chirp-fenix"})
    await relay.send()
    await relay.submit(account, MUSIC)
    await relay.send()
    sent, plain = (item["json"] for item in up.submissions)
    if up.protocol == "suno-task":
        assert {k: sent[k] for k in KNOBS} == KNOBS and sent["mv"] == "chirp-fenix"
        assert not set(KNOBS) & set(plain)
    else:
        assert (sent["vocalGender"], sent["styleWeight"], sent["weirdnessConstraint"],
                sent["audioWeight"], sent["model"]) == ("f", 0.8, 0.2, 0.6, "V5")
        assert not {"vocalGender", "styleWeight", "weirdnessConstraint"} & set(plain)


def test_the_engine_is_asked_for_the_singer_and_the_weights(tmp_path: Path) -> None:
    spec = parse_music({**MUSIC, **KNOBS, "vocal_gender": "m"})
    words = Words(spec.prompt, spec.tags, spec.title, False)
    for clip_id in ("0b5a3e9c-0f5c-4a8e-9d0a-1c2b3d4e5f60", "7e0c2f1a-9b8d-4c6e-8a2b-3d4f5e6a7b8c"):
        song = song_job(spec, words, clip_id, tmp_path).song
        assert song.singer == "m" and song.style_weight == 0.8 and song.weirdness == 0.2


def test_an_extension_keeps_the_source_clips_singer_and_weights(tmp_path: Path) -> None:
    spec = parse_music({**MUSIC, "continue_clip_id": "c", "continue_at": 10})
    words = Words(spec.prompt, spec.tags, spec.title, False)
    source = Source(tmp_path / "c.wav", "jazz", "", 77, singer="m", style_weight=0.9,
                    weirdness=0.1)
    for clip_id in ("0b5a3e9c-0f5c-4a8e-9d0a-1c2b3d4e5f60", "7e0c2f1a-9b8d-4c6e-8a2b-3d4f5e6a7b8c"):
        song = song_job(spec, words, clip_id, tmp_path, source).song
        assert (song.singer, song.style_weight, song.weirdness, song.style_seed) == (
            "m", 0.9, 0.1, 77)
    chosen = parse_music({**MUSIC, "continue_clip_id": "c", "continue_at": 10,
                          "vocal_gender": "f"})
    assert song_job(chosen, words, clip_id, tmp_path, source).song.singer == "f"
