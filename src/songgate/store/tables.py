"""The schema as SQLAlchemy Core tables. Alembic migrations create it; code reads it here."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
)

metadata = MetaData()

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("handle", String(64), nullable=False),
    Column("display_name", String(64), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", Float, nullable=False),
    Column("test_mode", Boolean, nullable=False, default=False, server_default=false()),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("hint", String(16), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=True),
    Column("revoked_at", Float, nullable=True),
)

tasks = Table(
    "tasks",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False),
    Column("action", String(16), nullable=False),
    Column("provider", String(64), nullable=False),
    Column("mv", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("progress", Integer, nullable=False),
    Column("fail_reason", Text, nullable=False),
    Column("submit_time", Float, nullable=False),
    Column("start_time", Float, nullable=False),
    Column("finish_time", Float, nullable=False),
    Column("request", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("lease_token", String(32), nullable=True),
    Column("lease_expires_at", Float, nullable=True),
    Column("deadline_at", Float, nullable=False),
    Column("run_after", Float, nullable=False),
    Column("dto", LargeBinary, nullable=False),  # the rendered TaskDto; holds the task's data
    Column("token_id", String(32), nullable=True),  # the token that submitted it (limits)
    # grows with every change of dto; on SQLite above every other row's (migration 0011's
    # trigger), so the newest versions name the latest changes
    Column("version", Integer, nullable=False, server_default="0"),
    Index("ix_tasks_claim", "status", "run_after"),
    Index("ix_tasks_lease", "status", "lease_expires_at"),
    Index("ix_tasks_deadline", "status", "deadline_at"),
    Index("ix_tasks_account_submit", "account_id", "submit_time"),
    Index("ix_tasks_account_id", "account_id", "id", unique=True),
    Index("ix_tasks_token_status", "token_id", "status"),
    # the changes since a version, newest last: what keeps polls' TaskDtos current (SQLite)
    Index("ix_tasks_changes", "version", "id").ddl_if(dialect="sqlite"),
    # a kept TaskDto's check by id, read by processes of the 0010 release (SQLite)
    Index("ix_tasks_fetch", "id", "version").ddl_if(dialect="sqlite"),
)

clips = Table(
    "clips",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("task_id", String(64), ForeignKey("tasks.id"), nullable=False),
    Column("account_id", String(36), nullable=False),
    Index("ix_clips_task", "task_id"),
)

leases = Table(
    "leases",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(128), nullable=False),
    Column("expires_at", Float, nullable=False),
)

channels = Table(
    "channels",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("protocol", String(16), nullable=False),
    Column("base_url", Text, nullable=False),
    Column("api_key", Text, nullable=False),  # used to call the upstream, so kept as given
    Column("priority", Integer, nullable=False),
    Column("weight", Integer, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("actions", String(32), nullable=False),  # "LYRICS,MUSIC"
    Column("models", Text, nullable=False),  # "" for every model
    Column("max_in_flight", Integer, nullable=False),
    Column("media", String(8), nullable=False),
    Column("trusted", Boolean, nullable=False, server_default=false()),  # private media too
    Column("failures", Integer, nullable=False),
    Column("open_until", Float, nullable=False),
    Column("last_error", Text, nullable=False),
    Column("last_error_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

# One row per task sent to an upstream channel: the upstream's task id stays here, never
# in the task's TaskDto. ``state``: submitting (sent, answer not recorded yet), polling,
# done. Rows stay after the task ends: continuing a relayed clip needs its channel.
relay_jobs = Table(
    "relay_jobs",
    metadata,
    Column("task_id", String(64), ForeignKey("tasks.id"), primary_key=True),
    Column("channel", String(64), nullable=False),
    Column("upstream_id", String(128), nullable=True),
    Column("state", String(16), nullable=False),
    Column("misses", Integer, nullable=False),
    Column("submitted_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_relay_jobs_state_channel", "state", "channel"),
)

# Our clip id -> the upstream's, for clips a channel produced (continuations go back there).
relay_clips = Table(
    "relay_clips",
    metadata,
    Column("clip_id", String(64), primary_key=True),
    Column("channel", String(64), nullable=False),
    Column("upstream_clip_id", String(128), nullable=False),
)

# A balance per account, kept beside the ledger so a submit checks and charges in one
# statement; it always equals the sum of the account's ledger amounts.
balances = Table(
    "balances",
    metadata,
    Column("account_id", String(36), ForeignKey("accounts.id"), primary_key=True),
    Column("balance", BigInteger, nullable=False),
    CheckConstraint("balance >= 0", name="ck_balances_not_negative"),
)

# Every change of a balance. A task is charged at most once and refunded at most once:
# (task_id, reason) is unique (topups have no task).
ledger = Table(
    "ledger",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False),
    Column("task_id", String(64), nullable=True),
    Column("amount", BigInteger, nullable=False),
    Column("reason", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Index("ix_ledger_account_created", "account_id", "created_at"),
    Index("ix_ledger_task_reason", "task_id", "reason", unique=True),
)

# The secret each account's webhook deliveries are signed with (songgate must sign with
# it, so it is kept as is); made on first use.
webhook_secrets = Table(
    "webhook_secrets",
    metadata,
    Column("account_id", String(36), ForeignKey("accounts.id"), primary_key=True),
    Column("secret", String(128), nullable=False),
    Column("created_at", Float, nullable=False),
)

# The outbox: one row per notification, written in the transaction that changed the task.
# state: pending (next_at says when to try), delivered, failed (gave up).
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("task_id", String(64), nullable=False),
    Column("account_id", String(36), nullable=False),
    Column("url", Text, nullable=False),
    Column("event", String(32), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_at", Float, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("seq", Integer, nullable=False),  # order of a task's notifications
    Column("finished_at", Float, nullable=True),
    Index("ix_webhook_deliveries_due", "state", "next_at"),
    Index("ix_webhook_deliveries_task", "task_id", "seq"),
)

# Every attempt of every delivery: the delivery log of a task.
webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("delivery_id", String(36), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("at", Float, nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("error", Text, nullable=False),
    Column("duration_ms", Integer, nullable=False),
    Index("ix_webhook_attempts_delivery", "delivery_id", "attempt"),
)

# Per-account overrides of the per-token limits (NULL: the configured default).
account_limits = Table(
    "account_limits",
    metadata,
    Column("account_id", String(36), ForeignKey("accounts.id"), primary_key=True),
    Column("requests_per_minute", Integer, nullable=True),
    Column("tasks_in_flight", Integer, nullable=True),
)

# Requests per token per one-minute window, shared by every API process.
rate_windows = Table(
    "rate_windows",
    metadata,
    Column("token_id", String(32), primary_key=True),
    Column("window", BigInteger, primary_key=True),  # minutes since the epoch
    Column("count", Integer, nullable=False),
)

# Personas: a clip's singer and style, kept by an account to sing new lyrics that way.
personas = Table(
    "personas",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("description", Text, nullable=False),
    Column("root_clip_id", String(64), nullable=False),
    Column("clips", Text, nullable=False),  # JSON list of clip ids, the root first
    Column("is_public", Boolean, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("voice", Text, nullable=False),  # JSON: tags, negative tags, seed, singer, weights
    Index("ix_personas_account", "account_id", "created_at"),
)

# Files a client is uploading (POST /suno/uploads/audio, then the bytes, then finish):
# ``state`` waiting, then uploaded once its clip exists (``task_id`` and ``clip_id``).
uploads = Table(
    "uploads",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False),
    Column("extension", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("task_id", String(64), nullable=True),
    Column("clip_id", String(64), nullable=True),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
)
