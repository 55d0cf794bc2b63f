"""The schedule file as data, and its validation (docs/routine.md, "The schedule file").

    timezone: Europe/Prague        # optional; the time zone of `when`
    retry: {attempts: 3, delay_seconds: 30, factor: 2, again_after_minutes: 30}   # optional
    schedules:
      - id: board-monthly
        report: board-pdf          # board-pdf | board-pptx | ministry-xlsx
        centres: [ULK]             # or `all`
        period: previous month     # previous month|quarter|year, month|quarter|year to date
        recipients: [vedeni@example.cz]
        when: "0 7 3 * *"          # cron: minute hour day month weekday (day 3 of each month, 07:00)
        lang: cs                   # board pack only (cs | en)
        framework: amif-2021-2027  # ministry workbook only

Every problem is reported at once, each naming the entry and the field, so the admin page can
show them beside the fields and the command line as one paragraph. No SMTP setting and no
password belongs here (pipelines/schedule/smtp.py reads them from the environment or a file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from pipelines.errors import ReachError
from pipelines.metrics.periods import Period, comparison_period, preset_period
from pipelines.reference.centres import known_codes

REPORTS = {  # report kind -> (writer family, file extension)
    "board-pdf": ("board", "pdf"),
    "board-pptx": ("board", "pptx"),
    "ministry-xlsx": ("ministry", "xlsx"),
}
PERIOD_RULES = ("previous month", "previous quarter", "previous year",
                "month to date", "quarter to date", "year to date")
LANGS = ("cs", "en")
DEFAULT_TIMEZONE = "Europe/Prague"
DEFAULT_FRAMEWORK = "amif-2021-2027"
ALL_CENTRES = "all"
MAX_RECIPIENTS = 50
ENTRY_FIELDS = ("id", "report", "centres", "period", "recipients", "when", "lang", "framework")
TOP_FIELDS = ("timezone", "retry", "schedules")
RETRY_FIELDS = ("attempts", "delay_seconds", "factor", "again_after_minutes")

_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
# A plain address, no display name: anything with spaces, angle brackets or separators is refused
# rather than guessed at (a typo must not send a report to the wrong place).
_ADDRESS = re.compile(r"[^@\s<>,;:\"'()\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")


@dataclass(frozen=True)
class Problem:
    entry: str | None  # the entry's id (or its position, "entry 3"), None for the file's top level
    field: str
    message: str

    def text(self) -> str:
        where = f"entry '{self.entry}', " if self.entry else ""
        return f"{where}field '{self.field}': {self.message}"


class ScheduleError(ReachError):
    """The schedule (a file or an edit) is not valid; `problems` lists each one."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source, self.problems = source, problems
        super().__init__(f"{source} is not a valid schedule: " + "; ".join(p.text() for p in problems) + ".")


@dataclass(frozen=True)
class Retry:
    attempts: int = 3  # tries per send, the first included
    delay_seconds: float = 30.0  # pause before the second try
    factor: float = 2.0  # each further pause is this many times longer
    again_after_minutes: float = 30.0  # `reach schedule --run`: how long a failed entry waits to be tried again

    def pauses(self) -> list[float]:
        return [self.delay_seconds * self.factor**i for i in range(self.attempts - 1)]


@dataclass(frozen=True)
class Entry:
    id: str
    report: str
    centres: tuple[str, ...]  # () = all centres
    period: str
    recipients: tuple[str, ...] = field(repr=False)  # staff addresses: personal data, never logged
    when: str
    lang: str = "cs"
    framework: str = DEFAULT_FRAMEWORK

    @property
    def family(self) -> str:
        return REPORTS[self.report][0]

    @property
    def extension(self) -> str:
        return REPORTS[self.report][1]

    def scope_text(self) -> str:
        return ", ".join(self.centres) if self.centres else "all centres"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "report": self.report,
                               "centres": list(self.centres) if self.centres else ALL_CENTRES,
                               "period": self.period, "recipients": list(self.recipients), "when": self.when}
        if self.family == "board":
            out["lang"] = self.lang
        else:
            out["framework"] = self.framework
        return out

    def describe(self) -> str:
        """One line for the audit log: no address, only how many."""
        return (f"report {self.report}, {self.scope_text()}, {self.period}, {len(self.recipients)} recipient(s), "
                f"when '{self.when}'")


@dataclass(frozen=True)
class Schedule:
    entries: tuple[Entry, ...] = ()
    timezone: str = DEFAULT_TIMEZONE
    retry: Retry = Retry()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def entry(self, entry_id: str) -> Entry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise ReachError(f"The schedule has no entry '{entry_id}'"
                         + (f" (it has {', '.join(e.id for e in self.entries)})." if self.entries else "."))

    def to_dict(self) -> dict[str, Any]:
        retry = self.retry
        return {"timezone": self.timezone,
                "retry": {"attempts": retry.attempts, "delay_seconds": retry.delay_seconds, "factor": retry.factor,
                          "again_after_minutes": retry.again_after_minutes},
                "schedules": [e.to_dict() for e in self.entries]}

    def with_entries(self, entries: list[Entry]) -> Schedule:
        return replace(self, entries=tuple(entries))


