"""Stems: a finished clip's parts as clips of their own (``task: "gen_stem"`` on a music
submit, or ``GET /suno/act/stems/{clip_id}``).

``stem_type_group_name`` ``Two`` gives the vocals and the instrumental (everything
else); ``Twelve`` gives every part the song has, one clip each (vocals, drums,
percussion, bass, guitar, keys, strings, synth, pads, fx, other). The engine mixed the
song from exactly these parts and kept each one, mastered, beside the clip: the stems
are its own parts, not a separation, and they sum back to the song. An extension has
one more part, ``Original``: the song it continues, up to the cut, as it sounds in the
extension. Each stem clip is titled ``"<title> - Vocals"`` and carries
``metadata.type: "stem"``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from songgate.domain.body_fields import BodyField, TextField, UrlField
from songgate.domain.clips import Clip, Owner, new_clip
from songgate.domain.fields import JsonObject, require_object
from songgate.domain.submit import ID_MAX_LENGTH, MusicSpec
from songgate.errors import InvalidRequest

GEN_STEM = "gen_stem"  # the music submit's ``task`` that asks for stems
TWO, TWELVE = "Two", "Twelve"
GROUPS = (TWO, TWELVE)
STEM_TASK_MAX = 64
GROUP_PATTERN = "^(|[Tt][Ww][Oo]|[Tt][Ww][Ee][Ll][Vv][Ee])$"  # what parse_group accepts

# Each part's name in a stem clip's title, in the order the clips are listed.
LABELS: dict[str, str] = {
    "vocals": "Vocals", "instrumental": "Instrumental", "drums": "Drums",
    "percussion": "Percussion", "bass": "Bass", "guitar": "Guitar", "keys": "Keys",
    "strings": "Strings", "synth": "Synth", "pads": "Pads", "fx": "FX", "other": "Other",
    "original": "Original",
    # parts only an upstream's stems name (the engine sings one voice, plays no brass)
    "backing_vocals": "Backing Vocals", "brass": "Brass", "woodwinds": "Woodwinds",
}
VOCALS, ORIGINAL = "vocals", "original"
# The stem clips planned for a relayed clip, whose parts only its channel knows: the
# upstream's answer fills those it has, by label; the rest are dropped when it answers.
RELAYED_PLAN: dict[str, tuple[str, ...]] = {
    TWO: (VOCALS, "instrumental", ORIGINAL),
    TWELVE: (VOCALS, "backing_vocals", "drums", "bass", "guitar", "keys", "percussion",
             "strings", "synth", "fx", "brass", "woodwinds", "pads", "other", ORIGINAL),
}

CLIP_ID = TextField("continue_clip_id", ID_MAX_LENGTH, "The finished clip to split into stems.",
                    blank_refusal="continue_clip_id is empty: name the clip to split into stems")
GROUP = TextField("stem_type_group_name", 16,
                  "`Two` (vocals and instrumental, the default) or `Twelve` (every part the "
                  "song has, one clip each).")
STEM_TASK = TextField("stem_task", STEM_TASK_MAX, "Accepted and kept; the groups decide.")
TASK = TextField("task", 32, "`gen_stem` asks for stems of `continue_clip_id`.")
NOTIFY_HOOK = UrlField("notify_hook",
                       "An http(s) URL told when the task ends (public hosts only).")
STEM_BODY: tuple[BodyField, ...] = (TASK, CLIP_ID, GROUP, STEM_TASK, NOTIFY_HOOK)


@dataclass(frozen=True, slots=True)
class StemSpec:
    clip_id: str
    group: str  # TWO or TWELVE
    stem_task: str
    notify_hook: str
    mv: str = ""  # the source clip's model, filled in at submission
    source: str = ""  # the clip whose kept parts are read (a concat's last part)
    # One entry per stem clip: {"id", "label", "parts"}, filled in at submission.
    stems: list[dict[str, Any]] = field(default_factory=list)
    callback_dialect: str = ""  # as MusicSpec's: "sunoapi" for /api/v1/vocal-removal
    origin_url: str = ""  # the split clip's audio, filled in at submission
    # A relayed clip's stems are made by the channel that made it: its name, and the
    # upstream's own ids of the clip and of the task that made it.
    channel: str = ""
    upstream_clip: str = ""
    upstream_task: str = ""

    def to_json(self) -> JsonObject:
        return asdict(self)

    @classmethod
    def from_json(cls, data: JsonObject) -> StemSpec:
        return cls(**data)


def asks_for_stems(body: Any) -> bool:
    """Whether a music submit's body is a ``gen_stem`` task."""
    return isinstance(body, dict) and body.get("task") == GEN_STEM


def parse_group(text: str) -> str:
    """``Two`` or ``Twelve`` (any case; empty is ``Two``)."""
    found = next((g for g in GROUPS if g.lower() == text.lower()), None)
    if text and found is None:
        raise InvalidRequest(f"stem_type_group_name {text[:32]!r} is not one of Two, Twelve")
    return found or TWO


def parse_stems(raw: Any) -> StemSpec:
    body = require_object(raw)
    return StemSpec(clip_id=CLIP_ID.read(body).strip(), group=parse_group(GROUP.read(body)),
                    stem_task=STEM_TASK.read(body), notify_hook=NOTIFY_HOOK.read(body))


def planned(kept: list[str], group: str) -> list[tuple[str, tuple[str, ...]]]:
    """The stem clips to make from the kept parts: (label key, parts summed), in order."""
    order = list(LABELS)
    kept = sorted(set(kept) & set(LABELS), key=order.index)
    if group == TWELVE:
        return [(name, (name,)) for name in kept]
    band = tuple(n for n in kept if n not in (VOCALS, ORIGINAL))
    plan: list[tuple[str, tuple[str, ...]]] = []
    if VOCALS in kept:
        plan.append((VOCALS, (VOCALS,)))
    if band:
        plan.append(("instrumental", band))
    if ORIGINAL in kept:
        plan.append((ORIGINAL, (ORIGINAL,)))
    return plan


def stem_label(title: str, stem_type: str = "") -> str:
    """The part an upstream stem clip holds, from its ``stem_type`` or its title's
    ``" - <Label>"`` ending; "" when neither names a known part."""
    by_label = {label.lower(): part for part, label in LABELS.items()}
    for text in (stem_type, title.rpartition(" - ")[2] if " - " in title else ""):
        part = by_label.get(text.strip().lower())
        if part is not None:
            return part
    return ""


def stem_clip(clip_id: str, label: str, owner: Owner, source: Clip, spec: StemSpec,
              created_at: float) -> Clip:
    """A stem clip, titled ``"<title> - <Label>"`` and tagged as its source."""
    metadata = source.get("metadata") or {}
    title = f"{source.get('title') or 'Untitled'} - {LABELS[label]}"
    shaped = MusicSpec(mv=spec.mv, prompt="", tags=str(metadata.get("tags") or ""),
                       negative_tags="", title=title, make_instrumental=label != VOCALS,
                       gpt_description_prompt="", continue_clip_id="", continue_at=None,
                       notify_hook="")
    clip = new_clip(clip_id, owner, shaped, created_at)
    clip["metadata"] = {**clip["metadata"], "type": "stem", "stem_from_id": spec.clip_id,
                        "stem_type_group_name": spec.group, "stem_type": LABELS[label]}
    return clip
