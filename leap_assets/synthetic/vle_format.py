"""Turning one day's Moodle events (parallel arrays) into `logstore_standard_log` CSV lines."""

from dataclasses import dataclass, field

import numpy as np

from leap_assets.synthetic import moodle_events as ev

HEADER = ("id", "eventname", "component", "action", "target", "crud", "edulevel", "contextid", "contextlevel",
          "contextinstanceid", "userid", "courseid", "relateduserid", "anonymous", "other", "timecreated",
          "origin", "ip", "realuserid")  # fmt: skip
ORIGINS = np.array(["web", "ws", "cli", "cron", "restore"], dtype=object)
WEB, APP, CLI, CRON, RESTORE = range(5)
KINDS: list[ev.Kind] = [
    *(k for k, _ in ev.LEARNING),
    ev.LOGGED_IN,
    ev.DASHBOARD,
    ev.LOGIN_FAILED,
    ev.FEEDBACK,
    *(k for k, _ in ev.STAFF),
]
KIND_INDEX = {kind: i for i, kind in reversed(list(enumerate(KINDS)))}
PREFIX = np.array([k.prefix for k in KINDS], dtype=object)
CM_BASE = 30_000  # first course-module id
COURSE_CONTEXT, MODULE_CONTEXT, USER_CONTEXT = 20_000, 100_000, 500_000


@dataclass
class Batch:
    """Events of one day as parallel arrays; `course` is an index into the Moodle course list (-1: none)."""

    parts: list[tuple[np.ndarray, ...]] = field(default_factory=list)

    def add(self, kind, user, course, time, origin, ip, related=-1, real=-1, anonymous=0, counts=0) -> None:
        """Append events; scalars are broadcast to the length of `time`. `counts`: LEAP should count it."""
        n = len(time)
        cols = (kind, user, course, time, origin, related, real, anonymous, counts)
        arrays = [np.broadcast_to(np.asarray(c, dtype=np.int64), (n,)) for c in cols]
        self.parts.append((*arrays, np.broadcast_to(np.asarray(ip, dtype=object), (n,))))

    def arrays(self) -> list[np.ndarray]:
        """Concatenated columns: kind, user, course, time, origin, related, real, anonymous, counts, ip."""
        return [np.concatenate(col) for col in zip(*self.parts, strict=True)]


def format_lines(
    rng: np.random.Generator,
    batch: Batch,
    first_id: int,
    course_ids: np.ndarray,
    username: np.ndarray,
    known: np.ndarray,
    null: str,
) -> tuple[list[str], int, int]:
    """CSV lines sorted by time (ids follow), the next free id, and how many rows LEAP should count."""
    kind, user, course, time, origin, related, real, anon, counts, ip = batch.arrays()
    order = np.lexsort((user, time))
    kind, user, course, time, origin, related, real, anon, ip = (
        a[order] for a in (kind, user, course, time, origin, related, real, anon, ip)
    )
    n = len(kind)
    # Ids climb with time, with the odd gap where rows of other components were purged.
    step = 1 + (rng.random(n) < 0.01) * rng.integers(1, 40, n)
    ids = first_id + np.cumsum(step) - step[0] if n else np.zeros(0, dtype=np.int64)

    cm_type = [k.cm_type for k in KINDS]
    level = np.full(n, ev.COURSE)
    instance = np.where(course >= 0, course_ids[np.maximum(course, 0)], 0)
    context = COURSE_CONTEXT + instance
    for k in np.unique(kind).tolist():
        rows = kind == k
        spec = KINDS[k]
        if cm_type[k] is not None:
            offset, count = ev.CM_OFFSET[cm_type[k]]
            cm = CM_BASE + course[rows] * ev.CM_BLOCK + offset + rng.integers(0, count, int(rows.sum()))
            level[rows], instance[rows], context[rows] = ev.MODULE, cm, MODULE_CONTEXT + cm
        elif spec.context == ev.SYSTEM:
            level[rows], instance[rows], context[rows] = ev.SYSTEM, 0, 1
        elif spec.context == ev.USER:
            level[rows], instance[rows], context[rows] = ev.USER, user[rows], USER_CONTEXT + user[rows]
    courseid = np.where(course >= 0, course_ids[np.maximum(course, 0)], 0)
    other = _other(rng, kind, user, instance, username, known)
    rel = np.where(related >= 0, related.astype(str), null).tolist()
    real_text = np.where(real >= 0, real.astype(str), null).tolist()
    lines = [
        f"{i},{p},{c},{lv},{ins},{u},{cid},{r},{a},{o},{t},{og},{ip_},{rl}"
        for i, p, c, lv, ins, u, cid, r, a, o, t, og, ip_, rl in zip(
            ids.tolist(), PREFIX[kind].tolist(), context.tolist(), level.tolist(), instance.tolist(),
            user.tolist(), courseid.tolist(), rel, anon.tolist(), other, time.tolist(),
            ORIGINS[origin].tolist(), ip.tolist(), real_text, strict=True,
        )
    ]  # fmt: skip
    return lines, int(ids[-1]) + 1 if n else first_id, int(counts.sum())


def _other(
    rng: np.random.Generator,
    kind: np.ndarray,
    user: np.ndarray,
    instance: np.ndarray,
    username: np.ndarray,
    known: np.ndarray,
) -> list[str]:
    out = np.empty(len(kind), dtype=object)
    for k in np.unique(kind).tolist():
        rows = np.flatnonzero(kind == k)
        spec = KINDS[k]
        template = spec.other_csv
        if not spec.params:
            out[rows] = template
            continue
        small = rng.integers(1, 20, len(rows))
        values = {
            "c": instance[rows].tolist(),
            "i": (instance[rows] - CM_BASE + 1).tolist(),
            "u": user[rows].tolist(),
            "d": (instance[rows] * 10 + small).tolist(),
            "x": small.tolist(),
            # Failed logins (user 0) try a real username.
            "n": np.where(user[rows] > 0, username[user[rows]], known[rng.integers(0, len(known), len(rows))]).tolist(),
            "t": [ev.TITLES[s % len(ev.TITLES)].replace('"', '""') for s in small.tolist()],
        }
        columns = [values[p] for p in spec.params]
        out[rows] = [template % args for args in zip(*columns, strict=True)]
    return out.tolist()