# --- parsing -------------------------------------------------------------------------------------


def parse_schedule(data: Any, source: str = "the schedule") -> Schedule:
    """A Schedule from the parsed YAML (or the page's dict); ScheduleError listing every problem."""
    problems: list[Problem] = []
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScheduleError(source, [Problem(None, "schedules", "the file must be a mapping with a 'schedules' list")])
    for key in data:
        if key not in TOP_FIELDS:
            problems.append(Problem(None, str(key), f"unknown field (allowed: {', '.join(TOP_FIELDS)})"))
    timezone = _timezone(data.get("timezone", DEFAULT_TIMEZONE), problems)
    retry = _retry(data.get("retry") or {}, problems)
    raw_entries = data.get("schedules") or []
    entries: list[Entry] = []
    if not isinstance(raw_entries, list):
        problems.append(Problem(None, "schedules", "must be a list of entries"))
        raw_entries = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_entries, start=1):
        entry = parse_entry(raw, problems, position)
        if entry is None:
            continue
        if entry.id in seen:
            problems.append(Problem(entry.id, "id", "another entry has the same id"))
        seen.add(entry.id)
        entries.append(entry)
    if problems:
        raise ScheduleError(source, problems)
    return Schedule(tuple(entries), timezone, retry)


def validate_entry(data: Any) -> Entry:
    """One entry from the admin page's form; ScheduleError naming each bad field."""
    problems: list[Problem] = []
    entry = parse_entry(data, problems, 1)
    if problems or entry is None:
        raise ScheduleError("The schedule entry", problems)
    return entry


def parse_entry(raw: Any, problems: list[Problem], position: int) -> Entry | None:
    if not isinstance(raw, dict):
        problems.append(Problem(f"entry {position}", "id", "each entry must be a mapping of fields"))
        return None
    before = len(problems)
    entry_id = str(raw.get("id", "") or "").strip()
    name = entry_id or f"entry {position}"

    def bad(field_name: str, message: str) -> None:
        problems.append(Problem(name, field_name, message))

    for key in raw:
        if key not in ENTRY_FIELDS:
            bad(str(key), f"unknown field (allowed: {', '.join(ENTRY_FIELDS)})")
    if not entry_id:
        bad("id", "missing; give a short name such as 'board-monthly'")
    elif not _ID.fullmatch(entry_id):
        bad("id", f"'{entry_id}' must be 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit")
    report = str(raw.get("report", "") or "").strip()
    if report not in REPORTS:
        bad("report", (f"'{report}' is not a report" if report else "missing")
            + f"; one of {', '.join(REPORTS)}")
    centres = _centres(raw.get("centres"), bad)
    period = _period_rule(raw.get("period"), bad)
    recipients = _recipients(raw.get("recipients"), bad)
    when = str(raw.get("when", "") or "").strip()
    if not when:
        bad("when", "missing; a cron expression such as '0 7 3 * *' (day 3 of each month at 07:00)")
    elif len(when.split()) != 5 or not croniter.is_valid(when):
        bad("when", f"'{when}' is not a cron expression of five fields (minute hour day month weekday), "
                    "e.g. '0 7 3 * *' for day 3 of each month at 07:00")
    lang = str(raw.get("lang", "cs") or "cs").strip()
    if lang not in LANGS:
        bad("lang", f"'{lang}' is not a language of the board pack ({', '.join(LANGS)})")
    framework = str(raw.get("framework", DEFAULT_FRAMEWORK) or DEFAULT_FRAMEWORK).strip()
    if report in REPORTS and REPORTS[report][0] == "board" and "framework" in raw:
        bad("framework", "only the ministry workbook has a framework")
    if report in REPORTS and REPORTS[report][0] == "ministry" and "lang" in raw:
        bad("lang", "only the board pack has a language")
    if len(problems) > before:
        return None
    return Entry(entry_id, report, centres, period, recipients, when, lang, framework)


def _timezone(value: Any, problems: list[Problem]) -> str:
    text = str(value or "").strip()
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(Problem(None, "timezone", f"'{text}' is not a time zone (e.g. {DEFAULT_TIMEZONE})"))
        return DEFAULT_TIMEZONE
    return text


