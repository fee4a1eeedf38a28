"""The offline music engine: a pure library that turns tags and lyrics into a song.

It knows nothing of tasks, HTTP or the database; ``providers/local.py``
adapts it to the provider protocol. What it is asked for (``request.SongRequest``)
imports nothing heavy; the stages, each in its own package:

    style/parse.parse_style        tags → Style (genre preset, tempo, key, instruments, groove)
    text/form.parse_form           lyrics → Form (sections, lines, syllables)
    compose/score.compose          Style + Form + seed → Score (tracks of notes, vocal melody)
    render/midi.score_to_midi      Score → Standard MIDI File bytes
    render/instruments.render_score  Score → instrument audio (FluidSynth, or numpy voices)
    sing/vocals.sing               Score's vocal melody → sung audio
    master/mix                     mix, loudness to -14 LUFS, true peak ≤ -1 dBTP
    encode/                        WAV, MP3, covers, MP4
    song.make_song                 the whole pipeline, reporting each stage
"""
