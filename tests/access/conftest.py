"""Shared set-up of the access tests: a copy of the published sample home per test (its own accounts and log)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.auth.config import AccessConfig
from pipelines.home import Home
from reach.dashboard import create_dashboard
from support.quality import copy_home


@pytest.fixture
def access_home(published_home: Home, tmp_path: Path) -> Home:
    return copy_home(published_home, tmp_path / "home")


@pytest.fixture
def app(access_home: Home):
    return create_dashboard(access_home)


def short_sessions(home: Home, seconds: float) -> AccessConfig:
    """The home's settings with sessions that end after `seconds` without a request."""
    from dataclasses import replace
    from datetime import timedelta

    return replace(AccessConfig.load(home), inactivity=timedelta(seconds=seconds))
