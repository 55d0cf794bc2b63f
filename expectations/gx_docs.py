"""Great Expectations' own Data Docs of one quality run, made to work offline: <home>/quality/gx_data_docs/.

The gate validates in bounded chunks (expectations.engine), so there is no single GX validation
result per suite to hand to a file-based GX project. Instead one `ExpectationSuiteValidationResult`
per suite is assembled from the run's outcomes (the summed counts and failing samples, with the
expectation configurations of the suite files) and rendered with GX's own renderers
(`ValidationResultsPageRenderer`, `ExpectationSuitePageRenderer`, `SiteIndexPageRenderer`) and
Jinja views, in GX's local-site layout:

    index.html                                              the run's suites (validation results)
    validations/<suite>/<run_id>/<run_time>/<batch>.html    one page per suite
    expectations/<suite>.html                               the suite's expectations
    static/images/, static/styles/reach_offline.css         local assets

GX 1.24.1's templates load Bootstrap, bootstrap-table, Font Awesome, jQuery, popper and Vega from
CDNs and fill the index page's table with JavaScript (bootstrap-table). The views here replace
those templates: no CDN tags, a small local stylesheet, plain HTML tables and text for the icons.
Every written page then goes through `strip_remote_urls` so no http(s) URL loads or links from it.

Text from the data (failing samples quote record keys and branch names; error messages may quote
a value) is data, never markup. GX pastes some of it into the page as HTML (the sampled unexpected
values, an exception's traceback) and escapes other parts, so it cannot simply be escaped before
GX sees it. Instead `_DataText` hands GX an opaque token per text and, once a page is rendered,
puts each text back in place of its token, HTML-escaped. Each page also carries the static pages'
Content-Security-Policy (no script runs), which the dashboard sends as a header too.

Only the run's results (a few hundred small records) are rendered: no data is re-read, so time and
memory do not grow with the warehouse. The folder is replaced as a whole on each run.
"""

from __future__ import annotations

import logging
import re
import secrets
import shutil
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from expectations.results import GateResult, Outcome
from expectations.spec import CheckSpec, SuiteSpec
from pipelines.safe_text import STATIC_PAGE_CSP

log = logging.getLogger(__name__)

GX_DOCS_DIR = "gx_data_docs"
STYLESHEET = "static/styles/reach_offline.css"
FAILED_FIELD = "failed_expectations"
ENGINE_NAME = "reach_gate"  # the batch identifier in page paths: one batch per suite per run
_GX_IMAGES = ("favicon.ico", "logo-long.png")

# --- offline stylesheet: enough of Bootstrap's look for GX's markup to read well ------------------

OFFLINE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#212529;background:#fff;
 font-size:15px;line-height:1.45}