def _retry(value: Any, problems: list[Problem]) -> Retry:
    if not isinstance(value, dict):
        problems.append(Problem(None, "retry", "must be a mapping of " + ", ".join(RETRY_FIELDS)))
        return Retry()
    numbers: dict[str, float] = {}
    for key, raw in value.items():
        if key not in RETRY_FIELDS:
            problems.append(Problem(None, f"retry.{key}", f"unknown field (allowed: {', '.join(RETRY_FIELDS)})"))
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
            problems.append(Problem(None, f"retry.{key}", f"'{raw}' must be a number of at least 0"))
            continue
        numbers[key] = raw
    attempts = numbers.get("attempts", Retry.attempts)
    if not 1 <= attempts <= 10 or attempts != int(attempts):
        problems.append(Problem(None, "retry.attempts", f"'{attempts}' must be a whole number from 1 to 10"))
        attempts = Retry.attempts
    factor = numbers.get("factor", Retry.factor)
    if factor < 1:
        problems.append(Problem(None, "retry.factor", f"'{factor}' must be at least 1"))
        factor = Retry.factor
    return Retry(int(attempts), float(numbers.get("delay_seconds", Retry.delay_seconds)), float(factor),
                 float(numbers.get("again_after_minutes", Retry.again_after_minutes)))


def _centres(value: Any, bad: Any) -> tuple[str, ...]:
    if value is None or (isinstance(value, str) and value.strip().lower() == ALL_CENTRES):
        if value is None:
            bad("centres", f"missing; a list of centre codes or '{ALL_CENTRES}'")
        return ()
    codes = [value] if isinstance(value, str) else value
    if not isinstance(codes, list) or not codes:
        bad("centres", f"must be a list of centre codes or '{ALL_CENTRES}'")
        return ()
    known = set(known_codes())
    out = []
    for code in codes:
        text = str(code).strip().upper()
        if text not in known:
            bad("centres", f"'{code}' is not a known centre ({', '.join(sorted(known))}; `reach centres` lists them)")
        elif text not in out:
            out.append(text)
    return tuple(sorted(out))


def _period_rule(value: Any, bad: Any) -> str:
    text = " ".join(str(value or "").replace("-", " ").replace("_", " ").lower().split())
    if text not in PERIOD_RULES:
        bad("period", (f"'{value}' is not a period rule" if value else "missing")
            + f"; one of {', '.join(PERIOD_RULES)}")
    return text


def _recipients(value: Any, bad: Any) -> tuple[str, ...]:
    addresses = [value] if isinstance(value, str) else value
    if not isinstance(addresses, list) or not addresses:
        bad("recipients", "missing; a list of e-mail addresses")
        return ()
    out: list[str] = []
    for position, address in enumerate(addresses, start=1):
        text = str(address).strip()
        if not _ADDRESS.fullmatch(text):
            # The address itself is not repeated: it is personal data, and the message may be logged.
            bad("recipients", f"recipient {position} is not a plain e-mail address (name@domain)")
        elif text.lower() not in (a.lower() for a in out):
            out.append(text)
    if len(out) > MAX_RECIPIENTS:
        bad("recipients", f"{len(out)} recipients; at most {MAX_RECIPIENTS}")
    return tuple(out)


# --- when is an entry due, and for which period ----------------------------------------------------


def occurrences(entry: Entry, zone: ZoneInfo, after: datetime | None, until: datetime,
                limit: int) -> tuple[list[datetime], bool]:
    """The entry's due times in (after, until], oldest first, and whether older ones beyond the
    newest `limit` were left out. With no `after` (nothing sent yet) only the latest due time."""
    walker = croniter(entry.when, until.astimezone(zone) + timedelta(seconds=1))
    if after is None:
        return [walker.get_prev(datetime)], False
    newest_first: list[datetime] = []
    while len(newest_first) <= limit:
        due = walker.get_prev(datetime)
        if due <= after:
            return newest_first[::-1], False
        newest_first.append(due)
    return newest_first[:limit][::-1], True


def next_due(entry: Entry, zone: ZoneInfo, now: datetime) -> datetime:
    return croniter(entry.when, now.astimezone(zone)).get_next(datetime)


def period_for(rule: str, due: date) -> Period:
    """The calendar period a rule names, as seen on the due date (the period model of
    pipelines/metrics/periods.py: months, quarters, years and their previous ones).

    "X to date" runs from the first day of the current X to the day before the due date; due on
    the first day of X, it is the whole previous X, so it is never empty.
    """
    words = rule.split()
    kind = words[1] if words[0] == "previous" else words[0]
    current = _current(kind, due)
    if rule.startswith("previous") or due == current.date_from:
        previous = comparison_period(current, "previous")
        if previous is None:
            raise ReachError(f"There is no {kind} before {due.isoformat()} to report on.")
        return previous
    return Period(current.date_from, due - timedelta(days=1))


def _current(kind: str, day: date) -> Period:
    # periods.py names calendar periods by their preset values; it has no "the month containing a date".
    value = {"month": f"{day:%Y-%m}", "quarter": f"{day.year}-Q{(day.month - 1) // 3 + 1}", "year": f"{day.year}"}
    period = preset_period(kind, value[kind])
    if period is None:
        raise ReachError(f"{day.isoformat()} lies outside the dates a report may cover.")
    return period
