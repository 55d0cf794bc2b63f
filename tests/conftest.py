"""Shared fixtures: headless Chromium for dash_duo, and a warehouse built by the real pipeline."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from pipelines.home import Home

CHROMIUM = "/usr/bin/chromium"


def pytest_setup_options():
    """Chromium options for dash[testing]'s dash_duo (Debian chromium + chromedriver, offline)."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    if Path(CHROMIUM).exists():
        options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--window-size=1920,1080"):
        options.add_argument(flag)
    return options


def pytest_configure(config):
    """Under pytest-xdist (bin/test runs two workers) each worker's dash_duo servers get ports of their own:
    dash.testing counts ports up from one class attribute, the same in every worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    if worker.startswith("gw") and worker[2:].isdigit():
        from dash.testing.application_runners import BaseDashRunner

        BaseDashRunner._next_port = 58050 + 500 * int(worker[2:])


def pytest_collection_modifyitems(config, items):
    """Browser tests need Chromium and its driver; say so plainly where they are missing."""
    if shutil.which("chromedriver") and Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason="needs Debian's chromium and chromium-driver (bash bin/setup installs them)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


SAMPLE_CLIENTS = 300
SAMPLE_MONTHS = 6
SAMPLE_START = date(2022, 8, 1)


@pytest.fixture(scope="session")
def published_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A home whose warehouse was generated, loaded and built by the real pipeline (read it only)."""
    from pipelines.generate import generate_sample
    from pipelines.ingest import load_paths
    from reach.build import build_warehouse
    from reach.commands.demo import deliveries_in

    root = tmp_path_factory.mktemp("published")
    sample = root / "sample"
    generate_sample(sample, clients=SAMPLE_CLIENTS, months=SAMPLE_MONTHS, start=SAMPLE_START, seed=7,
                    messy=False)
    home = Home(root / "home").ensure()
    load_paths(home, [Path(p) for p in deliveries_in(sample)], centre="ULK")
    build_warehouse(home)
    assert home.warehouse_db.exists(), "the sample build did not publish a warehouse"
    return home
