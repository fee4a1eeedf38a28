"""The dialect's names for songgate's models, knobs and task stages."""

from __future__ import annotations

from enum import StrEnum

# The dialect's model names and the model version each one runs here.
MODEL_VERSION_OF: dict[str, str] = {
    "V3_5": "chirp-v3-5", "V4": "chirp-v4", "V4_5": "chirp-auk", "V4_5PLUS": "chirp-bluejay",
    "V4_5ALL": "chirp-auk-turbo", "V5": "chirp-crow",
}
DEFAULT_MODEL = "V4"

# Each model version as the dialect names it. The dialect names no v3.0 and no v5.5:
# those go as the nearest it has.
MODEL_NAME_OF: dict[str, str] = {
    **{mv: name for name, mv in MODEL_VERSION_OF.items()},
    "chirp-v3-0": "V3_5", "chirp-fenix": "V5",
}

# The knobs: songgate's field name -> the dialect's.
KNOBS: dict[str, str] = {
    "vocal_gender": "vocalGender", "style_weight": "styleWeight",
    "weirdness_constraint": "weirdnessConstraint", "audio_weight": "audioWeight",
}

# songgate's request fields as the dialect names them, for messages a client reads.
FIELD_NAMES: dict[str, str] = {
    **KNOBS, "notify_hook": "callBackUrl", "negative_tags": "negativeTags", "tags": "style",
    "mv": "model", "make_instrumental": "instrumental", "gpt_description_prompt": "prompt",
    "continue_clip_id": "audioId", "continue_at": "continueAt", "persona_id": "personaId",
    "root_clip_id": "audioId",
}


class RecordStatus(StrEnum):
    """``data.status`` of a record-info answer."""

    PENDING = "PENDING"
    TEXT_SUCCESS = "TEXT_SUCCESS"  # the words are written, no song is finished yet
    FIRST_SUCCESS = "FIRST_SUCCESS"  # the first song is finished
    SUCCESS = "SUCCESS"
    CREATE_TASK_FAILED = "CREATE_TASK_FAILED"
    GENERATE_AUDIO_FAILED = "GENERATE_AUDIO_FAILED"
    GENERATE_LYRICS_FAILED = "GENERATE_LYRICS_FAILED"
    CALLBACK_EXCEPTION = "CALLBACK_EXCEPTION"
    SENSITIVE_WORD_ERROR = "SENSITIVE_WORD_ERROR"

    @property
    def failed(self) -> bool:
        return self.value.endswith(("FAILED", "ERROR", "EXCEPTION"))


class Stage(StrEnum):
    """``callbackType`` of a callback: the stages a task is told of, in order."""

    TEXT = "text"
    FIRST = "first"
    COMPLETE = "complete"
    ERROR = "error"
