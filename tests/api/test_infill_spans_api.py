"""Replacing a span over HTTP, on both databases: the span rules (6 to 60 s, at most half
the clip, within it, ending after it starts) refused 400 with the reason in both
dialects, nothing made and nothing charged; a span within them is a priced MUSIC task
carrying its span (the rendered case is tests/e2e/test_infill_e2e.py)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain import task as rules
from songgate.domain.accounts import Account
from songgate.domain.ids import time_ordered_id
from songgate.domain.results import ClipOutput, MusicResult
from songgate.domain.submit import parse_music
from songgate.domain.uploads import UploadSpec, new_upload_task, upload_clip
from songgate.wiring import Services, stores_of
from tests.support.settings import scripted_settings

PRICE = 5
FUNDS = 100


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return scripted_settings(tmp_path, database_url, prices={"MUSIC": str(PRICE)})


async def clip_of(services: Services, account: Account, clock: ManualClock,
                  seconds: float) -> str:
    """A complete clip ``seconds`` long (its task made to succeed); its id."""
    task_id = str(uuid.uuid4())
    provider = f"p-{task_id[:8]}"
    task = rules.new_music_task(
        task_id=task_id, account_id=account.id, owner=account.owner,
        spec=parse_music({"prompt": "la la", "tags": "synthwave"}),
        clip_ids=[str(uuid.uuid4()) for _ in "ab"], provider=provider, now=clock.now(),
        max_attempts=1, timeout_seconds=10**9)
    tasks = stores_of(services).tasks
    await tasks.insert(task)
    [held] = await tasks.claim(now=clock.now(), lease_seconds=60, limit=1, providers=[provider])
    outputs = tuple(ClipOutput(c, "https://m/a.mp3", "https://m/i.jpeg", "https://m/il.jpeg",
                               "", seconds, title="Neon") for c in held.clip_ids)
    await tasks.succeed(task_id, held.lease_token or "", MusicResult(outputs), now=clock.now())
    return held.clip_ids[0]


@pytest.fixture
async def clip(services: Services, account: Account, clock: ManualClock) -> str:
    await stores_of(services).credits.topup(account.id, FUNDS, "test", now=clock.now())
    return await clip_of(services, account, clock, 100.0)


REFUSALS: list[tuple[dict[str, Any], str]] = [
    ({"infill_start_s": 20, "infill_end_s": 20}, "infill_end_s (20) must be after "
     "infill_start_s (20)"),
    ({"infill_start_s": 30, "infill_end_s": 20}, "must be after infill_start_s"),
    ({"infill_start_s": 20, "infill_end_s": 25}, "the span to replace lasts 5 s: it must "
     "last 6 to 60 s"),
    ({"infill_start_s": 20}, "infill_start_s and infill_end_s must be given together"),
    ({"infill_start_s": 90, "infill_end_s": 110}, "infill_end_s is 110 s but the clip "
     "lasts 100 s"),
    ({"infill_start_s": 0, "infill_end_s": 55}, "at most half the clip (50 s)"),
]


@pytest.mark.parametrize(("span", "reason"), REFUSALS)
async def test_a_bad_span_is_refused_with_its_reason_and_costs_nothing(
    client: httpx.AsyncClient, services: Services, account: Account, clip: str,
    span: dict[str, Any], reason: str,
) -> None:
    answer = await client.post("/suno/submit/music", json={
        "task": "infill", "continue_clip_id": clip, "continue_at": 1,
        "prompt": "[Verse]\nNew words", **span})
    assert answer.status_code == 400, answer.text
    assert reason in answer.json()["message"]
    assert await stores_of(services).credits.balance(account.id) == FUNDS
    listed = (await client.get("/songgate/tasks?action=music")).json()["data"]["tasks"]
    assert len(listed) == 1  # the clip's own task only


async def test_a_span_needs_its_clip(client: httpx.AsyncClient) -> None:
    answer = await client.post("/suno/submit/music", json={
        "prompt": "la", "infill_start_s": 10, "infill_end_s": 20})
    assert answer.status_code == 400
    assert "name it in continue_clip_id" in answer.json()["message"]


@pytest.mark.parametrize(("span", "reason"), [
    ({"infillStartS": 10, "infillEndS": 12}, "lasts 2 s: it must last 6 to 60 s"),
    ({"infillStartS": 10, "infillEndS": 75}, "lasts 65 s: it must last 6 to 60 s"),
    ({"infillStartS": 10}, "infillStartS and infillEndS are required"),
    ({"infillStartS": 60, "infillEndS": 120}, "infill_end_s is 120 s but the clip lasts"),
    ({"infillStartS": 12, "infillEndS": 10}, "must be after infill_start_s"),
])
async def test_replace_section_refuses_in_its_dialect(
    client: httpx.AsyncClient, services: Services, account: Account, clip: str,
    span: dict[str, Any], reason: str,
) -> None:
    answer = await client.post("/api/v1/generate/replace-section", json={
        "taskId": "t", "audioId": clip, "prompt": "[Verse]\nNew words", "tags": "pop",
        "title": "New", **span})
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == 400 and reason in answer.json()["msg"]
    assert await stores_of(services).credits.balance(account.id) == FUNDS


async def test_a_good_span_is_a_priced_music_task_carrying_it(
    client: httpx.AsyncClient, services: Services, account: Account, clip: str,
) -> None:
    gateway = await client.post("/suno/submit/music", json={
        "task": "infill", "continue_clip_id": clip, "continue_at": 20,
        "prompt": "[Verse]\nNew words", "infill_start_s": 20, "infill_end_s": 40})
    assert gateway.status_code == 200, gateway.text
    dialect = await client.post("/api/v1/generate/replace-section", json={
        "taskId": "t", "audioId": clip, "prompt": "[Verse]\nOther words", "tags": "",
        "title": "", "infillStartS": 50.5, "infillEndS": 100})
    assert dialect.status_code == 200, dialect.text
    tasks = stores_of(services).tasks
    for task_id, span in ((gateway.json()["data"], (20, 40)),
                          (dialect.json()["data"]["taskId"], (50.5, 100))):
        task = await tasks.get(task_id)
        assert task is not None
        spec = task.music_spec()
        assert (spec.infill_start_s, spec.infill_end_s) == span
        assert spec.continue_clip_id == clip
    dialect_spec = (await tasks.get(dialect.json()["data"]["taskId"])).music_spec()
    assert dialect_spec.tags == "synthwave" and dialect_spec.title == "Neon"  # the clip's
    assert await stores_of(services).credits.balance(account.id) == FUNDS - 2 * PRICE


async def upload_of(services: Services, account: Account, clock: ManualClock,
                    seconds: float) -> str:
    """An uploaded clip ``seconds`` long, stored as the upload service stores one; its id."""
    clip_id = str(uuid.uuid4())
    output = ClipOutput(clip_id, "https://m/u.mp3", "", "", "", seconds, title="Mine")
    task = new_upload_task(task_id=time_ordered_id(clock.now()), account_id=account.id,
                           clip=upload_clip(clip_id, account.owner, output, clock.now()),
                           spec=UploadSpec(source="file", extension="wav"), now=clock.now())
    await stores_of(services).tasks.insert(task)
    return clip_id


@pytest.mark.parametrize("task", ["upload_extend", "extend", None])
async def test_an_upload_is_extended_or_replaced_in_part_at_the_music_price(
    client: httpx.AsyncClient, services: Services, account: Account, clock: ManualClock,
    task: str | None,
) -> None:
    await stores_of(services).credits.topup(account.id, FUNDS, "test", now=clock.now())
    upload = await upload_of(services, account, clock, 40.0)
    extended = await client.post("/suno/submit/music", json={
        "task": task, "continue_clip_id": upload, "continue_at": 30, "prompt": "[Verse]\nOn"})
    assert extended.status_code == 200, extended.text
    replaced = await client.post("/suno/submit/music", json={
        "task": "infill", "continue_clip_id": upload, "continue_at": 8, "infill_start_s": 8,
        "infill_end_s": 20, "prompt": "[Verse]\nAnew"})
    assert replaced.status_code == 200, replaced.text
    past_its_end = await client.post("/suno/submit/music", json={
        "task": task, "continue_clip_id": upload, "continue_at": 41, "prompt": "la"})
    assert past_its_end.status_code == 400
    assert "the clip lasts 40 s" in past_its_end.json()["message"]
    assert await stores_of(services).credits.balance(account.id) == FUNDS - 2 * PRICE
    stored = await stores_of(services).tasks.get(extended.json()["data"])
    assert stored is not None and stored.music_spec().continue_clip_id == upload
