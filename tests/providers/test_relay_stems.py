"""Stems of relayed clips, through HTTP, on SQLite and PostgreSQL: the channel that made
the clip is asked for them (``suno-task``: a ``gen_stem`` music task; ``sunoapi-v1``: its
vocal removal), over real HTTP to fake upstreams on loopback, and the stems come back as
clips of our STEM task with our titles, their media copied here.
"""

from __future__ import annotations

from typing import Any

import httpx

from songgate.domain.accounts import Account
from songgate.domain.status import TaskStatus
from songgate.store.channels import ChannelStore
from songgate.wiring import Services, stores_of
from tests.support.fake_upstream import FakeUpstream
from tests.support.relay_harness import MUSIC, Relay, relay, settings, up  # noqa: F401 (fixtures)
from tests.support.relay_harness import answered_data as _data
from tests.support.relay_harness import relayed_to_success as _finished


async def _relayed_song(relay: Relay, client: httpx.AsyncClient,  # noqa: F811
                        up: FakeUpstream) -> tuple[str, dict[str, Any]]:  # noqa: F811
    """A song made through ``up`` (a trusted channel whose media are copied here): its
    task's id and its first clip."""
    await relay.add(up, media="copy", trusted=True)
    music_id = await _data(await client.post("/suno/submit/music", json=MUSIC))
    return music_id, (await _finished(relay, client, music_id))["data"][0]


async def test_stems_of_a_relayed_clip_are_made_by_its_channel(
    relay: Relay, client: httpx.AsyncClient, account: Account,  # noqa: F811
    up: FakeUpstream,  # noqa: F811
) -> None:
    _, clip = await _relayed_song(relay, client, up)
    upstream_music = up.submissions[0]["task_id"]

    stem_id = await _data(await client.post("/suno/submit/music", json={
        "task": "gen_stem", "continue_clip_id": clip["id"], "stem_type_group_name": "Twelve"}))
    stems = await _finished(relay, client, stem_id)
    sent = up.submissions[-1]
    upstream_clip = up.submissions[0]["task_id"]  # the fake's clips belong to its tasks
    assert upstream_clip == upstream_music
    if up.protocol == "suno-task":
        assert sent["path"] == "/suno/submit/music"
        assert sent["json"]["task"] == "gen_stem"
        assert sent["json"]["stem_type_group_name"] == "Twelve"
        asked_clip = sent["json"]["continue_clip_id"]
    else:
        assert sent["path"] == "/api/v1/vocal-removal/generate"
        assert sent["json"]["type"] == "split_stem" and sent["json"]["taskId"] == upstream_music
        asked_clip = sent["json"]["audioId"]
    assert asked_clip != clip["id"]  # the upstream's own id for our clip
    # only the parts the upstream made, in our order, titled and tagged here
    assert [c["title"] for c in stems["data"]] == [
        "Rain - Vocals", "Rain - Drums", "Rain - Bass", "Rain - Brass"]
    for made in stems["data"]:
        assert made["status"] == "complete" and made["metadata"]["type"] == "stem"
        assert made["metadata"]["stem_from_id"] == clip["id"]
        assert made["audio_url"].startswith("http://songgate.test/media/")
        copied = await client.get(made["audio_url"].removeprefix("http://songgate.test"))
        assert copied.status_code == 200 and copied.content.startswith(b"ID3")

    # the stems route finds the task already asked for; the other group makes a new one
    again = await _data(await client.get(f"/suno/act/stems/{clip['id']}",
                                         params={"stem_type_group_name": "Twelve"}))
    assert [c["id"] for c in again] == [c["id"] for c in stems["data"]]
    two_id = await _data(await client.get(f"/suno/act/stems/{clip['id']}"))
    two = await _finished(relay, client, two_id)
    assert [c["title"] for c in two["data"]] == ["Rain - Vocals", "Rain - Instrumental"]
    # a stem is not split again, relayed or not
    refused = await client.post("/suno/submit/music", json={
        "task": "gen_stem", "continue_clip_id": two["data"][0]["id"]})
    assert refused.status_code == 400 and "stem already" in refused.json()["message"]


async def test_the_dialects_vocal_removal_of_a_relayed_clip(
    relay: Relay, client: httpx.AsyncClient, account: Account,  # noqa: F811
    up: FakeUpstream,  # noqa: F811
) -> None:
    music_id, clip = await _relayed_song(relay, client, up)
    made = (await client.post("/api/v1/vocal-removal/generate", json={
        "taskId": music_id, "audioId": clip["id"], "type": "split_stem"})).json()
    assert made["code"] == 200, made
    task_id = made["data"]["taskId"]
    await relay.send()
    assert (await relay.poll_until_done(task_id)).status is TaskStatus.SUCCESS
    record = (await client.get("/api/v1/vocal-removal/record-info",
                               params={"taskId": task_id})).json()["data"]
    assert record["successFlag"] == "SUCCESS"
    urls = record["response"]
    for field in ("vocalUrl", "drumsUrl", "bassUrl", "brassUrl"):
        assert urls[field].startswith("http://songgate.test/media/"), field
    assert urls["guitarUrl"] is None and urls["woodwindsUrl"] is None


async def test_a_stem_the_upstream_does_not_make_is_no_clip(
    relay: Relay, client: httpx.AsyncClient, account: Account,  # noqa: F811
    up: FakeUpstream,  # noqa: F811
) -> None:
    _, clip = await _relayed_song(relay, client, up)
    stem_id = await _data(await client.post("/suno/submit/stem", json={
        "continue_clip_id": clip["id"], "stem_type_group_name": "Twelve"}))
    planned = await _data(await client.get(f"/suno/fetch/{stem_id}"))
    assert len(planned["data"]) == 15  # every part the group can hold, until it answers
    made = await _finished(relay, client, stem_id)
    kept = {c["id"] for c in made["data"]}
    dropped = [c["id"] for c in planned["data"] if c["id"] not in kept]
    assert len(dropped) == 11
    gone = await client.get(f"/suno/act/stems/{dropped[0]}")
    assert gone.status_code == 404 and gone.json()["code"] == "clip_not_exist"


async def test_stems_of_a_clip_whose_channel_is_gone_are_refused(
    relay: Relay, client: httpx.AsyncClient, account: Account,  # noqa: F811
    up: FakeUpstream, services: Services,  # noqa: F811
) -> None:
    _, clip = await _relayed_song(relay, client, up)
    assert await ChannelStore(stores_of(services).database).remove("up")
    answer = await client.post("/suno/submit/music", json={
        "task": "gen_stem", "continue_clip_id": clip["id"]})
    assert answer.status_code == 400
    assert answer.json()["message"] == (
        "stems are not available for this clip: the upstream channel that made it (up) is "
        "no longer configured, and this server kept none of its parts")
    listed = (await client.get("/songgate/tasks?action=stem")).json()["data"]
    assert listed["tasks"] == []
