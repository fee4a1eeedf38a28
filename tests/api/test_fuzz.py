"""Arbitrary JSON at every route: answers are envelopes with a client status, never a 500."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=80)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner,
                                                               max_size=5),
    max_leaves=20,
)
FIELDS = ["prompt", "tags", "title", "negative_tags", "mv", "make_instrumental",
          "gpt_description_prompt", "continue_clip_id", "continue_at", "notify_hook",
          "ids", "action"]
bodies = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6) | json_values
SHARED_CLIENT = [HealthCheck.function_scoped_fixture]  # one app for all examples is fine
ROUTES = ["/suno/submit/music", "/suno/submit/lyrics", "/suno/fetch"]


@settings(max_examples=150, deadline=None, suppress_health_check=SHARED_CLIENT)
@given(route=st.sampled_from(ROUTES), body=bodies)
async def test_any_json_gets_an_envelope(
    client: httpx.AsyncClient, route: str, body: object
) -> None:
    try:
        content = orjson.dumps(body)
    except (TypeError, orjson.JSONEncodeError):
        return
    response = await client.post(route, content=content)
    envelope = response.json()
    assert response.status_code in (200, 400, 404), (response.status_code, envelope)
    assert set(envelope) == {"code", "message", "data"}
    if response.status_code != 200:
        assert envelope["data"] is None and envelope["message"]


@settings(max_examples=60, deadline=None, suppress_health_check=SHARED_CLIENT)
@given(task_id=st.text(min_size=1, max_size=100).filter(lambda s: s not in (".", "..")))
async def test_any_task_id_in_the_path(client: httpx.AsyncClient, task_id: str) -> None:
    response = await client.get("/suno/fetch/" + quote(task_id, safe=""))
    assert response.status_code in (404, 400), response.text
    assert response.json()["data"] is None
