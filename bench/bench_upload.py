"""The upload path (issue 15, Must show): a regional month's delivery uploaded and loaded through the
dashboard's upload route over real HTTP, beside `reach load` of the same files.

    .venv/bin/python bench/bench_upload.py [--clients 4400] [--repeat 3]

The regional sample (bench/_common.py's 4,400 clients over 12 months) is generated once; its last
month's delivery is the one measured. Each repeat starts from an empty home:
- `reach load DIR --centre ULK` in its own process (the CLI as the operator runs it);
- the dashboard served by waitress (as `reach serve` serves it) in this process, a signed-in analyst
  (the real sign-in form and CSRF token, with `requests`) POSTing the delivery's files as one
  multipart upload, timed until the background load has finished (the page polls the same job).
The upload also stores the files with their hashes and writes the audit entries, which the CLI does
not. Load average before and after. Writes bench/results/upload.json.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import MONTHS, RESULTS_DIR, START, machine, write_results

RESULTS = RESULTS_DIR / "upload.json"
PASSWORD = "a-long-bench-password"
REACH = [sys.executable, "-m", "reach.cli"]


def _sample(root: Path, clients: int) -> Path:
    from pipelines.generate import generate_sample
    from reach.commands.demo import deliveries_in

    marker = root / f"clients-{clients}"
    if not marker.exists():
        shutil.rmtree(root, ignore_errors=True)
        generate_sample(root / "sample", clients=clients, months=MONTHS, start=START, seed=7)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    return Path(deliveries_in(root / "sample")[-1])  # the last month's delivery


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli_load(delivery: Path, home: Path) -> float:
    started = time.perf_counter()
    subprocess.run([*REACH, "--home", str(home), "load", str(delivery), "--centre", "ULK"], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _browser_upload(delivery: Path, home_root: Path) -> tuple[float, dict[str, int]]:
    import requests
    from waitress.server import create_server

    from pipelines.access import AccountStore, Role
    from pipelines.home import Home
    from reach.dashboard import create_dashboard

    home = Home(home_root).ensure()
    AccountStore(home).add("bench-analyst", Role.ANALYST, PASSWORD, centres=("ULK",))
    app = create_dashboard(home)
    port = _free_port()
    server = create_server(app.server, host="127.0.0.1", port=port, threads=4, ident="")
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{port}"
        session = requests.Session()
        page = session.get(f"{base}/sign-in").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        session.post(f"{base}/sign-in", data={"csrf_token": token, "name": "bench-analyst", "password": PASSWORD,
                                             "next": "/"})
        session.get(f"{base}/deliveries")  # sets the CSRF cookie the page's script sends back
        files = sorted(p for p in delivery.iterdir() if p.is_file())
        handles = [p.open("rb") for p in files]
        started = time.perf_counter()
        try:
            answer = session.post(f"{base}/deliveries/upload?centre=ULK",
                                  files=[("files", (p.name, h)) for p, h in zip(files, handles, strict=True)],
                                  headers={"X-CSRFToken": session.cookies["_csrf_token"]})
        finally:
            for h in handles:
                h.close()
        if answer.status_code != 202:
            raise RuntimeError(f"upload refused ({answer.status_code}): {answer.text[:500]}")
        jobs = app.server.extensions["reach_jobs"]
        job = jobs.get(answer.json()["job"])
        jobs.wait(job, 600)
        seconds = time.perf_counter() - started
        if job.error:
            raise RuntimeError(job.error)
        [summary] = job.result["deliveries"]
        return seconds, {k: summary[k] for k in ("rows_read", "rows_loaded", "rows_quarantined")}
    finally:
        server.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4_400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "reach-bench-upload")
    args = parser.parse_args()
    delivery = _sample(args.data, args.clients)
    files = sorted(p for p in delivery.iterdir() if p.is_file())
    size = sum(p.stat().st_size for p in files)
    load_before = os.getloadavg()
    cli, upload, rows = [], [], {}
    for index in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="reach-bench-upload-") as folder:
            cli.append(_cli_load(delivery, Path(folder) / "cli"))
            seconds, rows = _browser_upload(delivery, Path(folder) / "upload")
            upload.append(seconds)
        print(f"repeat {index + 1}: reach load {cli[-1]:.2f} s, upload route {upload[-1]:.2f} s", flush=True)
    load_after = os.getloadavg()
    results = {
        "what": "a regional month's delivery: reach load beside the dashboard's upload route over HTTP (waitress, "
                "signed-in analyst, multipart POST, until the background load finished)",
        "machine": machine(),
        "delivery": {"clients_in_sample": args.clients, "month": delivery.name, "files": len(files),
                     "bytes": size, **rows},
        "repeat": args.repeat,
        "reach_load_seconds": {"p50": round(statistics.median(cli), 3), "all": [round(s, 3) for s in cli]},
        "upload_seconds": {"p50": round(statistics.median(upload), 3), "all": [round(s, 3) for s in upload]},
        "ratio_p50": round(statistics.median(upload) / statistics.median(cli), 2),
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in load_after],
        "note": "reach load's time includes starting a Python process and importing the loader (about 1-2 s); "
                "the upload's includes sending the files, storing them with their hashes and the audit entries.",
    }
    write_results(RESULTS, results)
    print(f"reach load p50 {results['reach_load_seconds']['p50']} s, upload p50 {results['upload_seconds']['p50']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
