"""Stems of clips the engine kept no parts of (and no channel can split), over HTTP:
refused with the reason, nothing made and nothing charged (the rendered case is
tests/e2e/test_stems_e2e.py)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from songgate.clock import ManualClock
from songgate.domain.accounts import Account
from songgate.domain.credits import Prices
from songgate.domain.status import Action
from songgate.domain.stems import parse_group, planned
from songgate.errors import InvalidRequest
from songgate.store.tables import relay_clips
from songgate.wiring import Services, stores_of
from tests.api.test_concat_api import finished


@pytest.mark.parametrize(("case", "status", "code", "message"), [
    ("unknown", 404, "clip_not_exist", "continue_clip_id names no clip of this account"),
    ("relayed", 400, "clip_action_refused",
     "stems are not available for this clip: the upstream channel that made it (up) is no "
     "longer configured, and this server kept none of its parts"),
    ("old", 400, "clip_action_refused",
     "this clip has no stems: it was made before this server kept each part of its songs"),
    ("blank", 400, "prompt_empty", "continue_clip_id is empty: name the clip to split into "
     "stems"),
])
async def test_refused_stems_make_and_charge_nothing(
    client: httpx.AsyncClient, services: Services, account: Account, clock: ManualClock,
    case: str, status: int, code: str, message: str,
) -> None:
    old = await finished(services, account, clock, {"prompt": "la", "title": "Neon"})
    relayed = await finished(services, account, clock, {"prompt": "la"})
    async with stores_of(services).database.write() as conn:
        await conn.execute(relay_clips.insert(), [
            {"clip_id": relayed, "channel": "up", "upstream_clip_id": "x-1"}])
    clip_id = {"unknown": str(uuid.uuid4()), "relayed": relayed, "old": old, "blank": " "}[case]
    answer = await client.post("/suno/submit/music", json={
        "task": "gen_stem", "continue_clip_id": clip_id, "stem_type_group_name": "Twelve"})
    assert answer.status_code == status
    assert answer.json() == {"code": code, "message": message, "data": None}
    if case != "blank":
        routed = await client.get(f"/suno/act/stems/{clip_id}")
        assert routed.status_code == status and routed.json()["code"] in (code,
                                                                         "clip_not_exist")
    listed = (await client.get("/songgate/tasks?action=stem")).json()["data"]
    assert listed["tasks"] == []


def test_two_is_vocals_and_the_rest_twelve_is_each_part() -> None:
    kept = ["other", "drums", "vocals", "bass", "keys"]
    assert planned(kept, "Two") == [("vocals", ("vocals",)),
                                    ("instrumental", ("drums", "bass", "keys", "other"))]
    assert [label for label, _ in planned(kept, "Twelve")] == [
        "vocals", "drums", "bass", "keys", "other"]
    assert planned(["drums", "bass"], "Two") == [("instrumental", ("drums", "bass"))]
    extension = planned(["vocals", "drums", "original"], "Two")
    assert extension[-1] == ("original", ("original",))
    assert (parse_group(""), parse_group("twelve"), parse_group("TWO")) == (
        "Two", "Twelve", "Two")
    with pytest.raises(InvalidRequest):
        parse_group("Six")


def test_stems_have_their_own_price_key() -> None:
    prices = Prices({"MUSIC": "10", "STEM": "3", "STEM/chirp-auk": "4"})
    assert prices.price(Action.STEM) == 3 and prices.price(Action.STEM, "chirp-auk") == 4
