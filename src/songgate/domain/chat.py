"""The chat-completions shape (OpenAI's): a song request in, progress and the song out.

The last user message is the description of a MUSIC task in description mode; the answer
is the song in markdown: title, lyrics, and each clip's audio, video and cover links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from songgate.domain.fields import require_object
from songgate.domain.models import DEFAULT_MV, MODEL_VERSIONS
from songgate.errors import InvalidRequest, PromptEmpty

MAX_MESSAGES = 64
MAX_MESSAGE_CHARS = 20000
MAX_PARTS = 16  # of one message's content, when it is a list of parts
MODEL_ALIASES = ("songgate",)  # the default model version, for clients that need a name


@dataclass(frozen=True, slots=True)
class ChatRequest:
    description: str
    model: str  # as the client named it, echoed back
    mv: str
    stream: bool


def _text(content: Any) -> str:
    """A message's text: a string, or the text parts of a list of parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        if len(content) > MAX_PARTS or not all(isinstance(part, dict) for part in content):
            raise InvalidRequest(f"messages: a message's parts are at most {MAX_PARTS} objects")
        return "\n".join(part["text"] for part in content
                         if part.get("type") == "text" and isinstance(part.get("text"), str))
    if content is None:
        return ""
    raise InvalidRequest("messages: a message's content is a string or a list of parts")


def _model(body: dict[str, Any]) -> tuple[str, str]:
    model = body.get("model")
    if model is None:
        return "songgate", DEFAULT_MV
    if not isinstance(model, str):
        raise InvalidRequest("model must be a string")
    if model in MODEL_ALIASES:
        return model, DEFAULT_MV
    if model not in MODEL_VERSIONS:
        shown = model if len(model) <= 40 else model[:40] + "…"
        raise InvalidRequest(f"model {shown!r} is not one of songgate's: "
                             + ", ".join((*MODEL_ALIASES, *MODEL_VERSIONS)))
    return model, model


def parse_chat(raw: Any) -> ChatRequest:
    body = require_object(raw)
    model, mv = _model(body)
    stream = body.get("stream", False)
    if stream is None:
        stream = False
    if not isinstance(stream, bool):
        raise InvalidRequest("stream must be true or false")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise InvalidRequest("messages must be a non-empty list of {role, content}")
    if len(messages) > MAX_MESSAGES:
        raise InvalidRequest(f"messages: at most {MAX_MESSAGES}")
    last_user = ""
    for message in messages:
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            raise InvalidRequest("messages: each one is an object with a role and content")
        text = _text(message.get("content"))
        if len(text) > MAX_MESSAGE_CHARS:
            raise InvalidRequest(f"messages: a message is at most {MAX_MESSAGE_CHARS} characters")
        if message["role"] == "user":
            last_user = text
    description = " ".join(last_user.split())
    if not description:
        raise PromptEmpty("messages: the last user message is empty; say what song to make")
    limit = MODEL_VERSIONS[mv].description_max
    if len(description) > limit:
        raise InvalidRequest(f"messages: the last user message is the song's description; "
                             f"{mv} takes at most {limit} characters")
    return ChatRequest(description=description, model=model, mv=mv, stream=stream)


def completion_id(task_id: str) -> str:
    return f"chatcmpl-{task_id}"


def chunk(task_id: str, model: str, created: int, *, content: str = "",
          role: bool = False, finish: bool = False) -> dict[str, Any]:
    """One ``chat.completion.chunk`` of a streamed answer."""
    delta: dict[str, Any] = {}
    if role:
        delta["role"] = "assistant"
    if content:
        delta["content"] = content
    return {"id": completion_id(task_id), "object": "chat.completion.chunk",
            "created": created, "model": model,
            "choices": [{"index": 0, "delta": delta,
                         "finish_reason": "stop" if finish else None}]}


def completion(task_id: str, model: str, created: int, content: str) -> dict[str, Any]:
    """The whole ``chat.completion`` of an answer that is not streamed."""
    return {"id": completion_id(task_id), "object": "chat.completion", "created": created,
            "model": model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}}


def models_list(created: int) -> dict[str, Any]:
    """``GET /v1/models``: songgate's model names."""
    return {"object": "list",
            "data": [{"id": name, "object": "model", "created": created, "owned_by": "songgate"}
                     for name in (*MODEL_ALIASES, *MODEL_VERSIONS)]}


def progress_line(task: dict[str, Any]) -> str:
    """A TaskDto's status and progress (``"33%"``) as a line of the streamed answer."""
    status = str(task.get("status") or "").lower().replace("_", " ")
    return f"{status}: {task.get('progress') or '0%'}\n"


def _link(label: str, url: Any) -> str:
    return f"[{label}]({url})" if isinstance(url, str) and url else ""


def song_markdown(task: dict[str, Any]) -> str:
    """The finished task as the answer: title, lyrics, each clip's links; or why it failed."""
    if task.get("status") != "SUCCESS":
        return f"\nThe song could not be made: {task.get('fail_reason') or 'no reason given'}\n"
    clips = [c for c in task.get("data") or [] if isinstance(c, dict)]
    first = clips[0] if clips else {}
    title = first.get("title") or "Untitled"
    lyrics = (first.get("metadata") or {}).get("prompt") or ""
    lines = [f"\n## {title}\n"]
    if lyrics:
        lines.append(lyrics.strip() + "\n")
    for number, clip in enumerate(clips, start=1):
        links = [link for link in (_link("audio", clip.get("audio_url")),
                                   _link("video", clip.get("video_url"))) if link]
        lines.append(f"**Clip {number}**: " + " · ".join(links))
        cover = clip.get("image_large_url") or clip.get("image_url")
        if cover:
            lines.append(f"![cover]({cover})")
        lines.append("")
    return "\n".join(lines)
