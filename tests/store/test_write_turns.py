"""The process's turn to write: one holder at a time, in arrival order, across loops."""

from __future__ import annotations

import asyncio
import threading

from songgate.store.write_turns import WriteTurns


async def test_turns_are_granted_one_at_a_time_in_arrival_order() -> None:
    turns = WriteTurns()
    order: list[int] = []

    async def write(n: int) -> None:
        await turns.acquire()
        order.append(n)
        await asyncio.sleep(0)
        order.append(n)
        turns.release()

    await asyncio.gather(*(write(n) for n in range(5)))
    assert order == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


async def test_a_waiter_that_gives_up_passes_the_turn_on() -> None:
    turns = WriteTurns()
    await turns.acquire()
    quitter = asyncio.create_task(turns.acquire())
    patient = asyncio.create_task(turns.acquire())
    await asyncio.sleep(0)
    quitter.cancel()
    turns.release()
    await asyncio.wait_for(patient, 5)
    assert quitter.cancelled()
    turns.release()
    await asyncio.wait_for(turns.acquire(), 5)  # free again


async def test_a_turn_held_on_one_loop_holds_writers_on_another() -> None:
    turns = WriteTurns()
    await turns.acquire()
    events: list[str] = []
    other_started = threading.Event()

    def other_loop() -> None:
        async def write() -> None:
            other_started.set()
            await turns.acquire()
            events.append("other wrote")
            turns.release()
        asyncio.run(write())

    thread = threading.Thread(target=other_loop)
    thread.start()
    await asyncio.to_thread(other_started.wait, 5)
    await asyncio.sleep(0.05)
    events.append("first wrote")
    turns.release()
    await asyncio.to_thread(thread.join, 5)
    assert events == ["first wrote", "other wrote"]