a{color:#0b5cad}
nav.navbar{display:flex;align-items:center;gap:1rem;padding:.4rem 1.5rem;border-bottom:1px solid #dee2e6;
 background:#f8f9fa}
nav.navbar img{height:40px}
.breadcrumb{display:flex;list-style:none;margin:0;padding:0;gap:.4rem}
.breadcrumb-item+.breadcrumb-item::before{content:"/";padding-right:.4rem;color:#6c757d}
.container-fluid{padding:1.2rem 2rem}
.row{display:flex;flex-wrap:wrap;gap:1.5rem}
.col-md-2,.col-lg-2{flex:0 0 15rem;max-width:15rem}
.col-md-10,.col-lg-10{flex:1 1 40rem;min-width:0}
.col-12{width:100%}
.sticky{position:sticky;top:1rem}
.card{border:1px solid #dee2e6;border-radius:.3rem;margin-bottom:1rem}
.card-header{background:#f1f3f5;padding:.4rem .6rem;border-bottom:1px solid #dee2e6}
.card-body{padding:.6rem}
.alert{padding:.6rem .9rem;border-radius:.3rem;margin-bottom:1rem}
.alert-secondary{background:#e2e3e5;border:1px solid #d6d8db}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #dee2e6;padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f1f3f5}
thead[hidden]{display:none}
.table-responsive{overflow-x:auto}
.show-scrollbars{overflow-x:auto;max-width:60rem}
.text-success{color:#1e7e34}.text-danger{color:#c82333}.text-warning{color:#b07800}
.fas,.far,.fa{font-style:normal;font-weight:bold}
.fa-check-circle::before{content:"\\2714 "}
.fa-times::before{content:"\\2718 "}
.fa-exclamation-triangle::before{content:"\\26A0 "}
.fa-question-circle::before{content:"? "}
.fa-comment::before{content:"\\2139 "}
.nav-tabs{display:flex;list-style:none;padding:0;margin:0 0 .5rem;border-bottom:1px solid #dee2e6}
.nav-tabs .nav-link{display:block;padding:.4rem .9rem;text-decoration:none;font-weight:600}
.collapse{display:block}
.badge{display:inline-block;padding:.1rem .4rem;border-radius:.25rem;background:#e9ecef;font-size:.8rem}
.reach-failed td{background:#fde2e1}
.hide-succeeded-validation-target-child{}
code,pre{font-size:.85rem;white-space:pre-wrap;word-break:break-word}
ul{padding-left:1.2rem}
"""

# --- template overrides (Jinja, looked up before GX's package templates) ----------------------------

_HEAD = """<!DOCTYPE html>
<html>
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="@CSP@">
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>{{ page_title or "Data Docs" }} | Great Expectations (offline)</title>
    <style>{% include 'data_docs_default_styles.css' %}</style>
    <style>{% include 'data_docs_custom_styles.css' ignore missing %}</style>
    {% include 'js_script_imports.j2' %}
    {% include 'favicon.j2' %}
  </head>
  <body>
    {% include 'top_navbar.j2' %}
    <div class="container-fluid pt-4 pb-4 pl-5 pr-5">
      <div class="row">
        {% include 'sidebar.j2' %}
        <div class="col-md-10 col-lg-10 col-xs-12 pl-md-4 pr-md-3">
          {% for section in sections %}
            {% set section_loop = loop -%}
            {% include 'section.j2' %}
          {% endfor %}
        </div>
      </div>
    </div>
  </body>
</html>
""".replace("@CSP@", escape(STATIC_PAGE_CSP))

# Relative prefix from a page to the site root (GX's own rule from js_script_imports.j2/top_navbar.j2).
_ROOT = """{%- if expectation_suite_name -%}
  {%- set dots = expectation_suite_name.count(".") -%}
{%- else -%}
  {%- set dots = 0 -%}
{%- endif -%}
{%- if "ValidationResults" in renderer_type or "ProfilingResults" in renderer_type -%}
  {%- set site_root = (dots + 4) * "../" -%}
{%- elif "ExpectationSuite" in renderer_type -%}
  {%- set site_root = (dots + 1) * "../" -%}
{%- else -%}
  {%- set site_root = "./" -%}
{%- endif -%}
"""

_STATIC_TABLE = """{% include 'content_block_header.j2' %}
{%- if "styling" in content_block and "body" in content_block["styling"] -%}
  {%- set body_styling = content_block["styling"]["body"] | render_styling -%}
{%- else -%}
  {%- set body_styling = "" -%}
{%- endif -%}
{%- set columns = content_block["table_columns"] -%}
<table id="{{ content_block_id }}-body-table" {{ body_styling | replace("{{section_id}}", section_id)
  | replace("{{content_block_id}}", content_block_id) }}>
  <thead><tr>{% for column in columns %}<th>{{ column["title"] }}</th>{% endfor %}</tr></thead>
  <tbody>
  {%- for row in content_block["table_data"] %}
    <tr{% if row.get("_validation_success_text") == "Failed" %} class="reach-failed"{% endif %}>
    {%- for column in columns -%}
      {%- set cell = row.get(column["field"]) -%}
      <td>
      {%- if column["field"] in ("run_name", "expectation_suite_name") and row.get("_table_row_link_path")
            and cell is string -%}
        <a href="{{ row["_table_row_link_path"] }}">{{ cell }}</a>
      {%- elif column["field"] == "validation_success" -%}
        {{ cell | render_content_block }} {{ row.get("_validation_success_text", "") }}
      {%- elif column["field"] == "run_name" and row.get("_table_row_link_path") -%}
        <a href="{{ row["_table_row_link_path"] }}">{{ cell | render_content_block }}</a>
      {%- else -%}
        {{ cell | render_content_block }}
      {%- endif -%}
      </td>
    {%- endfor -%}
    </tr>
  {%- endfor %}
  </tbody>
</table>
"""

TEMPLATES: dict[str, str] = {
    "page.j2": _HEAD,
    "index_page.j2": _HEAD,
    "js_script_imports.j2": _ROOT + '<link rel="stylesheet" href="{{ site_root }}' + STYLESHEET + '">\n',
    "top_navbar.j2": _ROOT + """
<nav class="navbar">
  <a href="{{ site_root }}index.html"><img src="{{ site_root }}static/images/logo-long.png"
     alt="Great Expectations"></a>
  {% if page_title %}
  <ol class="breadcrumb">
    <li class="breadcrumb-item"><a href="{{ site_root }}index.html">Home</a></li>
    <li class="breadcrumb-item">{{ page_title }}</li>
  </ol>
  {% endif %}
</nav>
""",
    # GX's favicon.j2 climbs one folder too few from a validation page.
    "favicon.j2": _ROOT + '<link rel="icon" href="{{ site_root }}static/images/favicon.ico" type="image/x-icon">\n',
    "cloud-footer.j2": "",
    "cta_footer.j2": "",
    "page_action_card.j2": "",
    "bootstrap_table.j2": _STATIC_TABLE,
    "ge_info.j2": """<div class="mb-4">
  {% if renderer_type == "ValidationResultsPageRenderer" %}
    <h4>Expectation Validation Result</h4>
    <p class="lead">Evaluates whether a batch of data matches expectations.</p>
  {% elif renderer_type == "ExpectationSuitePageRenderer" %}
    <h4>Expectation Suite</h4>
    <p class="lead">A collection of Expectations defined for batches of data.</p>
  {% else %}
    <p>Data Docs rendered by Great Expectations {{ ge_version }} for the Reach quality gate (offline).</p>
  {% endif %}
</div>
""",
}

_REMOTE = r"""(?:https?:)?//[^\s"'<>)]+"""
_REMOTE_TAG = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']?""" + _REMOTE
                         + r"""[^>]*>(?:\s*</(?:script|iframe)>)?""", re.IGNORECASE)
_REMOTE_HREF = re.compile(r"""\s(?:href|src|action)\s*=\s*(["'])""" + _REMOTE + r"""\1""", re.IGNORECASE)
_REMOTE_CSS_URL = re.compile(r"""url\(\s*["']?""" + _REMOTE + r"""["']?\s*\)""", re.IGNORECASE)
_REMOTE_TEXT = re.compile(r"https?://", re.IGNORECASE)


def strip_remote_urls(html: str) -> str:
    """Remove every reference to an http(s) URL: tags loading one, links to one, CSS url(...)."""
    html = _REMOTE_TAG.sub("", html)
    html = _REMOTE_HREF.sub("", html)
    html = _REMOTE_CSS_URL.sub("none", html)
    return _REMOTE_TEXT.sub("", html)  # any URL left in text: keep the host, lose the scheme


def _default_styles() -> str:
    source = resources.files("great_expectations") / "render/view/static/styles/data_docs_default_styles.css"
    return strip_remote_urls(source.read_text(encoding="utf-8"))


def _offline(view_class: type) -> Any:
    """An instance of a GX Jinja view whose CDN-loading templates are replaced by TEMPLATES."""
    from jinja2 import ChoiceLoader, DictLoader

    view = view_class()
    overrides = dict(TEMPLATES, **{"data_docs_default_styles.css": _default_styles()})
    view.env.loader = ChoiceLoader([DictLoader(overrides), view.env.loader])
    return view


# --- text from the data: tokens for GX, escaped text in the written page ----------------------------


class _DataText:
    """Opaque tokens standing for data texts while GX renders; `fill` puts the texts back, escaped.

    A token is letters and digits only, so no renderer changes it; its random part means a text
    cannot spell another text's token.
    """

    def __init__(self) -> None:
        self._stem = f"reachtext{secrets.token_hex(6)}"
        self._prefix = self._stem + "n"
        self._pattern = re.compile(re.escape(self._prefix) + r"(\d+)z")
        self._texts: list[str] = []
        self._tokens: dict[str, str] = {}

    def token(self, text: str) -> str:
        """The token of `text` (the same text always gets the same token, so GX's counts still hold)."""
        if text not in self._tokens:
            self._tokens[text] = f"{self._prefix}{len(self._texts)}z"
            self._texts.append(text)
        return self._tokens[text]

    def fill(self, page: str) -> str:
        """`page` with every token replaced by its text, HTML-escaped (quotes too: tokens may sit in attributes)."""
        filled = self._pattern.sub(lambda match: escape(self._texts[int(match.group(1))], quote=True), page)
        if self._stem in filled:  # a token GX cut or changed: never write the page half-filled
            raise RuntimeError("GX changed a data token while rendering a Data Docs page")
        return filled


# --- GX result objects from the gate's outcomes ------------------------------------------------------


def _kwargs(rule: Any) -> dict[str, Any]:
    if isinstance(rule, CheckSpec):  # engine.Engine._checks: the violation count of the check, bounded
        return {"column": rule.id, "min_value": 0, "max_value": rule.max_violations}
    return dict(rule.kwargs)


_SEVERITY = {"error": "critical", "warning": "warning"}


def _configuration(outcome: Outcome, rule: Any | None, text: _DataText) -> Any:
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration
    from great_expectations.expectations.metadata_types import FailureSeverity

    kwargs = _kwargs(rule) if rule is not None else {"column": outcome.expectation}
    meta = {"id": outcome.expectation, "severity": outcome.severity, "suite": outcome.suite}
    # The notes carry the gate's own name of the rule, its severity and its description; GX renders
    # them (as Markdown, raw HTML passing through) under its prescriptive text ("values must be ...").
    notes = f"**{outcome.expectation}** ({outcome.severity}): {text.token(outcome.description)}"
    return ExpectationConfiguration(type=outcome.expectation_type, kwargs=kwargs, meta=meta, notes=notes,
                                    severity=FailureSeverity(_SEVERITY[outcome.severity]))


def _validation_result(outcome: Outcome, rule: Any | None, text: _DataText) -> Any:
    from great_expectations.core.expectation_validation_result import ExpectationValidationResult

    config = _configuration(outcome, rule, text)
    # On the validation page GX shows an expectation's `description` instead of its prescriptive text
    # ("values must be ..."; that stays on the suite page, with the notes): the gate's rule id,
    # severity and description are what a reader acts on. (GX's other hook for extra columns,
    # kwargs["meta_properties_to_render"], fails in 1.24.1: the kwarg breaks to_domain_obj.)
    config.description = text.token(f"{outcome.expectation} [{outcome.severity}]: {outcome.description}")
    if outcome.exception is not None:
        message = text.token(outcome.exception)  # an error message may quote a value
        return ExpectationValidationResult(
            success=False, expectation_config=config, result={},
            # GX shows the traceback in a collapsed block and needs a string; the gate keeps only the message.
            exception_info={"raised_exception": True, "exception_message": message,
                            "exception_traceback": message},
        )
    if isinstance(rule, CheckSpec):
        # A check's query returns one row per violation; GX bounded their count. Shown as rows found,
        # all unexpected when the bound was exceeded, with the failing keys as the sample.
        elements = outcome.unexpected_count or 0
        unexpected = 0 if outcome.success else elements
    else:
        elements = outcome.element_count or 0
        unexpected = outcome.unexpected_count or 0
    percent = 100.0 * unexpected / elements if elements else 0.0
    result = {
        "element_count": elements, "missing_count": 0, "missing_percent": 0.0,
        "unexpected_count": unexpected, "unexpected_percent": percent, "unexpected_percent_nonmissing": percent,
        # The failing sample quotes the data (keys, branch names): GX pastes these into the page as HTML.
        "partial_unexpected_list": [text.token(sample) for sample in outcome.failing_sample],
    }
    return ExpectationValidationResult(success=outcome.success, expectation_config=config, result=result,
                                       exception_info={"raised_exception": False, "exception_message": None,
                                                       "exception_traceback": None})


def _suite_results(result: GateResult, suites: list[SuiteSpec], text: _DataText) -> list[tuple[Any, Any]]:
    """(ExpectationSuite, ExpectationSuiteValidationResult) per suite of the run, in suite order."""
    import great_expectations as gx
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResult
    from great_expectations.core.run_identifier import RunIdentifier

    rules = {(s.name, r.id): r for s in suites for r in s.rules()}
    descriptions = {s.name: s.description for s in suites}
    by_suite: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in result.outcomes:
        by_suite[outcome.suite].append(outcome)
    run_id = RunIdentifier(run_name=result.run_id, run_time=result.started_at.replace(tzinfo=UTC))
    pairs = []
    for name, outcomes in by_suite.items():
        evrs = [_validation_result(o, rules.get((name, o.expectation)), text) for o in outcomes]
        passed = sum(o.success for o in outcomes)
        configs = [_configuration(o, rules.get((name, o.expectation)), text) for o in outcomes]
        notes = descriptions.get(name)
        suite = gx.ExpectationSuite(name=name, expectations=configs, notes=text.token(notes) if notes else None)
        validation = ExpectationSuiteValidationResult(
            success=all(o.success for o in outcomes), results=evrs, suite_name=name,
            statistics={"evaluated_expectations": len(outcomes), "successful_expectations": passed,
                        "unsuccessful_expectations": len(outcomes) - passed,
                        "success_percent": 100.0 * passed / len(outcomes) if outcomes else None},
            meta={"run_id": run_id, "great_expectations_version": _gx_version(),
                  "batch_spec": {"data_asset_name": name, "context": result.context, "target": result.target},
                  "active_batch_definition": {"batch_identifier": ENGINE_NAME}},
        )
        pairs.append((suite, validation))
    return pairs


def _index_renderer() -> Any:
    """GX's SiteIndexPageRenderer with one more column: the failed expectations of each suite."""
    from great_expectations.render.renderer.site_index_page_renderer import SiteIndexPageRenderer

    class ReachSiteIndexPageRenderer(SiteIndexPageRenderer):
        @classmethod
        def _generate_validation_results_link_table(cls, index_links_dict: dict[str, Any]) -> Any:
            table = super()._generate_validation_results_link_table(index_links_dict)
            table.table_columns.append({"field": FAILED_FIELD, "title": "Failed expectations"})
            for row, link in zip(table.table_data, index_links_dict.get("validations_links", []), strict=True):
                row[FAILED_FIELD] = link.get(FAILED_FIELD) or ""
            return table

    return ReachSiteIndexPageRenderer


def _rule_label(config: Any) -> str:
    return f"{config.meta['id']} [{config.meta['severity']}]"


def _gx_version() -> str:
    import great_expectations as gx

    return str(gx.__version__)


# --- writing the site -------------------------------------------------------------------------------


def _validation_path(suite_name: str, run_id: Any) -> str:
    return "/".join(["validations", *suite_name.split("."), *run_id.to_tuple(), ENGINE_NAME]) + ".html"


def _suite_path(suite_name: str) -> str:
    return "/".join(["expectations", *suite_name.split(".")]) + ".html"


def _write(root: Path, relative: str, html: str, text: _DataText) -> None:
    """The page without remote URLs in GX's markup, then with the data's texts put in as text."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.fill(strip_remote_urls(html)), encoding="utf-8")


class _RenderErrors(logging.Handler):
    """Collects what GX's renderers log at ERROR (they log a failed part and render the rest)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().strip().splitlines()[-1][:300])

    @contextmanager
    def capturing(self) -> Iterator[_RenderErrors]:
        gx_logger = logging.getLogger("great_expectations")
        propagate, gx_logger.propagate = gx_logger.propagate, False
        gx_logger.addHandler(self)
        try:
            yield self
        finally:
            gx_logger.removeHandler(self)
            gx_logger.propagate = propagate


def write_gx_data_docs(quality_dir: Path, result: GateResult, suites: list[SuiteSpec]) -> Path:
    """Render GX Data Docs of `result` into <quality_dir>/gx_data_docs/; return its index.html.

    The folder is written beside the old one and swapped in, so a reader never sees half a site.
    Parts GX fails to render (it logs them and goes on) are reported in one warning.
    """
    target = quality_dir / GX_DOCS_DIR
    staging = quality_dir / f".{GX_DOCS_DIR}-{uuid.uuid4().hex[:8]}"
    try:
        with _RenderErrors().capturing() as errors:
            _write_site(staging, result, suites)
        if errors.messages:
            log.warning("GX could not render %d part(s) of the Data Docs of run %s, e.g. %s",
                        len(errors.messages), result.run_id, errors.messages[0])
        old = quality_dir / f".{GX_DOCS_DIR}-old-{uuid.uuid4().hex[:8]}"
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target / "index.html"


def _write_site(root: Path, result: GateResult, suites: list[SuiteSpec]) -> None:
    from great_expectations.render.renderer.page_renderer import (
        ExpectationSuitePageRenderer,
        ValidationResultsPageRenderer,
    )
    from great_expectations.render.view.view import DefaultJinjaIndexPageView, DefaultJinjaPageView

    page_view = _offline(DefaultJinjaPageView)
    validation_renderer = ValidationResultsPageRenderer()
    suite_renderer = ExpectationSuitePageRenderer()
    text = _DataText()
    links: dict[str, Any] = {"site_name": f"Reach quality gate - {result.run_id}",
                             "validations_links": [], "expectations_links": []}
    for suite, validation in _suite_results(result, suites, text):
        run_id = validation.meta["run_id"]
        page, suite_page = _validation_path(suite.name, run_id), _suite_path(suite.name)
        _write(root, page, page_view.render(validation_renderer.render(validation)), text)
        _write(root, suite_page, page_view.render(suite_renderer.render(suite)), text)
        # The entries GX's DefaultSiteIndexBuilder makes (add_resource_info_to_index_links_dict).
        links["validations_links"].append({
            "expectation_suite_name": suite.name, "filepath": quote(page), "run_id": run_id,
            "batch_identifier": ENGINE_NAME, "validation_success": validation.success,
            "run_time": run_id.run_time, "run_name": run_id.run_name, "asset_name": suite.name,
            "batch_spec": validation.meta["batch_spec"], "batch_kwargs": None,
            "expectation_suite_filepath": suite_page,
            FAILED_FIELD: ", ".join(_rule_label(evr.expectation_config) for evr in validation.results
                                    if not evr.success),
        })
        links["expectations_links"].append({"expectation_suite_name": suite.name, "filepath": quote(suite_page)})
    index = _offline(DefaultJinjaIndexPageView).render(_index_renderer().render(links))
    _write(root, "index.html", index, text)
    _write_static(root)


def _write_static(root: Path) -> None:
    images = root / "static" / "images"
    images.mkdir(parents=True, exist_ok=True)
    source = resources.files("great_expectations") / "render/view/static/images"
    for name in _GX_IMAGES:
        (images / name).write_bytes((source / name).read_bytes())
    css = root / STYLESHEET
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(OFFLINE_CSS, encoding="utf-8")

