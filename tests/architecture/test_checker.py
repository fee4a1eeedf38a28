"""The import-rule checker catches each kind of broken rule, on a made-up tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.architecture.imports import Import, read_imports
from tests.architecture.rules import violations

CLEAN_TREE = {
    "songgate/__init__.py": "",
    "songgate/errors.py": "",
    "songgate/config.py": "from songgate import errors\n",
    "songgate/domain/__init__.py": "",
    "songgate/domain/task.py": "from songgate.errors import InvalidRequest\nfrom . import ids\n",
    "songgate/domain/ids.py": "import uuid\n",
    "songgate/store/__init__.py": "",
    "songgate/store/tasks.py": "import sqlalchemy\nfrom songgate.domain import task\n",
    "songgate/service/__init__.py": "",
    "songgate/service/tasks.py": "from songgate.store import tasks\n",
    "songgate/api/__init__.py": "",
    "songgate/api/routes.py": "from songgate.service.tasks import submit\n",
    "songgate/engine/__init__.py": "",
    "songgate/engine/types.py": "",
    "songgate/engine/song.py": "from songgate.engine import compose, master\n",
    "songgate/engine/compose/__init__.py": "from ..types import Score\n",
    "songgate/engine/master/__init__.py": "from songgate.engine.types import Score\n",
    "songgate/lyrics/__init__.py": "from .writer import write\n",
    "songgate/lyrics/writer.py": "",
    "songgate/media/__init__.py": "",
}

BROKEN = {
    "pure library": ("songgate/lyrics/writer.py", "from songgate.engine import types\n"),
    "domain": ("songgate/domain/ids.py", "from songgate import config\n"),
    "database library outside the store": ("songgate/api/routes.py",
                                           "from sqlalchemy.exc import SQLAlchemyError\n"),
    "entry point imports the store": ("songgate/api/routes.py",
                                      "from songgate.store.tasks import TaskStore\n"),
    "config": ("songgate/config.py", "from songgate.media import S3Mode\n"),
    "import cycle among songgate.api, songgate.service": (
        "songgate/service/tasks.py", "from songgate.store import tasks\nimport songgate.api\n"),
    "import cycle among songgate.engine.compose, songgate.engine.song": (
        "songgate/engine/compose/__init__.py",
        "def late():\n    from songgate.engine import song\n"),
}


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_a_tree_that_follows_the_rules_has_no_violations(tmp_path: Path) -> None:
    write_tree(tmp_path, CLEAN_TREE)
    assert violations(read_imports(tmp_path, "songgate")) == []


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_each_broken_rule_is_reported(tmp_path: Path, rule: str) -> None:
    name, text = BROKEN[rule]
    write_tree(tmp_path, {**CLEAN_TREE, name: text})
    found = violations(read_imports(tmp_path, "songgate"))
    assert len(found) == 1 and found[0].startswith(rule), found


def test_relative_imports_resolve_to_the_module_they_name(tmp_path: Path) -> None:
    write_tree(tmp_path, CLEAN_TREE)
    imports = read_imports(tmp_path, "songgate")
    assert Import("songgate.engine.compose", "songgate.engine.types", 1) in imports
    assert Import("songgate.lyrics", "songgate.lyrics.writer", 1) in imports
    assert Import("songgate.domain.task", "songgate.domain.ids", 2) in imports
    assert Import("songgate.engine.song", "songgate.engine.master", 1) in imports
