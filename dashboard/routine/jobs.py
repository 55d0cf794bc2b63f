"""Work the Deliveries page starts in the background: loading an upload, building the warehouse.

A request only starts the work and answers at once; the page polls the job's state (progress,
then the result or the error message). Jobs live in the serving process: one build at a time per
home (a second request gets the running build back, with its progress), and each user sees their
own uploads. A build started elsewhere (`reach build` on the server) is refused by the build lock
of reach/build.py, and its message is the job's error.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pipelines.errors import ReachError

log = logging.getLogger(__name__)
KEEP_JOBS = 50  # finished jobs kept in memory (the newest), so a reloaded page still shows its result

RUNNING, DONE, FAILED = "running", "done", "failed"


@dataclass
class Job:
    id: str
    kind: str  # "upload" or "build"
    user: str
    centre: str
    started: datetime
    state: str = RUNNING
    progress: dict[str, Any] = field(default_factory=dict)  # the latest progress report
    result: Any = None
    error: str = ""
    finished: datetime | None = None

    @property
    def seconds(self) -> float:
        return ((self.finished or datetime.now()) - self.started).total_seconds()


class Jobs:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}

    def start(self, kind: str, user: str, centre: str, work: Callable[[Job], Any],
              progress: dict[str, Any] | None = None) -> tuple[Job, bool]:
        """Run `work(job)` in a thread; -> (job, started). A build while one runs gives that one, not started.

        `progress`: the job's progress until `work` reports (set before the thread starts, so it
        never overwrites a report)."""
        with self._lock:
            if kind == "build":
                running = next((j for j in self._jobs.values() if j.kind == "build" and j.state == RUNNING), None)
                if running is not None:
                    return running, False
            job = Job(uuid.uuid4().hex, kind, user, centre, datetime.now(), progress=dict(progress or {}))
            self._jobs[job.id] = job
            self._forget_old()
        threading.Thread(target=self._run, args=(job, work), name=f"reach-{kind}-{job.id[:8]}", daemon=True).start()
        return job, True

    def _run(self, job: Job, work: Callable[[Job], Any]) -> None:
        try:
            job.result = work(job)
            job.state = DONE
        except ReachError as error:  # the message of the CLI, for the page
            job.error, job.state = str(error), FAILED
        except Exception as error:  # the traceback goes to the server's log only
            log.exception("%s job %s failed", job.kind, job.id)
            job.error, job.state = f"{type(error).__name__}: the work stopped unexpectedly (see the server log).", \
                FAILED
        finally:
            job.finished = datetime.now()

    def _forget_old(self) -> None:
        finished = sorted((j for j in self._jobs.values() if j.state != RUNNING), key=lambda j: j.started)
        for job in finished[:max(0, len(finished) - KEEP_JOBS)]:
            del self._jobs[job.id]

    def get(self, job_id: str | None) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id or "")

    def latest(self, kind: str, user: str | None = None) -> Job | None:
        """The newest job of `kind` (of `user`, if given)."""
        with self._lock:
            jobs = [j for j in self._jobs.values() if j.kind == kind and (user is None or j.user == user)]
        return max(jobs, key=lambda j: j.started, default=None)

    def wait(self, job: Job, timeout: float) -> None:
        """For benches and tests: until `job` is finished or `timeout` seconds have passed."""
        deadline = time.monotonic() + timeout
        while job.state == RUNNING and time.monotonic() < deadline:
            time.sleep(0.05)
