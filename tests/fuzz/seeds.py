"""Tasks in every state a client can see, made through the API of a real songgate.

The fuzzer invents its own requests; these give its reads something real to find:
finished, failed and running tasks of both actions, an extension of a clip, and
published media files to ask ranges of.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.support.server import Process, api_data, wait_task

# (action, body, whether it ends): the scripted provider reads its directive from a MUSIC
# title or a LYRICS prompt
SEEDS: list[tuple[str, dict[str, object], bool]] = [
    ("music", {"prompt": "[Verse]\nSunday light", "tags": "salsa", "title": "plain"}, True),
    ("music", {"prompt": "[Chorus]\nla la", "title": "script:files=1"}, True),
    ("music", {"gpt_description_prompt": "a rainy night", "mv": "chirp-auk"}, True),
    ("music", {"make_instrumental": True, "tags": "lo-fi", "title": "script:fail=final"}, True),
    ("music", {"prompt": "still going", "title": "script:hang=1"}, False),
    ("lyrics", {"prompt": "a happy weekend"}, True),
    ("lyrics", {"prompt": "script:fail=final"}, True),
]


@dataclass
class Seeded:
    task_ids: list[str] = field(default_factory=list)
    media_names: list[str] = field(default_factory=list)


def seed_tasks(server: Process) -> Seeded:
    seeded = Seeded()
    ended: list[str] = []
    for action, body, ends in SEEDS:
        task_id = api_data(server, "POST", f"/suno/submit/{action}", body)
        seeded.task_ids.append(task_id)
        if ends:
            ended.append(task_id)
    tasks = [wait_task(server, task_id, timeout=60) for task_id in ended]
    source = next(t for t in tasks if t["status"] == "SUCCESS" and t["action"] == "MUSIC")
    extension = api_data(server, "POST", "/suno/submit/music", {
        "prompt": "[Bridge]\nonce more", "continue_clip_id": source["data"][0]["id"],
        "continue_at": 10, "task_id": source["task_id"]})
    seeded.task_ids.append(wait_task(server, extension, timeout=60)["task_id"])
    for task in tasks:
        if task["action"] == "MUSIC" and task["status"] == "SUCCESS":
            seeded.media_names += [clip["audio_url"].rsplit("/", 1)[-1] for clip in task["data"]]
    return seeded
