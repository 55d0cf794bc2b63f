"""Crafted callback requests to the real dashboard, and the figures read back from their answers.

A request is built the way Dash's renderer builds it, from the app's own callback map, and POSTed
to /_dash-update-component by a signed-in test client (support.access.signed_in_client). The
answers are component trees (pages) and download data (chart exports); the readers below take
out what a user sees: KPI values, the values a chart draws (its marks' labels) and the rows of a
chart's CSV file.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from dashboard.components import TABLE_BODY, TABLE_OPENED
from dashboard.state.url import path_of


def callback(app: Any, output: str) -> tuple[str, dict[str, Any]]:
    """The callback whose outputs include `output` ("id.prop")."""
    return next((key, spec) for key, spec in app.callback_map.items() if output in key.strip(".").split("..."))


def payload(key: str, spec: dict[str, Any], values: dict[str, Any], changed: list[str]) -> dict[str, Any]:
    """A callback request as the renderer sends it, with `values` ("id.prop" -> value) filled in."""
    def item(entry: dict[str, Any]) -> dict[str, Any]:
        return {"id": entry["id"], "property": entry["property"],
                "value": values.get(f"{entry['id']}.{entry['property']}")}

    outputs = [{"id": part.split(".")[0], "property": part.split(".")[1]} for part in key.strip(".").split("...")]
    return {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [item(i) for i in spec["inputs"]], "state": [item(s) for s in spec["state"]],
            "changedPropIds": changed}


def post(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    """The callback's answer ({} for "no update", which Dash sends as 204)."""
    answer = client.post("/_dash-update-component", json=request)
    assert answer.status_code in (200, 204), answer.get_data(as_text=True)[:300]
    return answer.get_json()["response"] if answer.status_code == 200 else {}


def render(app: Any, client: Any, page: str, search: str, privacy: list[str]) -> dict[str, Any]:
    """The page callback's answer: page content, privacy banner and label (`privacy` [] = switched off)."""
    key, spec = callback(app, "content.children")
    values = {"url.pathname": path_of(page), "url.search": search, "privacy.value": privacy}
    return post(client, payload(key, spec, values, ["privacy.value"]))


def export(app: Any, client: Any, chart: str, search: str, privacy: list[str], fmt: str = "csv") -> bytes | None:
    """A chart's file as the export button downloads it, or None when the server sends nothing."""
    key, spec = callback(app, "download.data")
    button = {"chart": chart, "fmt": fmt, "type": "export"}
    request = payload(key, spec, {"url.pathname": "/", "url.search": search, "privacy.value": privacy},
                      [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"])
    request["inputs"] = [[{"id": button, "property": "n_clicks", "value": 1}]]
    data = post(client, request).get("download", {}).get("data")
    if not data:
        return None
    return base64.b64decode(data["content"]) if data.get("base64") else data["content"].encode()


def components(tree: Any) -> Iterator[dict[str, Any]]:
    """Every component of an answer's tree."""
    if isinstance(tree, dict):
        if "props" in tree and "type" in tree:
            yield tree
        for value in tree.values():
            yield from components(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from components(value)


def kpi_values(answer: dict[str, Any]) -> dict[str, str]:
    """KPI card id -> the value as shown."""
    prefix = "kpi-value-"
    return {c["props"]["id"].removeprefix(prefix): c["props"]["children"] for c in components(answer)
            if isinstance(c["props"].get("id"), str) and c["props"]["id"].startswith(prefix)}


def figure(answer: dict[str, Any], chart: str) -> dict[str, Any]:
    found = [c["props"]["figure"] for c in components(answer)
             if c["props"].get("id") == {"type": "chart", "chart": chart}]
    assert len(found) == 1, f"chart {chart} is not on the page"
    return found[0]


def drawn(answer: dict[str, Any], chart: str) -> dict[tuple[str, str, str], str]:
    """The values a chart draws: (series, code, x) -> the mark's label ("" where none is drawn).

    Series is the trace's name (a sex in the pyramid, a metric in side-by-side bars), code the value a
    click on the mark filters by, x the month of a line chart's point ("" otherwise).
    """
    values = {}
    for trace in figure(answer, chart).get("data", []):
        codes = [str(pair[1]) for pair in trace.get("customdata") or []]
        # The district tiles carry their values as hover text (their text is the district's name).
        texts = trace.get("hovertext") if trace.get("mode") == "markers" else trace.get("text")
        lines = trace.get("type") == "scatter" and trace.get("mode") != "markers"
        xs = trace.get("x") if lines else [""] * len(codes)
        for code, text, x in zip(codes, texts or [""] * len(codes), xs, strict=True):
            values[(trace.get("name") or "", code, str(x))] = str(text)
    return values


def text_of(answer: dict[str, Any]) -> str:
    return json.dumps(answer, ensure_ascii=False)


def csv_rows(data: bytes) -> tuple[list[dict[str, str]], str]:
    """A chart's CSV: its data rows and the note on its last line (how the figures are protected)."""
    lines = data.decode("utf-8-sig").splitlines()
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[:-1]))))
    return rows, next(csv.reader([lines[-1]]))[0]


def table_view(client: Any, chart: str, page: str, search: str, privacy: list[str]) -> Any:
    """A chart's table view as the browser asks for it when the view is opened (assets/a11y.js): the
    server's response (test client), whose answer is {} for "no update"."""
    body, opened = {"chart": chart, "type": TABLE_BODY}, {"chart": chart, "type": TABLE_OPENED}
    request = {
        "output": json.dumps({"chart": ["MATCH"], "type": TABLE_BODY}, separators=(",", ":")) + ".children",
        "outputs": {"id": body, "property": "children"},
        "inputs": [{"id": opened, "property": "data", "value": "opened"}],
        "changedPropIds": [json.dumps(opened, separators=(",", ":"), sort_keys=True) + ".data"],
        "state": [{"id": "url", "property": "pathname", "value": path_of(page)},
                  {"id": "url", "property": "search", "value": search},
                  {"id": "privacy", "property": "value", "value": privacy}],
    }
    return client.post("/_dash-update-component", json=request)
