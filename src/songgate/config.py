"""Settings, read from ``SONGGATE_*`` environment variables.

Nothing is built at import time: :func:`load_settings` reads the environment
when asked, and everything else takes a :class:`Settings` value.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    FilePath,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from songgate.errors import ConfigError

ENV_PREFIX = "SONGGATE_"
# scheme://host[:port], as browsers send it in Origin: no path, no trailing slash
_ORIGIN = re.compile(r"https?://(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:[0-9]{1,5})?")


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    data_dir: Path = Path("data")
    database_url: str = ""  # empty: a SQLite file in data_dir
    media_dir: Path | None = None  # None: data_dir / "media"
    public_url: str = ""  # empty: http://{host}:{port}
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)

    fetch_max_ids: int = Field(default=1000, ge=1, le=100_000)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    token_cache_seconds: float = Field(default=5.0, ge=0)
    fetch_cache_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    # Whole answers to repeated batch polls, kept until the next commit (SQLite; 0: off)
    poll_answer_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    # The request line and headers together; a larger head is refused before it is read whole
    max_header_bytes: int = Field(default=32 * 1024, ge=4096, le=1024 * 1024)

    # Repeated bad tokens: after this many failed authentications in a window, a client
    # address is refused (429) until the window ends; counted per API process (0: off)
    bad_token_max_failures: int = Field(default=20, ge=0)
    bad_token_window_seconds: float = Field(default=60.0, gt=0)
    bad_token_max_addresses: int = Field(default=10_000, ge=1)  # remembered at once
    # Proxies (addresses or networks) whose X-Forwarded-For names the client; empty: none,
    # the client is the connection's peer
    trusted_proxies: tuple[str, ...] = ()
    # Origins whose pages may call the API from a browser (CORS); empty: none, "*": any
    cors_allowed_origins: tuple[str, ...] = ()

    lease_seconds: float = Field(default=30.0, gt=0)
    heartbeat_seconds: float = Field(default=10.0, gt=0)
    max_attempts: int = Field(default=3, ge=1)
    retry_delay_seconds: float = Field(default=5.0, ge=0)
    task_timeout_seconds: float = Field(default=1800.0, gt=0)
    reaper_interval_seconds: float = Field(default=5.0, gt=0)
    poll_interval_seconds: float = Field(default=0.5, gt=0)
    worker_concurrency: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    shutdown_grace_seconds: float = Field(default=10.0, ge=0)
    progress_write_interval_seconds: float = Field(default=1.0, ge=0)

    # name -> "module:attribute" of a provider factory
    providers: dict[str, str] = Field(default_factory=dict)
    # "MUSIC", "LYRICS" or "MUSIC/<mv>" -> provider name; by default the offline engine
    routes: dict[str, str] = Field(
        default_factory=lambda: {"MUSIC": "channels", "LYRICS": "channels"}
    )

    # Channels: the offline engine and upstream services tasks are routed to (``channels``
    # provider). A TOML file of channels, loaded into the database at start-up; optional.
    channels_file: Path | None = None
    relay_poll_interval_seconds: float = Field(default=5.0, gt=0)
    relay_batch_size: int = Field(default=100, ge=1, le=1000)  # upstream ids per status request
    relay_timeout_seconds: float = Field(default=30.0, gt=0)  # per upstream request
    relay_max_response_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    relay_missing_polls: int = Field(default=3, ge=1)  # polls an id may be left out before failing
    relay_breaker_failures: int = Field(default=3, ge=1)  # failures in a row that open the breaker
    relay_breaker_cooldown_seconds: float = Field(default=60.0, ge=0)
    relay_backoff_max_seconds: float = Field(default=300.0, gt=0)
    relay_media_max_bytes: int = Field(default=200 * 1024 * 1024, ge=1024)  # per copied file
    relay_download_concurrency: int = Field(default=4, ge=1, le=64)

    # Credits per task: "MUSIC", "LYRICS" or "MUSIC/<mv>" -> a whole number; empty: free
    prices: dict[str, str] = Field(default_factory=dict)
    # Webhooks (notify_hook): what is sent, where to, and for how long it is tried
    webhook_every_status: bool = False  # False: only SUCCESS and FAILURE
    webhook_allow_private: bool = False  # True: loopback and private addresses too (tests)
    # Uploads (POST /suno/uploads/...): the largest file, how long fetching a URL and each
    # ffmpeg run may take, and private networks (CIDRs) a URL may name, e.g. a private
    # deployment's own file server; the cloud metadata addresses stay refused
    upload_max_bytes: int = Field(default=100 * 1024 * 1024, ge=1024)
    upload_fetch_timeout_seconds: float = Field(default=60.0, gt=0)
    upload_decode_timeout_seconds: float = Field(default=120.0, gt=0)
    upload_allowed_networks: tuple[str, ...] = ()
    webhook_ca_file: FilePath | None = None  # PEM CAs trusted for https hooks, besides public roots
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_retry_seconds: float = Field(default=86400.0, gt=0)  # then a delivery gives up
    webhook_backoff_seconds: float = Field(default=5.0, gt=0)  # first retry after about this
    webhook_concurrency: int = Field(default=8, ge=1, le=256)
    webhook_poll_seconds: float = Field(default=1.0, gt=0)

    # Per-token limits (0: none), which `songgate accounts limits` can change per account
    rate_limit_requests_per_minute: int = Field(default=0, ge=0)
    rate_limit_tasks_in_flight: int = Field(default=0, ge=0)

    # The admin API (/admin/...) answers to this token; empty: the admin API is off
    admin_token: SecretStr = SecretStr("")

    # An OpenAI-compatible chat-completions endpoint that writes lyrics; empty: offline only
    lyrics_chat_url: str = ""  # base URL, e.g. http://127.0.0.1:11434/v1
    lyrics_chat_key: str = ""
    lyrics_chat_model: str = ""
    lyrics_chat_timeout_seconds: float = Field(default=20.0, gt=0)

    db_pool_size: int = Field(default=8, ge=1, le=200)  # per process, readers and writers each
    db_connect_timeout_seconds: float = Field(default=5.0, gt=0)
    # PostgreSQL sessions: a statement running longer, or waiting longer for a lock held
    # by another session, is cancelled and its request answered 503 (workers retry)
    db_statement_timeout_seconds: float = Field(default=30.0, gt=0, le=86400)
    db_lock_timeout_seconds: float = Field(default=5.0, gt=0, le=86400)

    # Where media live: "local" (media_dir) or "s3" (any S3-compatible object store), the
    # latter for API processes and workers on several machines
    media_backend: Literal["local", "s3"] = "local"
    s3_endpoint_url: str = ""  # empty: AWS; e.g. http://minio.internal:9000
    s3_bucket: str = Field(default="", validate_default=True)
    s3_access_key: str = ""  # empty (with the secret): boto3's own credential chain
    s3_secret_key: SecretStr = SecretStr("")
    s3_region: str = "us-east-1"
    # "proxy": songgate relays objects; "presign": it redirects to short-lived presigned URLs
    # (media.base.S3Mode names the same values; mypy checks they agree where wiring passes it)
    s3_mode: Literal["proxy", "presign"] = "proxy"

    sqlite_synchronous: str = "FULL"
    # How long a write waits for another connection's write lock before the request gets
    # 503 (and a worker retries its step); reads never wait for writers (WAL)
    sqlite_busy_timeout_seconds: float = Field(default=30.0, gt=0, le=3600)
    # Page cache of each API process's fetch reader, beyond what SQLite maps (2 GiB)
    sqlite_read_cache_mib: int = Field(default=256, ge=1, le=65536)
    log_level: str = "INFO"
    log_json: bool = True

    @field_validator("sqlite_synchronous")
    @classmethod
    def _known_synchronous(cls, value: str) -> str:
        value = value.upper()
        if value not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ValueError("must be OFF, NORMAL, FULL or EXTRA")
        return value

    @field_validator("trusted_proxies", "upload_allowed_networks")
    @classmethod
    def _known_networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network") from None
        return value

    @field_validator("cors_allowed_origins")
    @classmethod
    def _plain_origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        origins = tuple(item.lower() for item in value)
        for item in origins:
            if item != "*" and not _ORIGIN.fullmatch(item):
                raise ValueError(f"{item!r} is not an origin such as https://app.example.com")
        return origins

    @field_validator("s3_bucket")
    @classmethod
    def _bucket_for_s3(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("media_backend") == "s3" and not value:
            raise ValueError("a bucket is required when media_backend is s3")
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'songgate.db').resolve()}"

    @property
    def resolved_media_dir(self) -> Path:
        return self.media_dir if self.media_dir is not None else self.data_dir / "media"

    @property
    def resolved_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


_MAPPING_FIELDS = ("providers", "routes", "prices")
_LIST_FIELDS = ("trusted_proxies", "cors_allowed_origins", "upload_allowed_networks")


def _parse_mapping(name: str, text: str) -> dict[str, str]:
    """``a=x,b=y`` as a dict; commas and equals signs only as separators."""
    result: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ConfigError(f"{ENV_PREFIX}{name.upper()}: expected key=value, got {item!r}")
        result[key.strip()] = value.strip()
    return result


def load_settings(
    environ: Mapping[str, str] | None = None, **overrides: Any
) -> Settings:
    """Settings from ``environ`` (default: the process environment), then ``overrides``."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for field in Settings.model_fields:
        raw = env.get(ENV_PREFIX + field.upper())
        if raw is None:
            continue
        if field in _MAPPING_FIELDS:
            values[field] = _parse_mapping(field, raw)
        elif field in _LIST_FIELDS:
            values[field] = tuple(filter(None, (part.strip() for part in raw.split(","))))
        else:
            values[field] = raw
    values.update(overrides)
    try:
        return Settings(**values)
    except ValidationError as error:
        problems = "; ".join(
            f"{ENV_PREFIX}{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}"
            for e in error.errors()
        )
        raise ConfigError(problems) from None
