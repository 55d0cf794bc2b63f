"""Scheduled sending, foundation part (docs/routine.md): the schedule file, its validation and
editing (the admin page's API), when entries are due and what they have sent (the state file),
and SMTP delivery. Producing the documents needs the report writers, so the sender that ties
these together lives in the composition root (reach/scheduler.py).
"""

from pipelines.schedule.model import REPORTS, Entry, Schedule, parse_schedule
from pipelines.schedule.store import add_entry, delete_entry, list_entries, read_schedule, replace_entry

__all__ = ["REPORTS", "Entry", "Schedule", "add_entry", "delete_entry", "list_entries", "parse_schedule",
           "read_schedule", "replace_entry"]
