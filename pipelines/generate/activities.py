"""Contacts, courses with enrolments, events with participants, and outcomes (canonical codes).

Every generator returns polars frames with the contract's canonical column names plus
private columns starting with `_` (day numbers) that the delivery planner uses.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines import contract
from pipelines.generate import distributions as dist
from pipelines.generate.centres import CentreProfile
from pipelines.generate.period import Period, to_dates
from pipelines.generate.sampling import clients_registered_by, codes, numbered

CONTACT_CHUNK = 200_000  # clients per chunk: bounds the temporaries of a million-client sample


def generate_contacts(
    rng: np.random.Generator, clients: pl.DataFrame, period: Period, profile: CentreProfile, first_number: int = 1,
) -> pl.DataFrame:
    """Individual contacts: first on registration, then visits at exponential gaps; IDs in date
    order, numbered from `first_number`."""
    chunks = [
        _contacts_of(rng, clients.slice(offset, CONTACT_CHUNK), period, profile)
        .with_columns(pl.col("_owner") + offset)
        for offset in range(0, clients.height, CONTACT_CHUNK)
    ]
    frame = pl.concat(chunks).sort("_day", "_owner", maintain_order=True).drop("_owner")
    return frame.select(numbered("KT", frame.height, 8, first_number).alias("contact_id"), pl.all())


def _contacts_of(rng: np.random.Generator, clients: pl.DataFrame, period: Period,
                 profile: CentreProfile) -> pl.DataFrame:
    n = clients.height
    reg = clients["_reg_day"].to_numpy()
    carried = reg < period.start_day
    first = np.where(carried, period.start_day + rng.integers(0, 60, size=n), reg)
    per_client = 1 + rng.poisson(dist.CONTACTS_EXTRA_MEAN, size=n)
    owner = np.repeat(np.arange(n), per_client)
    gaps = rng.exponential(dist.CONTACT_GAP_DAYS, size=len(owner))
    starts = np.cumsum(per_client) - per_client
    gaps[starts] = 0.0
    elapsed = np.cumsum(gaps)
    elapsed -= np.repeat(elapsed[starts], per_client)
    day = first[owner] + np.floor(elapsed).astype(np.int64)
    keep = day < period.end_day
    owner, day = owner[keep], day[keep]
    order = np.lexsort((owner, day))
    owner, day = owner[order], day[order]
    m = len(owner)

    service = codes(dist.SERVICE, rng, m)
    mode = codes(dist.MODE, rng, m)
    mode[service == "field_work"] = "field"
    topic = codes(dist.TOPIC, rng, m).astype(object)
    topic[rng.random(m) < dist.TOPIC_EMPTY] = None
    duration = np.clip(np.round(dist.DURATION_MEDIAN_MIN * rng.lognormal(0, 0.5, m) / 5) * 5, 5, 240)

    citizenship = clients["citizenship"].to_numpy()[owner]
    interpret_share = np.full(m, dist.INTERPRETED_SHARE["other"])
    for code in ("UA", "VN", "MN", "CZ"):
        interpret_share[citizenship == code] = dist.INTERPRETED_SHARE[code]
    interpret_share[np.isin(citizenship, list(dist.EU_CITIZENS))] = dist.INTERPRETED_SHARE["EU"]
    interpreted = (rng.random(m) < interpret_share) | (service == "interpreting")

    # Clients mostly visit the office in their own district when there is one.
    home_town = np.array([profile.seats.get(d or "", "") for d in clients["district"].to_list()])[owner]
    branch = codes(profile.branch, rng, m)
    local = np.isin(home_town, profile.branch.codes) & (rng.random(m) < 0.8)
    branch[local] = home_town[local]

    return pl.DataFrame({
        "client_id": clients["client_id"].to_numpy()[owner],
        "contact_date": to_dates(day),
        "service": service,
        "topic": pl.Series(topic.tolist(), dtype=pl.String),
        "mode": mode,
        "duration_min": duration.astype(np.int32),
        "branch": branch,
        "interpreted": interpreted,
        "deleted": np.zeros(m, dtype=bool),
        "_day": day,
        "_owner": owner,
    })


def generate_courses(
    rng: np.random.Generator, n_clients: int, period: Period, profile: CentreProfile, first_number: int = 1,
) -> pl.DataFrame:
    """Czech courses in 12-week terms and one-day socio-cultural orientation courses."""
    scale = n_clients * min(period.months, 12) / 12 / np.mean(dist.COURSE_SIZE)
    n_czech = max(3, round(scale * dist.CZECH_COURSE_SHARE))
    n_sco = max(1, round(scale * dist.SCO_SHARE))
    course_type = np.concatenate([codes(dist.COURSE_TYPE, rng, n_czech), np.full(n_sco, "sociocultural_orientation")])
    n = len(course_type)
    start = rng.integers(period.start_day, period.end_day - 7, size=n)
    sco = course_type == "sociocultural_orientation"
    end = np.where(sco, start, start + dist.COURSE_TERM_DAYS)
    order = np.lexsort((course_type, start))
    course_type, start, end = course_type[order], start[order], end[order]
    return pl.DataFrame({
        "course_id": numbered("KU", n, 5, first_number),
        "course_type": course_type,
        "starts_on": to_dates(start),
        "ends_on": to_dates(end),
        "branch": codes(profile.branch, rng, n),
        "planned_hours": np.array([dist.COURSE_HOURS[t] for t in course_type], dtype=np.int32),
        "deleted": np.zeros(n, dtype=bool),
        "_day": start,
        "_end_day": end,
    })


def generate_enrolments(
    rng: np.random.Generator, courses: pl.DataFrame, clients: pl.DataFrame, period: Period
) -> pl.DataFrame:
    """Enrolments with CEFR progress and exams; `_final_day` is when the result is known."""
    size = rng.integers(dist.COURSE_SIZE[0], dist.COURSE_SIZE[1] + 1, size=courses.height)
    course = np.repeat(np.arange(courses.height), size)
    start = courses["_day"].to_numpy()[course]
    end = courses["_end_day"].to_numpy()[course]
    reg = clients["_reg_day"].to_numpy()
    who = clients_registered_by(rng, reg, start)
    citizenship = clients["citizenship"].to_numpy()
    keep = who >= 0
    keep[keep] &= citizenship[who[keep]] != dist.MAJORITY
    frame = pl.DataFrame({"_course": course[keep], "_client": who[keep], "_start": start[keep], "_end": end[keep]})
    frame = frame.unique(["_course", "_client"], keep="first", maintain_order=True)
    n = frame.height
    course, who = frame["_course"].to_numpy(), frame["_client"].to_numpy()
    start, end = frame["_start"].to_numpy(), frame["_end"].to_numpy()
    course_type = courses["course_type"].to_numpy()[course]
    sco = course_type == "sociocultural_orientation"

    enrolled = np.maximum(np.minimum(reg[who], start), start - rng.integers(0, 15, size=n))
    completed = rng.random(n) < np.where(sco, 0.95, dist.COMPLETION_RATE)
    attendance = np.where(
        sco, 100.0,
        np.where(completed, rng.uniform(70, 100, n), rng.uniform(10, 70, n)),
    ).round(1)
    target = np.array([{"czech_a1": 1, "czech_a2": 2, "czech_b1": 3}.get(t, 0) for t in course_type])
    level_in = np.where(rng.random(n) < 0.85, target - 1, np.maximum(target - 2, 0))
    improved = completed & (rng.random(n) < dist.LEVEL_UP_WHEN_COMPLETED)
    level_out = np.where(improved, level_in + 1, level_in)
    levels = np.array(contract.CEFR_LEVELS, dtype=object)
    exam_taken = completed & (rng.random(n) < np.array([dist.EXAM_TAKEN.get(t, 0.0) for t in course_type]))
    passed = rng.random(n) < dist.EXAM_PASSED
    exam = np.where(exam_taken, np.where(passed, "passed", "failed"), "not_taken")

    # A course still running at the period end has no result yet.
    running = end >= period.end_day
    no_level = sco | running
    return pl.DataFrame({
        "course_id": courses["course_id"].to_numpy()[course],
        "client_id": clients["client_id"].to_numpy()[who],
        "enrolled_on": to_dates(enrolled),
        "attendance_pct": pl.Series(np.where(running, np.nan, attendance)).fill_nan(None),
        "level_in": pl.Series(np.where(sco, None, levels[level_in]).tolist(), dtype=pl.String),
        "level_out": pl.Series(np.where(no_level, None, levels[level_out]).tolist(), dtype=pl.String),
        "completed": completed & ~running,
        "exam": np.where(running, "not_taken", exam),
        "deleted": np.zeros(n, dtype=bool),
        "_day": enrolled,
        "_final_day": np.where(running | (end <= enrolled), -1, end),
    })


def generate_events(
    rng: np.random.Generator, n_clients: int, period: Period, profile: CentreProfile, first_number: int = 1,
) -> pl.DataFrame:
    """Group activities with head counts (registered and unregistered people)."""
    n = max(2 * period.months, round(n_clients * period.months * dist.EVENTS_PER_CLIENT_MONTH))
    day = np.sort(rng.integers(period.start_day, period.end_day, size=n))
    event_type = codes(dist.EVENT_TYPE, rng, n)
    audience = np.array([dist.EVENT_AUDIENCE[t] for t in event_type])
    participants = np.clip(np.round(20 * rng.lognormal(0, 0.6, n)), 3, 400).astype(np.int64)
    share = np.array([dist.FOREIGN_SHARE_BY_AUDIENCE[a] for a in audience])
    foreign = rng.binomial(participants, share)
    return pl.DataFrame({
        "event_id": numbered("AK", n, 6, first_number),
        "event_type": event_type,
        "event_date": to_dates(day),
        "district": codes(profile.event_district, rng, n),
        "audience": audience,
        "participants": participants.astype(np.int32),
        "participants_foreign": foreign.astype(np.int32),
        "deleted": np.zeros(n, dtype=bool),
        "_day": day,
    })


def generate_event_participants(
    rng: np.random.Generator, events: pl.DataFrame, clients: pl.DataFrame
) -> pl.DataFrame:
    """Registered clients among the foreign participants of events."""
    registered = rng.binomial(events["participants_foreign"].to_numpy(), dist.EVENT_REGISTERED_SHARE)
    event = np.repeat(np.arange(events.height), registered)
    day = events["_day"].to_numpy()[event]
    who = clients_registered_by(rng, clients["_reg_day"].to_numpy(), day)
    keep = who >= 0
    frame = pl.DataFrame({
        "event_id": events["event_id"].to_numpy()[event[keep]],
        "client_id": clients["client_id"].to_numpy()[who[keep]],
        "deleted": np.zeros(int(keep.sum()), dtype=bool),
        "_day": day[keep],
    })
    return frame.unique(["event_id", "client_id"], keep="first", maintain_order=True)


def generate_outcomes(
    rng: np.random.Generator, contacts: pl.DataFrame, enrolments: pl.DataFrame, period: Period, first_number: int = 1,
) -> pl.DataFrame:
    """Outcomes after contacts on a matching topic, and passed Czech exams after the course."""
    lucky = pl.Series(rng.random(contacts.height) < dist.OUTCOME_PER_CONTACT)
    picked = contacts.select("client_id", "topic", "_day").filter(lucky & pl.col("topic").is_not_null())
    topic = picked["topic"].to_numpy()
    outcome = np.empty(picked.height, dtype=object)
    for name, choices in dist.OUTCOME_BY_TOPIC.items():
        mask = topic == name
        outcome[mask] = codes(dist.Weights.of(dict(choices)), rng, int(mask.sum()))
    day = picked["_day"].to_numpy() + rng.integers(*dist.OUTCOME_DELAY_DAYS, size=picked.height)
    client = picked["client_id"].to_numpy()

    passed = enrolments.filter((pl.col("exam") == "passed") & (pl.col("_final_day") >= 0))
    exam_day = passed["_final_day"].to_numpy() + rng.integers(0, 30, size=passed.height)
    outcome = np.concatenate([outcome, np.full(passed.height, "czech_exam_passed", dtype=object)])
    day = np.concatenate([day, exam_day])
    client = np.concatenate([client, passed["client_id"].to_numpy()])

    keep = day < period.end_day
    order = np.argsort(day[keep], kind="stable")
    outcome, day, client = outcome[keep][order], day[keep][order], client[keep][order]
    n = len(day)
    return pl.DataFrame({
        "outcome_id": numbered("VY", n, 7, first_number),
        "client_id": client.astype(str),
        "outcome_date": to_dates(day),
        "outcome": outcome.astype(str),
        "verified": rng.random(n) < dist.VERIFIED_SHARE,
        "deleted": np.zeros(n, dtype=bool),
        "_day": day,
    })
