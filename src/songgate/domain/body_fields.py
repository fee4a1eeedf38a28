"""The fields of a request body, each described once.

A field says its name, its kind, its bounds, its default and what it means.
The domain's parsers read a body through these fields, and the API's OpenAPI
document shows the same fields (``api/openapi_schemas.py``), so a limit or a
kind written here is the one both enforce and publish. Rules that join several
fields (give this or that, these two together) stay with each parser.
"""

from __future__ import annotations

from dataclasses import dataclass

from songgate.domain.fields import (
    JsonObject,
    optional_bool,
    optional_number,
    optional_string,
    optional_url,
)
from songgate.domain.models import DEFAULT_MV, MODEL_LIMITS, MODEL_VERSIONS, ModelVersion
from songgate.errors import InvalidModelVersion, InvalidRequest, PromptEmpty

HOOK_URL_MAX = 2048


@dataclass(frozen=True, slots=True)
class PerModel:
    """A bound each model version sets for itself: one of :data:`MODEL_LIMITS`."""

    limit: str

    def __post_init__(self) -> None:
        if self.limit not in MODEL_LIMITS:
            raise ValueError(f"{self.limit!r} is not a model version's limit")

    def of(self, model: ModelVersion) -> int:
        value: int = getattr(model, self.limit)
        return value

    def widest(self) -> int:
        """The bound of the model version that allows the most."""
        return max(self.of(model) for model in MODEL_VERSIONS.values())


Bound = int | PerModel


def bound_for(bound: Bound, model: ModelVersion | None) -> int:
    if isinstance(bound, int):
        return bound
    if model is None:
        raise ValueError(f"{bound.limit} depends on the model version; none was given")
    return bound.of(model)


@dataclass(frozen=True, slots=True)
class TextField:
    """Text that may be absent or null (read as ""), at most ``max_length`` characters.

    With ``blank_refusal`` the text must hold more than blanks: the parser refuses
    a blank one with that message, the document lists the field as required.
    """

    name: str
    max_length: Bound
    description: str = ""
    blank_refusal: str = ""

    def read(self, body: JsonObject, model: ModelVersion | None = None) -> str:
        value = optional_string(body, self.name, max_length=bound_for(self.max_length, model))
        if self.blank_refusal and not value.strip():
            raise PromptEmpty(self.blank_refusal)
        return value


@dataclass(frozen=True, slots=True)
class UrlField:
    """An http(s) URL with a host, or nothing (read as ""); blanks around are trimmed."""

    name: str
    description: str
    max_length: int = HOOK_URL_MAX

    def read(self, body: JsonObject) -> str:
        return optional_url(body, self.name, max_length=self.max_length)


@dataclass(frozen=True, slots=True)
class FlagField:
    """true or false; absent or null is the default."""

    name: str
    default: bool = False
    description: str = ""

    def read(self, body: JsonObject) -> bool:
        return optional_bool(body, self.name, default=self.default)


@dataclass(frozen=True, slots=True)
class NumberField:
    """A finite number between the bounds, or nothing (absent or null: ``None``)."""

    name: str
    minimum: float
    maximum: Bound
    description: str = ""

    def read(self, body: JsonObject, model: ModelVersion | None = None) -> float | None:
        return optional_number(body, self.name, minimum=self.minimum,
                               maximum=bound_for(self.maximum, model))


@dataclass(frozen=True, slots=True)
class ModelField:
    """The model version, whose limits bound the other fields; absent, null or "": the default."""

    name: str
    description: str
    default: str = DEFAULT_MV

    def read(self, body: JsonObject) -> ModelVersion:
        mv = body.get(self.name)
        if mv is None or mv == "":
            return MODEL_VERSIONS[self.default]
        if not isinstance(mv, str):
            raise InvalidRequest(f"{self.name} must be a string")
        model = MODEL_VERSIONS.get(mv)
        if model is None:
            accepted = ", ".join(MODEL_VERSIONS)
            shown = mv if len(mv) <= 40 else mv[:40] + "…"
            raise InvalidModelVersion(
                f"{self.name} {shown!r} is not supported; accepted values: {accepted}")
        return model


@dataclass(frozen=True, slots=True)
class IgnoredField:
    """A field clients send that songgate accepts and does not read."""

    name: str
    description: str


@dataclass(frozen=True, slots=True)
class ChoiceField:
    """One of a few words (case as listed); absent, null or "": "" (no choice)."""

    name: str
    choices: tuple[str, ...]
    description: str = ""

    def read(self, body: JsonObject) -> str:
        value = body.get(self.name)
        if value is None or value == "":
            return ""
        if not isinstance(value, str) or value not in self.choices:
            listed = " or ".join(repr(choice) for choice in self.choices)
            raise InvalidRequest(f"{self.name} must be {listed}")
        return value


BodyField = (TextField | UrlField | FlagField | NumberField | ModelField | IgnoredField
             | ChoiceField)
