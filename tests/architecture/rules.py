"""songgate's import rules, as data, and the check that lists every import breaking them.

Edit the tables here when the house changes: the test in ``test_import_rules.py`` only
asks :func:`violations` for the real source tree and expects nothing back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tests.architecture.imports import Import, cycles, edges_between, within

ROOT = "songgate"

# Pure libraries: they import nothing of songgate but themselves and what is listed here
# (a shared module both the engine and the lyric writer read, for instance).
PURE_LIBRARIES: Mapping[str, frozenset[str]] = {
    "songgate.engine": frozenset(),
    # the lyric writer reads section markers with the engine's own vocabulary
    "songgate.lyrics": frozenset({"songgate.engine.text.markers"}),
    "songgate.client": frozenset(),
    "songgate.media": frozenset(),
    "songgate.analysis": frozenset(),  # checked once the package exists
}

# The domain is pure rules: itself and the exception tree.
DOMAIN = "songgate.domain"
DOMAIN_MAY_IMPORT = frozenset({"songgate.errors"})

# SQL stays in the store: no other module imports a database library.
STORE = "songgate.store"
DATABASE_LIBRARIES = frozenset({"sqlalchemy", "asyncpg", "aiosqlite", "alembic"})

# The entry points reach the store only through the services.
ENTRY_POINTS = frozenset({"songgate.api", "songgate.cli", "songgate.dashboard"})

# Settings know nothing of the media backends.
CONFIG = "songgate.config"
CONFIG_MAY_NOT_IMPORT = frozenset({"songgate.media"})

# Packages whose children may not import each other in a cycle.
ACYCLIC = ("songgate", "songgate.engine")

@dataclass(frozen=True)
class Rules:
    """The rules above as one value, so the checker can be tried on a made-up tree."""

    root: str = ROOT
    pure_libraries: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: dict(PURE_LIBRARIES))
    domain: str = DOMAIN
    domain_may_import: frozenset[str] = DOMAIN_MAY_IMPORT
    store: str = STORE
    database_libraries: frozenset[str] = DATABASE_LIBRARIES
    entry_points: frozenset[str] = ENTRY_POINTS
    config: str = CONFIG
    config_may_not_import: frozenset[str] = CONFIG_MAY_NOT_IMPORT
    acyclic: tuple[str, ...] = ACYCLIC


def violations(imports: Iterable[Import], rules: Rules = Rules()) -> list[str]:
    """Every broken rule, one line each (empty when the tree follows them all)."""
    imports = list(imports)
    found: list[str] = []
    ours = [i for i in imports if within(i.target, rules.root)]
    for library, extra in rules.pure_libraries.items():
        for i in ours:
            if within(i.importer, library) and not within(i.target, library) \
                    and not any(within(i.target, allowed) for allowed in extra):
                found.append(f"pure library: {i}")
    for i in ours:
        if within(i.importer, rules.domain) and not within(i.target, rules.domain) \
                and not any(within(i.target, allowed) for allowed in rules.domain_may_import):
            found.append(f"domain: {i}")
    for i in imports:
        if i.target.split(".")[0] in rules.database_libraries \
                and not within(i.importer, rules.store):
            found.append(f"database library outside the store: {i}")
    for i in ours:
        if any(within(i.importer, entry) for entry in rules.entry_points) \
                and within(i.target, rules.store):
            found.append(f"entry point imports the store: {i}")
    for i in ours:
        if within(i.importer, rules.config) \
                and any(within(i.target, banned) for banned in rules.config_may_not_import):
            found.append(f"config: {i}")
    for parent in rules.acyclic:
        for group in cycles(edges_between(ours, parent)):
            found.append(f"import cycle among {', '.join(group)}")
    return found
