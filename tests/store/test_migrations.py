"""Migrations: the same schema as the code's tables on both backends, and additive only.

Additive means a migration may add tables, nullable or defaulted columns, indexes and
triggers, never drop, rename or retype anything: processes of the previous release keep serving
while the new schema is rolled out (``docs/deploy.md``, Upgrades).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

from songgate.store.migrate import MIGRATIONS_DIR
from songgate.store.tables import metadata
from songgate.wiring import Services, stores_of

ADDITIVE_OPS = {"create_table", "create_index", "add_column"}
READING_OPS = {"get_bind"}  # asks which database it runs on: changes nothing
VERSIONS = sorted((MIGRATIONS_DIR / "versions").glob("0*.py"))


def _of_another_dialect(diff: object, dialect: str) -> bool:
    """An index the tables keep for another database only (``Index.ddl_if``)."""
    if not (isinstance(diff, tuple) and diff[0] == "add_index"):
        return False
    [index] = [index for index in metadata.tables[diff[1].table.name].indexes
               if index.name == diff[1].name]  # the tables' own (a comparison copies it)
    wanted = index._ddl_if
    return wanted is not None and wanted.dialect is not None and wanted.dialect != dialect


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": False})
    dialect = connection.dialect.name
    return [diff for diff in compare_metadata(context, metadata)
            if not (isinstance(diff, tuple) and diff[0] == "remove_table"
                    and diff[1].name == "alembic_version")
            and not _of_another_dialect(diff, dialect)]


async def test_migrated_schema_matches_the_tables_the_code_uses(services: Services) -> None:
    async with stores_of(services).database.read() as conn:
        differences = await conn.run_sync(_differences)
    assert differences == []


def _operations(path: Path, function: str) -> list[tuple[str, ast.Call]]:
    tree = ast.parse(path.read_text())
    [body] = [node for node in tree.body
              if isinstance(node, ast.FunctionDef) and node.name == function]
    calls = []
    for node in ast.walk(body):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "op"):
            calls.append((node.func.attr, node))
    return calls


def _keyword(call: ast.Call, name: str) -> object:
    for keyword in call.keywords:
        if keyword.arg == name and isinstance(keyword.value, ast.Constant):
            return keyword.value.value
    return None


def _creates_trigger(path: Path, call: ast.Call) -> bool:
    """Whether ``op.execute``'s one argument is a module constant or literal that creates a
    trigger."""
    [argument] = call.args
    if isinstance(argument, ast.Name):
        tree = ast.parse(path.read_text())
        [argument] = [node.value for node in tree.body if isinstance(node, ast.Assign)
                      and any(isinstance(t, ast.Name) and t.id == argument.id
                              for t in node.targets)]
    sql = ast.literal_eval(argument)
    return isinstance(sql, str) and sql.lstrip().upper().startswith("CREATE TRIGGER ")


def test_there_are_migrations() -> None:
    assert [p.name[:4] for p in VERSIONS] == [f"{n:04d}" for n in range(1, len(VERSIONS) + 1)]


@pytest.mark.parametrize("path", VERSIONS, ids=lambda p: p.name)
def test_every_upgrade_is_additive(path: Path) -> None:
    operations = _operations(path, "upgrade")
    assert operations, f"{path.name} does nothing"
    for name, call in operations:
        if name in READING_OPS:
            continue
        if name == "execute":  # raw SQL: only a new trigger is additive
            assert _creates_trigger(path, call), f"{path.name}: op.execute is not additive"
            continue
        assert name in ADDITIVE_OPS, f"{path.name}: op.{name} is not additive"
        if name == "add_column":
            column = call.args[1] if len(call.args) > 1 else None
            assert isinstance(column, ast.Call)
            nullable = _keyword(column, "nullable")
            default = any(k.arg == "server_default" for k in column.keywords)
            assert nullable is not False or default, (
                f"{path.name}: a new NOT NULL column needs a server_default"
            )
