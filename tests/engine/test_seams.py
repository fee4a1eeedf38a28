"""The joins of an upload's extension and of a replaced span, on real noise: a loudness
step across the seam is evened out, and spans snap to bar lines."""

from __future__ import annotations

import numpy as np

from songgate.engine.infill import _matched_before, _snapped
from songgate.engine.master.mix import integrated_lufs
from songgate.engine.upload_extend import matched_at_seam, seam_step_db

RATE = 44_100


def noise(seconds: float, lufs: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    audio = rng.standard_normal((round(seconds * RATE), 2)).astype(np.float32) * 0.1
    return (audio * 10 ** ((lufs - integrated_lufs(audio, RATE)) / 20)).astype(np.float32)


def test_a_loudness_step_at_the_seam_is_evened_out_and_its_stems_alike() -> None:
    head, tail = noise(6, -22, 1), noise(10, -14, 2)
    assert abs(seam_step_db(head, tail, RATE) + 8) < 0.5  # the new part 8 LU louder
    stems = {"a": tail * 0.25, "b": tail * 0.75}
    matched, parts = matched_at_seam(head, tail, stems, RATE)
    assert abs(seam_step_db(head, matched, RATE)) < 0.5
    assert np.allclose(parts["a"] + parts["b"], matched, atol=1e-5)  # still the sum
    late = slice(round(7 * RATE), None)  # the correction has ramped away
    assert np.allclose(matched[late], tail[late], atol=1e-6)


def test_spans_snap_to_the_nearest_bar_lines_a_bar_apart_at_least() -> None:
    lines = [2.0 * k for k in range(16)]
    assert _snapped(lines, 6.3, 13.7, 2.0, 30.0) == (6.0, 14.0)
    assert _snapped(lines, 6.9, 7.2, 2.0, 30.0) == (6.0, 8.0)


def test_a_replaced_span_ends_at_the_loudness_of_what_follows() -> None:
    part, after = noise(10, -12, 3), noise(6, -19, 4)
    matched, parts = _matched_before(after, part, {"a": part}, RATE)
    assert abs(seam_step_db(matched, after, RATE)) < 0.5
    assert np.allclose(parts["a"], matched, atol=1e-6)
    early = slice(None, round(3 * RATE))  # the correction ramps in only towards the end
    assert np.allclose(matched[early], part[early], atol=1e-6)
