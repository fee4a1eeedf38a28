"""songgate's source follows its import rules (tests/architecture/rules.py says which)."""

from __future__ import annotations

from pathlib import Path

from tests.architecture.imports import read_imports
from tests.architecture.rules import ROOT, violations

SRC = Path(__file__).resolve().parents[2] / "src"


def test_the_source_tree_follows_the_import_rules() -> None:
    imports = read_imports(SRC, ROOT)
    assert len(imports) > 100  # the tree was found and read
    assert violations(imports) == []
