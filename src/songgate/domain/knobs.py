"""The knobs of a MUSIC submit beyond its words: who sings and how strongly the style leads.

``vocal_gender`` (``m``/``f``) chooses the singer. The three weights are bounded to
[0, 1]; 0.5, or leaving one out, asks for the engine's ordinary song:

- ``style_weight``: how strongly the tags lead. Above 0.5 the tempo, energy and swing
  the tags call for are pushed further from a plain pop feel (at 1, twice as far);
  below it they are drawn towards it (at 0, a plain pop feel in the tags' genre).
- ``weirdness_constraint``: how far the song strays from its genre. Above 0.5 the
  chords come from another genre and the groove is pushed off the beat, more often
  and further the higher it is; below it only the genre's first progression is used
  and the swing is straightened.
- ``audio_weight``: how much a reference audio leads. The offline engine's only
  reference is the clip an extension continues, whose style it always keeps, so it
  reads this weight nowhere; it is passed on to upstream channels.
"""

from __future__ import annotations

from dataclasses import dataclass

from songgate.domain.body_fields import BodyField, ChoiceField, NumberField, TextField
from songgate.domain.fields import JsonObject

VOCAL_GENDER = ChoiceField("vocal_gender", ("m", "f"),
                           "The singer: m (male) or f (female); absent: the engine's choice.")
STYLE_WEIGHT = NumberField("style_weight", 0, 1,
                           "How strongly the tags lead (0.5 or absent: as the tags say).")
WEIRDNESS = NumberField("weirdness_constraint", 0, 1,
                        "How far the song strays from its genre (0.5 or absent: not at all).")
AUDIO_WEIGHT = NumberField("audio_weight", 0, 1,
                           "How much a reference audio leads (passed on to upstream channels).")

PERSONA_ID = TextField("persona_id", 64,
                       "Sing and arrange as this persona (POST /suno/persona/create/) does.")

KNOB_FIELDS: tuple[BodyField, ...] = (VOCAL_GENDER, STYLE_WEIGHT, WEIRDNESS, AUDIO_WEIGHT,
                                      PERSONA_ID)


@dataclass(frozen=True, slots=True)
class Knobs:
    vocal_gender: str = ""
    style_weight: float | None = None
    weirdness_constraint: float | None = None
    audio_weight: float | None = None
    persona_id: str = ""


def parse_knobs(body: JsonObject) -> Knobs:
    return Knobs(
        vocal_gender=VOCAL_GENDER.read(body),
        style_weight=STYLE_WEIGHT.read(body),
        weirdness_constraint=WEIRDNESS.read(body),
        audio_weight=AUDIO_WEIGHT.read(body),
        persona_id=PERSONA_ID.read(body).strip(),
    )
