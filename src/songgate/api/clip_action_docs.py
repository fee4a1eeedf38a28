"""The OpenAPI entries of the routes that act on a finished clip (``/suno/act/...``)."""

from __future__ import annotations

from songgate.api.openapi import TOKEN, RouteDoc, caller_errors, success
from songgate.api.openapi_schemas import UUID_PATTERN, Schema, ref
from songgate.domain.stems import GROUP_PATTERN

ALIGNED_WORD: Schema = {
    "type": "object",
    "required": ["word", "start_s", "end_s", "success", "p_align"],
    "properties": {
        "word": {"type": "string", "description": "A sung word, as the lyrics write it."},
        "start_s": {"type": "number", "description": "Where its sound begins, in seconds."},
        "end_s": {"type": "number", "description": "Where its last note ends, in seconds."},
        "success": {"type": "boolean"},
        "p_align": {"type": "number", "minimum": 0, "maximum": 1},
    },
}

TIMING: Schema = {
    "type": "object",
    "required": ["aligned_words", "waveform_data"],
    "properties": {
        "aligned_words": {"type": "array", "items": ALIGNED_WORD},
        "waveform_data": {"type": "array", "items": {"type": "number", "minimum": 0,
                                                      "maximum": 1},
                          "description": "The song's peak level in equal slices, 0 to 1."},
        "hoot_cer": {"type": "number"},
        "is_streamed": {"type": "boolean"},
    },
}

CLIP_ERRORS = ((400, ("clip_action_refused",)), (403, ("account_disabled", "quota_not_enough")),
               (404, ("clip_not_exist",)))


def clip_timing() -> RouteDoc:
    return RouteDoc(
        operation_id="clip_timing",
        summary="A clip's timed lyrics",
        description=("Each sung word in order (section labels are not words) with the "
                     "second its sound begins and the end of its last note, from the "
                     "engine's own note times, and the song's waveform. A clip of another "
                     "account is 404; an unfinished clip, or one an upstream channel made, "
                     "is 400 with the reason. Price key `ACT/timing`, charged only when answered."),
        responses={**success(TIMING, "The clip's words and waveform."),
                   **caller_errors(*CLIP_ERRORS)},
        openapi_extra={"security": TOKEN},
    )


_FILE_WHAT = {"wav": "WAV (16-bit PCM)", "mp4": "MP4 (lyric video)", "midi": "MIDI score"}


def clip_file(kind: str) -> RouteDoc:
    return RouteDoc(
        operation_id=f"clip_{kind}",
        summary=f"A clip's {_FILE_WHAT[kind]}",
        description=(f"`data` is the URL of the clip's {_FILE_WHAT[kind]} when the clip "
                     "has it; when it does not (a clip made before the file was published, "
                     "or one an upstream channel made), `data` is the id of a `FILE` task "
                     "that makes it: fetch the task, and once it succeeds its `data.url` is "
                     "the file (asking again meanwhile answers the same task). A clip of "
                     "another account is 404; an unfinished clip, or a file that cannot be "
                     "made (a relayed clip's MIDI: no upstream protocol carries it), is 400 "
                     f"with the reason. Price key `ACT/{kind}`, charged when the URL is "
                     "answered or the task submitted (refunded if it fails)."),
        responses={**success({"type": "string", "minLength": 1},
                             "The file's URL, or the id of the task that makes it."),
                   **caller_errors(*CLIP_ERRORS)},
        openapi_extra={"security": TOKEN},
    )



def clip_stems() -> RouteDoc:
    group = {"name": "stem_type_group_name", "in": "query", "required": False,
             "allowEmptyValue": True,
             "schema": {"type": "string", "maxLength": 16, "pattern": GROUP_PATTERN},
             "description": "`Two` (vocals and instrumental, the default) or `Twelve` (every "
                            "part the song has), any case."}
    answer = {"oneOf": [
        {"type": "array", "items": ref("Clip"),
         "description": "The stem clips (metadata.type `stem`), made or being made."},
        {"type": "string", "pattern": UUID_PATTERN,
         "description": "The id of the STEM task that makes them (fetch it)."},
    ]}
    return RouteDoc(
        operation_id="clip_stems",
        summary="A clip's stems",
        description=("The stem clips of the caller's finished clip, titled "
                     "`<title> - Vocals` and so on, if they were asked for already; else a "
                     "STEM task is made (as `task: gen_stem` on a music submit would) and "
                     "its id is the answer. The engine's stems are the song's own parts and "
                     "sum to it; a relayed clip's stems are made by the channel that made "
                     "it (`suno-task`, `sunoapi-v1`). A clip of another account is 404; an "
                     "unfinished clip, a stem, or one whose channel is gone is 400 with the "
                     "reason. Price "
                     "key `STEM`, charged when the task is made."),
        responses={**success(answer, "The stem clips, or the task that makes them."),
                   **caller_errors(*CLIP_ERRORS,
                                   (400, ("clip_action_refused", "invalid_request")),
                                   (503, ("no_available_channel", "service_unavailable")))},
        openapi_extra={"security": TOKEN, "parameters": [group]},
    )
