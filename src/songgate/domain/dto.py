"""TaskDto: the JSON a client reads for one task, rendered once per change.

The store keeps these bytes beside the task so that a batch fetch only
splices stored documents into the envelope, in the order asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson

from songgate.domain.task import Task

SUCCESS_PREFIX = b'{"code":"success","message":"","data":'
SUCCESS_ARRAY_PREFIX = SUCCESS_PREFIX + b"["


def render_task(task: Task) -> bytes:
    return orjson.dumps(
        {
            "task_id": task.id,
            "action": task.action.value,
            "status": task.status.value,
            "fail_reason": task.fail_reason,
            "submit_time": int(task.submit_time),
            "start_time": int(task.start_time),
            "finish_time": int(task.finish_time),
            "progress": f"{task.progress}%",
            "data": task.data,
        }
    )


def success_envelope(data: bytes) -> bytes:
    """``{"code":"success","message":"","data":<data>}`` around already-encoded JSON."""
    return SUCCESS_PREFIX + data + b"}"


def success_array_envelope(items: Sequence[bytes]) -> bytes:
    """The success envelope around a JSON array of already-encoded items, copied once
    (the envelope's head and tail join the first and last item, which are small)."""
    if not items:
        return SUCCESS_ARRAY_PREFIX + b"]}"
    parts = list(items)
    parts[0] = SUCCESS_ARRAY_PREFIX + parts[0]
    parts[-1] += b"]}"
    return b",".join(parts)
