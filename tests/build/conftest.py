"""Shared set-up of the robustness tests."""

from __future__ import annotations

import pytest

from pipelines.home import Home
from reach.build import build_warehouse
from support.quality import write_clean_raw


@pytest.fixture(scope="session")
def clean_built_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """The clean raw layer, built and published once; tests work on copies (`copy_home`), never on it."""
    home = Home(tmp_path_factory.mktemp("clean_built")).ensure()
    write_clean_raw(home)
    build_warehouse(home)
    return home
