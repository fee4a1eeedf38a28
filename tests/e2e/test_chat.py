"""The chat route through OpenAI's own Python client, against a real songgate on loopback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import openai
import pytest

from tests.support.server import Process, free_port, songgate_env, start

ASK = "a birthday song for Anna, upbeat pop"


@dataclass
class ChatServer:
    process: Process
    test_token: str  # of an account in test mode

    def client(self, token: str | None = None) -> openai.OpenAI:
        return openai.OpenAI(base_url=self.process.url + "/v1",
                             api_key=token or self.test_token, max_retries=0)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatServer]:
    data_dir = tmp_path_factory.mktemp("chat")
    process = start("serve", data_dir, port=free_port())

    def songgate(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "songgate", *args], capture_output=True,
                              text=True, env=songgate_env(data_dir), timeout=60,
                              check=True).stdout

    try:
        token = songgate("tokens", "create", "--account", "chatter",
                         "--create-account").splitlines()[0].strip()
        songgate("accounts", "test-mode", "chatter", "--on")
        yield ChatServer(process, token)
    finally:
        process.stop()


def test_a_song_whole(server: ChatServer) -> None:
    answer = server.client().chat.completions.create(
        model="chirp-v4", messages=[{"role": "system", "content": "you write songs"},
                                    {"role": "user", "content": ASK}])
    assert answer.object == "chat.completion" and answer.model == "chirp-v4"
    [choice] = answer.choices
    text = choice.message.content or ""
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    assert "## A birthday song for anna, upbeat" in text  # the title
    assert "This is a songgate test song" in text  # the lyrics
    assert text.count("[audio](http") == 2 and text.count("[video](http") == 2
    audio_url = text.split("[audio](")[1].split(")")[0]
    assert httpx.get(audio_url, timeout=10).headers["content-type"] == "audio/mpeg"


def test_a_song_streamed_with_its_progress(server: ChatServer) -> None:
    stream = server.client().chat.completions.create(
        model="songgate", stream=True, messages=[{"role": "user", "content": ASK}],
        extra_headers={"X-Songgate-Test-Outcome": "slow=0.3"})
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert len({c.id for c in chunks}) == 1 and chunks[0].id.startswith("chatcmpl-")
    assert chunks[-1].choices[0].finish_reason == "stop"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text.startswith("Making your song (task ")
    assert "in progress: 33%" in text and "in progress: 66%" in text  # the stages, in order
    assert text.index("33%") < text.index("66%") < text.index("## A birthday song")
    assert text.count("[audio](http") == 2


def test_a_failed_song_says_why(server: ChatServer) -> None:
    answer = server.client().chat.completions.create(
        model="songgate", messages=[{"role": "user", "content": ASK}],
        extra_headers={"X-Songgate-Test-Outcome": "failure=the singer has a cold"})
    assert "The song could not be made: the singer has a cold" in \
        (answer.choices[0].message.content or "")


def test_errors_reach_the_client_typed(server: ChatServer) -> None:
    client = server.client()
    with pytest.raises(openai.AuthenticationError):
        server.client("sk-" + "x" * 40).chat.completions.create(
            model="songgate", messages=[{"role": "user", "content": ASK}])
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": ASK}])
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="songgate",
                                       messages=[{"role": "user", "content": "  "}])
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(
            model="songgate", messages=[{"role": "user", "content": ASK}],
            extra_headers={"X-Songgate-Test-Outcome": "submit=429"})


def test_models_are_listed(server: ChatServer) -> None:
    names = [model.id for model in server.client().models.list()]
    assert names[0] == "songgate" and "chirp-v4" in names and "chirp-crow" in names


def test_an_account_not_in_test_mode_runs_the_configured_provider(server: ChatServer) -> None:
    """The first account is not in test mode: its song is the configured provider's (the
    scripted one of these tests), charged and routed like any submit."""
    answer = server.client(server.process.token).chat.completions.create(
        model="chirp-v4", messages=[{"role": "user", "content": ASK}])
    text = answer.choices[0].message.content or ""
    assert "## " in text and text.count("[audio](http") == 2


@pytest.fixture
def engine_server(tmp_path: Path) -> Iterator[Process]:
    process = start("serve", tmp_path, port=free_port(), SONGGATE_ROUTES="MUSIC=local",
                    SONGGATE_PROGRESS_WRITE_INTERVAL_SECONDS="0.5")
    yield process
    process.stop()


def test_a_real_song_from_the_engine_streamed(engine_server: Process) -> None:
    client = openai.OpenAI(base_url=engine_server.url + "/v1", api_key=engine_server.token,
                           max_retries=0, timeout=600)
    stream = client.chat.completions.create(
        model="chirp-v3-5", stream=True,
        messages=[{"role": "user", "content": "a short happy song about a cat, pop"}])
    text = "".join(c.choices[0].delta.content or "" for c in stream)
    assert "in progress: " in text and "\n## " in text, text
    lyrics = text.split("\n## ", 1)[1]
    assert "[Verse" in lyrics or "[Chorus" in lyrics, text
    urls = [part.split(")")[0] for part in text.split("[audio](")[1:]]
    assert len(urls) == 2
    audio = httpx.get(urls[0], timeout=30)
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/mpeg"
    assert len(audio.content) > 100_000  # a song, not a placeholder tone
