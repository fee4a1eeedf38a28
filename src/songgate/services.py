"""Everything a songgate process holds, built from settings in one place."""

from __future__ import annotations

from dataclasses import dataclass

from songgate.clock import Clock, SystemClock
from songgate.config import Settings
from songgate.lyrics.writer import LyricsWriter, OfflineWriter
from songgate.media.base import MediaBackend
from songgate.media.store import MediaStore
from songgate.metrics import Metrics
from songgate.providers.base import ProviderContext
from songgate.providers.chat_writer import ChatWriter
from songgate.providers.registry import ProviderRegistry, Router, provider_paths
from songgate.service.auth import Authenticator
from songgate.service.tasks import TaskService
from songgate.store.accounts import AccountStore
from songgate.store.database import Database
from songgate.store.leases import LeaseStore
from songgate.store.migrate import migrate
from songgate.store.tasks import TaskStore


def lyrics_writer(settings: Settings) -> LyricsWriter:
    """The chat-completions writer when one is configured (it falls back offline), else offline."""
    offline = OfflineWriter()
    if not settings.lyrics_chat_url:
        return offline
    return ChatWriter(
        base_url=settings.lyrics_chat_url,
        api_key=settings.lyrics_chat_key,
        model=settings.lyrics_chat_model,
        timeout=settings.lyrics_chat_timeout_seconds,
        fallback=offline,
    )


def media_store(settings: Settings) -> MediaBackend:
    """The configured media store; API processes and workers must be configured alike."""
    if settings.media_backend == "local":
        return MediaStore(settings.resolved_media_dir, settings.resolved_public_url)
    from songgate.media.s3 import S3MediaStore  # boto3 is imported only when it is used

    return S3MediaStore(
        endpoint_url=settings.s3_endpoint_url,
        bucket=settings.s3_bucket,
        access_key=settings.s3_access_key,
        secret_key=settings.s3_secret_key.get_secret_value(),
        region=settings.s3_region,
        public_url=settings.resolved_public_url,
        mode=settings.s3_mode,
        scratch=settings.data_dir / "scratch",
    )


@dataclass
class Services:
    settings: Settings
    clock: Clock
    database: Database
    accounts: AccountStore
    tasks: TaskStore
    leases: LeaseStore
    task_service: TaskService
    authenticator: Authenticator
    metrics: Metrics
    media: MediaBackend

    @classmethod
    def build(cls, settings: Settings, clock: Clock | None = None) -> Services:
        """Wire the process; connects lazily, so nothing touches the database yet."""
        clock = clock or SystemClock()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        database = Database(
            settings.resolved_database_url, sqlite_synchronous=settings.sqlite_synchronous,
            pool_size=settings.db_pool_size, connect_timeout=settings.db_connect_timeout_seconds,
        )
        accounts = AccountStore(database)
        tasks = TaskStore(database, cache_bytes=settings.fetch_cache_bytes)
        paths = provider_paths(settings.providers)
        router = Router(settings.routes, set(paths))
        return cls(
            settings=settings,
            clock=clock,
            database=database,
            accounts=accounts,
            tasks=tasks,
            leases=LeaseStore(database),
            task_service=TaskService(tasks, router, settings, clock),
            authenticator=Authenticator(
                accounts, clock, cache_seconds=settings.token_cache_seconds
            ),
            metrics=Metrics(),
            media=media_store(settings),
        )

    def provider_registry(self) -> ProviderRegistry:
        context = ProviderContext(media=self.media, writer=lyrics_writer(self.settings))
        return ProviderRegistry(provider_paths(self.settings.providers), context)

    async def migrate(self) -> None:
        await migrate(self.database)

    async def close(self) -> None:
        await self.database.dispose()
        await self.media.close()
