"""Suno model versions (``mv``) and the input limits each one accepts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ModelVersion:
    mv: str
    model_name: str
    major_model_version: str
    prompt_max: int
    tags_max: int
    negative_tags_max: int
    title_max: int
    description_max: int
    max_duration_seconds: int


# What a model version bounds, in the order it lists them: the names of its limits.
MODEL_LIMITS = ("prompt_max", "tags_max", "negative_tags_max", "title_max", "description_max",
                "max_duration_seconds")

_V3_LIMITS = {"prompt_max": 3000, "tags_max": 200, "negative_tags_max": 200, "title_max": 80}
_V45_LIMITS = {"prompt_max": 5000, "tags_max": 1000, "negative_tags_max": 1000, "title_max": 100}

MODEL_VERSIONS: dict[str, ModelVersion] = {
    m.mv: m
    for m in (
        ModelVersion("chirp-v3-0", "chirp-v3", "v3", **_V3_LIMITS,
                     description_max=200, max_duration_seconds=120),
        ModelVersion("chirp-v3-5", "chirp-v3", "v3.5", **_V3_LIMITS,
                     description_max=200, max_duration_seconds=240),
        ModelVersion("chirp-v4", "chirp-v4", "v4", **_V3_LIMITS,
                     description_max=200, max_duration_seconds=240),
        ModelVersion("chirp-auk", "chirp-auk", "v4.5", **_V45_LIMITS,
                     description_max=500, max_duration_seconds=480),
        ModelVersion("chirp-bluejay", "chirp-bluejay", "v4.5+", **_V45_LIMITS,
                     description_max=500, max_duration_seconds=480),
        ModelVersion("chirp-auk-turbo", "chirp-auk-turbo", "v4.5-all", **_V45_LIMITS,
                     description_max=500, max_duration_seconds=480),
        ModelVersion("chirp-crow", "chirp-crow", "v5", **_V45_LIMITS,
                     description_max=500, max_duration_seconds=480),
        ModelVersion("chirp-fenix", "chirp-fenix", "v5.5", **_V45_LIMITS,
                     description_max=500, max_duration_seconds=480),
    )
}

DEFAULT_MV = "chirp-v4"

