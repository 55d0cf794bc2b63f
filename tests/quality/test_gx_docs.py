"""GX's own Data Docs of a quality run (expectations.gx_docs), rendered offline from the run's results.

These tests render a run assembled from the shipped suites (no warehouse needed); the gate tests
(tests/quality/test_gate.py, test_check.py) check the same pages after real `build` and `check` runs.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path

import pytest

from expectations.gx_docs import GX_DOCS_DIR, STYLESHEET, strip_remote_urls, write_gx_data_docs
from expectations.html_report import write_html_summary
from expectations.results import GateResult, Outcome
from expectations.spec import CheckSpec, SuiteSpec, load_suites
from support.html import remote_references

SUITES = load_suites()
def passing(suite: SuiteSpec, rule: object) -> Outcome:
    if isinstance(rule, CheckSpec):
        return Outcome(suite.name, rule.id, "expect_column_values_to_be_between", rule.severity, rule.description,
                       True, "0 violation(s)", None, 0, [])
    assert not isinstance(rule, CheckSpec)
    return Outcome(suite.name, rule.id, rule.expect, rule.severity, rule.description, True,  # type: ignore[attr-defined]
                   "0 of 40 rows unexpected", 40, 0, [])


def run(outcomes: list[Outcome], run_id: str = "build-20230401T120000-abcdef") -> GateResult:
    return GateResult(run_id, "build", "/tmp/build.duckdb", datetime(2023, 4, 1, 12), datetime(2023, 4, 1, 12, 1),
                      outcomes)


def clean_run(run_id: str = "build-20230401T120000-abcdef") -> GateResult:
    return run([passing(s, r) for s in SUITES for r in s.rules()], run_id)


def broken_run() -> GateResult:
    """The clean run with a failed row expectation, a failed check and one that could not be evaluated."""
    result = clean_run()
    by_id = {(o.suite, o.expectation): o for o in result.outcomes}
    row = by_id[("raw_contacts", "duration_in_range")]
    row.success, row.unexpected_count, row.observed_value = False, 1, "1 of 40 rows unexpected"
    row.failing_sample = ["ULK load 3 contacts.csv row 7: duration_min=9999"]
    check = by_id[("mart_fct_activities", "clients_reached_within_registered")]
    check.success, check.unexpected_count, check.observed_value = False, 2, "2 violation(s)"
    check.failing_sample = ["ULK:k-202208-0-00", "ULK:k-202208-0-01"]
    broken = by_id[("mart_dim_client", "nationality_valid")]
    broken.success, broken.exception = False, "could not evaluate: Catalog Error: Table dim_client does not exist"
    return result


def validation_page(root: Path, suite: str) -> str:
    pages = list((root / "validations" / suite).rglob("*.html"))
    assert len(pages) == 1, pages
    return pages[0].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def broken_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    quality = tmp_path_factory.mktemp("gx_docs")
    index = write_gx_data_docs(quality, broken_run(), SUITES)
    assert index == quality / GX_DOCS_DIR / "index.html"
    return quality / GX_DOCS_DIR


def test_index_lists_every_suite_and_the_failed_expectations(broken_docs: Path) -> None:
    index = (broken_docs / "index.html").read_text(encoding="utf-8")
    for suite in SUITES:
        assert f">{suite.name}<" in index, suite.name
        assert (broken_docs / "expectations" / f"{suite.name}.html").exists()
    assert "build-20230401T120000-abcdef" in index
    assert "duration_in_range [error]" in index
    assert "clients_reached_within_registered [error]" in index and "nationality_valid [error]" in index
    assert index.count("reach-failed") == 3  # three suites failed, each one row of the table
    assert "<table" in index and "bootstrapTable" not in index  # a plain table, no script fills it


def test_validation_pages_show_names_status_observed_values_and_samples(broken_docs: Path) -> None:
    contacts = validation_page(broken_docs, "raw_contacts")
    assert "duration_in_range [error]" in contacts
    assert "Failed" in contacts and "fa-times" in contacts  # GX's status, with a text icon offline
    assert "1 unexpected values found" in contacts
    assert "duration_min=9999" in contacts  # the failing row the gate sampled
    assert "% unexpected" in contacts  # GX's observed value

    marts = validation_page(broken_docs, "mart_fct_activities")
    assert "clients_reached_within_registered [error]" in marts and "ULK:k-202208-0-01" in marts

    dim = validation_page(broken_docs, "mart_dim_client")
    assert "raised an exception" in dim and "Table dim_client does not exist" in dim

    clean = validation_page(broken_docs, "raw_events")
    assert "Succeeded" in clean and "Failed" not in clean


def test_pages_work_offline(broken_docs: Path) -> None:
    assert remote_references(broken_docs) == {}
    assert (broken_docs / STYLESHEET).exists()
    assert (broken_docs / "static" / "images" / "logo-long.png").exists()
    index = (broken_docs / "index.html").read_text(encoding="utf-8")
    assert f'href="./{STYLESHEET}"' in index
    page = next((broken_docs / "validations" / "raw_contacts").rglob("*.html"))
    # Relative links from a validation page reach the site's stylesheet and index.
    for href in re.findall(r'href="([^"#?]+)"', page.read_text(encoding="utf-8")):
        assert (page.parent / href).resolve().exists(), href


def test_gx_renders_without_errors(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        write_gx_data_docs(tmp_path, broken_run(), SUITES)
    assert [r.getMessage() for r in caplog.records] == []


def test_descriptions_are_text_not_markup(tmp_path: Path) -> None:
    result = clean_run()
    result.outcomes[0].description = "Odd <script>x</script> & $price"
    write_gx_data_docs(tmp_path, result, SUITES)
    page = validation_page(tmp_path / GX_DOCS_DIR, result.outcomes[0].suite)
    assert "<script>x</script>" not in page
    assert "Odd &lt;script&gt;x&lt;/script&gt; &amp; $price" in page


def test_each_run_replaces_the_previous_site(tmp_path: Path) -> None:
    write_gx_data_docs(tmp_path, clean_run("build-1"), SUITES)
    write_gx_data_docs(tmp_path, clean_run("check-2"), SUITES)
    site = tmp_path / GX_DOCS_DIR
    assert not list(site.rglob("build-1")) and list(site.rglob("check-2"))
    assert "build-1" not in (site / "index.html").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == [GX_DOCS_DIR]  # no staging folder left behind


def test_summary_links_the_gx_index(tmp_path: Path) -> None:
    result = broken_run()
    gx_index = write_gx_data_docs(tmp_path, result, SUITES)
    summary = write_html_summary(tmp_path / "data_docs", result, gx_index)
    hrefs = re.findall(r'href="([^"]+)"', summary.read_text(encoding="utf-8"))
    assert hrefs == ["../gx_data_docs/index.html"]
    assert (summary.parent / hrefs[0]).resolve() == gx_index.resolve()
    assert remote_references(tmp_path) == {}


@pytest.mark.parametrize(("html", "kept"), [
    ('<script src="https://cdn.jsdelivr.net/npm/vega@5"></script><p>x</p>', "<p>x</p>"),
    ('<link rel="stylesheet" href="//unpkg.com/a.css"/><p>x</p>', "<p>x</p>"),
    ('<a href="https://greatexpectations.io">Great Expectations</a>', "<a>Great Expectations</a>"),
    ("a{background:url('https://x.s3.amazonaws.com/l.png') 0 0}", "a{background:none 0 0}"),
    ('<a href="../index.html">Home</a>', '<a href="../index.html">Home</a>'),
])
def test_strip_remote_urls(html: str, kept: str) -> None:
    assert strip_remote_urls(html) == kept
