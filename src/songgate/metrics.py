"""Prometheus metrics, kept in a registry per process rather than a global."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from songgate.domain.status import TaskStatus

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
CLAIM_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "songgate_http_requests_total", "HTTP requests answered",
            ["method", "route", "status"], registry=self.registry,
        )
        self.request_seconds = Histogram(
            "songgate_http_request_duration_seconds", "Time to answer an HTTP request",
            ["method", "route"], buckets=LATENCY_BUCKETS, registry=self.registry,
        )
        self.tasks = Gauge(
            "songgate_tasks", "Tasks in the database by status", ["status"],
            registry=self.registry,
        )
        self.queue_depth = Gauge(
            "songgate_queue_depth", "Tasks submitted and waiting for a worker",
            registry=self.registry,
        )
        self.claim_seconds = Histogram(
            "songgate_task_claim_latency_seconds",
            "Time from a task becoming runnable to a worker claiming it",
            buckets=CLAIM_BUCKETS, registry=self.registry,
        )
        self.finished = Counter(
            "songgate_tasks_finished_total", "Tasks this process finished",
            ["action", "status"], registry=self.registry,
        )
        self.lease_lost = Counter(
            "songgate_lease_lost_total", "Runs abandoned because the lease was lost",
            registry=self.registry,
        )
        self.reaped = Counter(
            "songgate_reaped_total", "Tasks the reaper requeued or failed", ["outcome"],
            registry=self.registry,
        )
        self.relay_requests = Counter(
            "songgate_relay_requests_total", "Status requests sent to upstream channels",
            ["channel"], registry=self.registry,
        )
        self.relay_writes = Counter(
            "songgate_relay_task_writes_total", "Tasks changed by relay polling",
            ["channel"], registry=self.registry,
        )
        self.relay_poll_seconds = Histogram(
            "songgate_relay_poll_seconds", "How long one relay poll round of a channel took",
            ["channel"], registry=self.registry,
        )

    def set_task_counts(self, counts: dict[TaskStatus, int]) -> None:
        for status in TaskStatus:
            self.tasks.labels(status=status.value).set(counts.get(status, 0))
        self.queue_depth.set(counts.get(TaskStatus.SUBMITTED, 0))

    def render(self) -> bytes:
        return generate_latest(self.registry)
