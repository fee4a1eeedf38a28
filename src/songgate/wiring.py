"""Everything a songgate process holds, built from settings in one place.

Components never see the whole :class:`Settings`: each takes the few values it
reads, as the small frozen settings type defined beside it, built here.

The API, the CLI and the runtime reach songgate through :class:`Services`, which holds
services only; the stores under them are built here and stay here (tests and benchmarks
that arrange or inspect stored state reach them through :func:`stores_of`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from songgate.clock import Clock, SystemClock
from songgate.config import Settings
from songgate.domain.addresses import parse_networks
from songgate.domain.credits import Prices
from songgate.lyrics.writer import LyricsWriter, OfflineWriter
from songgate.media.base import MediaBackend
from songgate.media.store import MediaStore
from songgate.metrics import Metrics
from songgate.providers.base import ProviderContext
from songgate.providers.chat_writer import ChatWriter
from songgate.providers.registry import ProviderRegistry, Router, provider_paths
from songgate.providers.relay.adapters import AdapterPool, HttpLimits
from songgate.providers.relay.catalog import ChannelCatalog
from songgate.providers.relay.collect import MediaCollector
from songgate.providers.relay.context import RelayContext, RelaySettings
from songgate.providers.relay.poller import RelayPoller
from songgate.service.accounts import AccountService
from songgate.service.auth import Authenticator
from songgate.service.channels import ChannelAdmin
from songgate.service.clip_actions import ClipActions
from songgate.service.concat import ConcatPlanner
from songgate.service.cover import CoverPlanner
from songgate.service.credits import CreditAdmin
from songgate.service.file_tasks import FileTaskRules, FileTasks
from songgate.service.health import HealthService
from songgate.service.limits import DefaultLimits, RateLimiter
from songgate.service.listing import TaskListing
from songgate.service.personas import PersonaService
from songgate.service.poll_answers import PollAnswers
from songgate.service.relayed_sources import RelayedSources
from songgate.service.stems import StemPlanner
from songgate.service.sunoapi import SunoApiService
from songgate.service.sunoapi_actions import SunoApiActions
from songgate.service.sunoapi_replace_section import SunoApiReplaceSection
from songgate.service.tasks import TaskRules, TaskService
from songgate.service.uploads import UploadService, UploadSettings
from songgate.service.webhooks import WebhookAdmin
from songgate.store.accounts import AccountStore
from songgate.store.channels import ChannelStore
from songgate.store.credits import CreditStore
from songgate.store.database import Database
from songgate.store.file_tasks import FileTaskStore
from songgate.store.hooks import HookStore
from songgate.store.leases import LeaseStore
from songgate.store.limits import LimitStore
from songgate.store.listing import ListingStore
from songgate.store.migrate import migrate
from songgate.store.personas import PersonaStore
from songgate.store.relay import RelayStore
from songgate.store.tasks import TaskStore
from songgate.store.uploads import UploadStore
from songgate.worker.hooks import HookDeliverer, WebhookSettings
from songgate.worker.runner import Worker, WorkerSettings


def task_rules(settings: Settings) -> TaskRules:
    return TaskRules(
        max_attempts=settings.max_attempts, timeout_seconds=settings.task_timeout_seconds,
        allow_private_hooks=settings.webhook_allow_private,
        fetch_max_ids=settings.fetch_max_ids,
    )


def upload_settings(settings: Settings) -> UploadSettings:
    return UploadSettings(
        max_bytes=settings.upload_max_bytes,
        fetch_seconds=settings.upload_fetch_timeout_seconds,
        decode_seconds=settings.upload_decode_timeout_seconds,
        allowed_networks=parse_networks(",".join(settings.upload_allowed_networks)),
        public_url=settings.resolved_public_url,
    )


def default_limits(settings: Settings) -> DefaultLimits:
    return DefaultLimits(requests_per_minute=settings.rate_limit_requests_per_minute,
                         tasks_in_flight=settings.rate_limit_tasks_in_flight)


def worker_settings(settings: Settings) -> WorkerSettings:
    return WorkerSettings(
        concurrency=settings.worker_concurrency, lease_seconds=settings.lease_seconds,
        heartbeat_seconds=settings.heartbeat_seconds,
        poll_interval_seconds=settings.poll_interval_seconds,
        reaper_interval_seconds=settings.reaper_interval_seconds,
        retry_delay_seconds=settings.retry_delay_seconds,
        shutdown_grace_seconds=settings.shutdown_grace_seconds,
        progress_write_interval_seconds=settings.progress_write_interval_seconds,
    )


def webhook_settings(settings: Settings) -> WebhookSettings:
    return WebhookSettings(
        timeout_seconds=settings.webhook_timeout_seconds,
        poll_seconds=settings.webhook_poll_seconds, concurrency=settings.webhook_concurrency,
        backoff_seconds=settings.webhook_backoff_seconds,
        retry_seconds=settings.webhook_retry_seconds,
        allow_private=settings.webhook_allow_private,
        ca_file=settings.webhook_ca_file,
    )


def relay_settings(settings: Settings) -> RelaySettings:
    return RelaySettings(
        poll_interval_seconds=settings.relay_poll_interval_seconds,
        batch_size=settings.relay_batch_size, missing_polls=settings.relay_missing_polls,
        breaker_failures=settings.relay_breaker_failures,
        breaker_cooldown_seconds=settings.relay_breaker_cooldown_seconds,
        backoff_max_seconds=settings.relay_backoff_max_seconds,
    )


def http_limits(settings: Settings) -> HttpLimits:
    """Bounds on every request to an upstream channel."""
    return HttpLimits(timeout=settings.relay_timeout_seconds,
                      max_bytes=settings.relay_max_response_bytes,
                      batch_size=settings.relay_batch_size)


def media_origins(settings: Settings) -> list[str]:
    """Where the dashboard's audio and images come from: songgate, and the object store
    when presigned redirects send browsers there."""
    origins = [settings.resolved_public_url]
    if settings.media_backend == "s3" and settings.s3_endpoint_url:
        origins.append(settings.s3_endpoint_url)
    return origins


def lyrics_writer(settings: Settings) -> LyricsWriter:
    """The chat-completions writer when one is configured (it falls back offline), else offline."""
    offline = OfflineWriter(warm=True)
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


@dataclass(frozen=True, slots=True)
class Stores:
    """The storage of one process, all over one database; only the wiring hands it out."""

    database: Database
    accounts: AccountStore
    tasks: TaskStore
    leases: LeaseStore
    channels: ChannelStore
    credits: CreditStore
    limits: LimitStore
    hooks: HookStore
    listing: ListingStore
    personas: PersonaStore
    uploads: UploadStore

    @classmethod
    def build(cls, database: Database, settings: Settings) -> Stores:
        return cls(
            database=database,
            accounts=AccountStore(database),
            tasks=TaskStore(database, cache_bytes=settings.fetch_cache_bytes,
                            notify_every_status=settings.webhook_every_status),
            leases=LeaseStore(database),
            channels=ChannelStore(database),
            credits=CreditStore(database),
            limits=LimitStore(database),
            hooks=HookStore(database),
            listing=ListingStore(database),
            personas=PersonaStore(database),
            uploads=UploadStore(database),
        )


@dataclass
class Services:
    settings: Settings
    clock: Clock
    metrics: Metrics
    media: MediaBackend
    accounts: AccountService
    authenticator: Authenticator
    limiter: RateLimiter
    task_service: TaskService
    clip_actions: ClipActions
    stems: StemPlanner
    personas: PersonaService
    uploads: UploadService
    listing: TaskListing
    credits: CreditAdmin
    channels: ChannelAdmin
    webhooks: WebhookAdmin
    health: HealthService
    _stores: Stores = field(repr=False)
    _catalog: ChannelCatalog = field(repr=False)

    @classmethod
    def build(
        cls, settings: Settings, clock: Clock | None = None, beside: Services | None = None
    ) -> Services:
        """Wire the process; connects lazily, so nothing touches the database yet.

        ``beside``: the services of the same process on another thread (serve's API, for
        its worker): their metrics and their turns to write are shared.
        """
        clock = clock or SystemClock()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        database = Database(
            settings.resolved_database_url, sqlite_synchronous=settings.sqlite_synchronous,
            pool_size=settings.db_pool_size, connect_timeout=settings.db_connect_timeout_seconds,
            sqlite_read_cache_mib=settings.sqlite_read_cache_mib,
            sqlite_busy_timeout=settings.sqlite_busy_timeout_seconds,
            statement_timeout=settings.db_statement_timeout_seconds,
            lock_timeout=settings.db_lock_timeout_seconds,
            write_turns=beside._stores.database.write_turns if beside is not None else None,
        )
        stores = Stores.build(database, settings)
        paths = provider_paths(settings.providers)
        router = Router(settings.routes, set(paths))
        catalog = ChannelCatalog(stores.channels, clock)
        accounts = AccountService(stores.accounts, clock)
        media = media_store(settings)
        personas = PersonaService(stores.tasks, stores.personas, media, clock, stores.credits,
                                  Prices(settings.prices))
        concat = ConcatPlanner(stores.tasks, media)
        stems = StemPlanner(stores.tasks, RelayStore(database), media, stores.channels)
        return cls(
            settings=settings,
            clock=clock,
            metrics=beside.metrics if beside is not None else Metrics(),
            media=media,
            accounts=accounts,
            authenticator=Authenticator(
                stores.accounts, clock, cache_seconds=settings.token_cache_seconds
            ),
            limiter=RateLimiter(stores.limits, default_limits(settings), clock),
            task_service=TaskService(stores.tasks, router, task_rules(settings), clock, catalog,
                                     Prices(settings.prices), personas, concat, stems,
                                     cover=CoverPlanner(stores.tasks),
                                     relayed=RelayedSources(stores.tasks, RelayStore(database),
                                                            stores.channels),
                                     answers=PollAnswers(
                                         max_total_bytes=settings.poll_answer_bytes)),
            clip_actions=ClipActions(
                stores.tasks, RelayStore(database), media, stores.credits,
                Prices(settings.prices), clock,
                FileTasks(stores.tasks, FileTaskStore(database), RelayStore(database), media,
                          router, Prices(settings.prices),
                          FileTaskRules(settings.max_attempts, settings.task_timeout_seconds),
                          clock)),
            stems=stems,
            personas=personas,
            uploads=UploadService(stores.tasks, stores.uploads, stores.accounts, media,
                                  Prices(settings.prices), clock, upload_settings(settings)),
            listing=TaskListing(stores.listing),
            credits=CreditAdmin(stores.accounts, stores.credits, clock),
            channels=ChannelAdmin(stores.channels, clock, http_limits(settings)),
            webhooks=WebhookAdmin(stores.hooks, accounts, clock),
            health=HealthService(stores.tasks),
            _stores=stores,
            _catalog=catalog,
        )

    def sunoapi(self) -> SunoApiService:
        """sunoapi.org's dialect over this process's tasks, credits and clip actions."""
        return SunoApiService(self.task_service, self._stores.tasks, self._stores.credits,
                              self.clip_actions)

    def sunoapi_actions(self, dialect: SunoApiService) -> SunoApiActions:
        """The dialect's MIDI and persona routes over ``dialect``'s tasks."""
        return SunoApiActions(dialect, self._stores.tasks, self.clip_actions, self.personas,
                              self.media)

    def sunoapi_replace_section(self) -> SunoApiReplaceSection:
        """The dialect's replace-section over this process's tasks."""
        return SunoApiReplaceSection(self.task_service, self._stores.tasks)

    def relay_context(self) -> RelayContext:
        """Channels, upstream jobs and protocol adapters for a process that runs tasks."""
        return RelayContext(
            catalog=self._catalog,
            jobs=RelayStore(self._stores.database,
                            notify_every_status=self.settings.webhook_every_status),
            adapters=AdapterPool(http_limits(self.settings)),
            settings=relay_settings(self.settings), clock=self.clock,
        )

    def relay_poller(self, relay: RelayContext, *, holder: str) -> RelayPoller:
        settings = self.settings
        collector = MediaCollector(
            self.media, timeout=settings.relay_timeout_seconds,
            max_bytes=settings.relay_media_max_bytes,
            concurrency=settings.relay_download_concurrency,
        )
        return RelayPoller(relay, collector, self.metrics, self._stores.leases, holder)

    def provider_registry(self, relay: RelayContext | None = None) -> ProviderRegistry:
        context = ProviderContext(
            media=self.media, writer=lyrics_writer(self.settings),
            relay=relay or self.relay_context(),
        )
        return ProviderRegistry(provider_paths(self.settings.providers), context)

    def worker(self, registry: ProviderRegistry) -> Worker:
        """A worker that claims this database's tasks and runs them on ``registry``."""
        return Worker(self._stores.tasks, registry, worker_settings(self.settings), self.clock,
                      self.metrics,
                      leases=self._stores.leases)

    def hook_deliverer(self) -> HookDeliverer:
        """The loop that sends the webhook outbox's notifications."""
        return HookDeliverer(self._stores.hooks, webhook_settings(self.settings), self.clock)

    def on_new_task(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after each task this process's API commits (from its loop)."""
        self._stores.tasks.signals.forward(listener)

    def new_task_committed(self) -> None:
        """Tell this process's idle workers that a task arrived (one committed elsewhere)."""
        self._stores.tasks.signals.committed()

    async def migrate(self) -> None:
        await migrate(self._stores.database)

    async def close(self) -> None:
        await self.uploads.close()
        await self._stores.database.dispose()
        await self.media.close()


def stores_of(services: Services) -> Stores:
    """The stores under ``services``, for tests and benchmarks that arrange or inspect stored
    state directly; songgate's own entry points go through the services."""
    return services._stores
