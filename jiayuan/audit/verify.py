"""The verifier: walks the audit chain in id order and checks every signed checkpoint against it.

Streams in keyset batches (`id > last ORDER BY id LIMIT n`), so memory stays constant and each
batch is an index range scan however long the log is; checkpoints are read the same way and
merged in by event id. What it finds, per event:

- `edited`: the event no longer matches its digest: a column of it was changed, or the event
  before it was rewritten with a recomputed digest;
- `missing`: the numbering jumps (`seq`): events between this one and the one before were removed;
- `order`: the numbering goes back or repeats: an event was inserted or copied;

and per checkpoint (its `event_id` names the event it signed):

- `forged`: the signature does not verify under the key (the checkpoint was made or altered
  without the key, or signed with a key no longer trusted);
- `recomputed`: the event it signed has another digest now: the chain was rewritten up to there;
- `count`: the number of events up to it is not the one signed: events were removed or inserted;
- `truncated`: the event it signed is gone and the chain now ends before it: the tail was cut off;
- `vanished`: the event it signed is gone from the middle of the chain.

After a problem the walk goes on from the row as it is, so one problem is reported once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jiayuan.audit import chain
from jiayuan.audit.models import AuditCheckpoint, AuditEvent

ROW_COLUMNS = (*chain.DIGEST_FIELDS, "digest")
CHECKPOINT_COLUMNS = ("id", "at", "event_id", "event_digest", "count", "signature")
BATCH = 5000


@dataclass(frozen=True)
class Problem:
    """Where the chain is broken (`event_id`), of which kind, and a sentence saying what was seen."""

    event_id: int
    kind: str
    detail: str


@dataclass
class VerificationReport:
    rows: int = 0
    checkpoints: int = 0
    last_id: int | None = None
    last_digest: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def keyset(
    queryset: QuerySet[Any], columns: tuple[str, ...], *, key: str, upto: int, size: int
) -> Iterator[dict[str, Any]]:
    """Rows of `queryset` with `key` <= upto in key order, `size` at a time, as dicts."""
    last = None
    while True:
        page = queryset.filter(**{f"{key}__lte": upto}).order_by(key)
        if last is not None:
            page = page.filter(**{f"{key}__gt": last})
        rows = list(page.values_list(*columns)[:size])
        for values in rows:
            yield dict(zip(columns, values, strict=True))
        if len(rows) < size:
            return
        last = rows[-1][columns.index(key)]


def _when(checkpoint: dict[str, Any]) -> str:
    return f"{timezone.localtime(checkpoint['at']):%Y-%m-%d %H:%M}"


class _Walk:
    def __init__(self, report: VerificationReport, max_problems: int | None) -> None:
        self.report = report
        self.max_problems = max_problems

    @property
    def full(self) -> bool:
        return self.max_problems is not None and len(self.report.problems) >= self.max_problems

    def problem(self, event_id: int, kind: str, detail: str) -> None:
        if not self.full:
            self.report.problems.append(Problem(event_id=event_id, kind=kind, detail=detail))

    def event(self, row: dict[str, Any], previous: str, expected_seq: int) -> None:
        if row["seq"] > expected_seq:
            missing = row["seq"] - expected_seq
            self.problem(
                row["id"],
                "missing",
                f"event {row['id']} is number {row['seq']} in the chain but follows number "
                f"{expected_seq - 1}: {missing} event(s) before it were removed",
            )
        elif row["seq"] < expected_seq:
            self.problem(
                row["id"],
                "order",
                f"event {row['id']} is number {row['seq']} in the chain but follows number "
                f"{expected_seq - 1}: an event was inserted or copied",
            )
        elif chain.event_digest(previous=previous, fields=row) != row["digest"]:
            self.problem(
                row["id"],
                "edited",
                f"event {row['id']} does not match its digest: a field of it was edited, or the event "
                "before it was rewritten with a recomputed digest",
            )

    def checkpoint(self, checkpoint: dict[str, Any], row: dict[str, Any] | None) -> None:
        self.report.checkpoints += 1
        event_id, count = checkpoint["event_id"], checkpoint["count"]
        name = f"checkpoint {checkpoint['id']} of {_when(checkpoint)}"
        if not chain.checkpoint_signed(
            event_id=event_id,
            event_digest=checkpoint["event_digest"],
            count=count,
            at=checkpoint["at"],
            signature=checkpoint["signature"],
        ):
            self.problem(event_id, "forged", f"the signature of {name} does not verify under the audit key")
        elif row is None and event_id == 0 and count == 0:
            return  # signed an empty chain
        elif row is None and (self.report.last_id is None or event_id > self.report.last_id):
            self.problem(
                event_id,
                "truncated",
                f"{name} signed event {event_id} as number {count}, but the chain ends at event "
                f"{self.report.last_id or 0} ({self.report.rows} events): its tail was removed",
            )
        elif row is None:
            self.problem(event_id, "vanished", f"event {event_id}, signed by {name}, is missing")
        elif row["digest"] != checkpoint["event_digest"]:
            self.problem(
                event_id,
                "recomputed",
                f"event {event_id} no longer has the digest {name} signed: "
                "the chain was rewritten up to here",
            )
        elif self.report.rows != count:
            self.problem(
                event_id,
                "count",
                f"{self.report.rows} events up to event {event_id}, but {name} signed {count}: events "
                "were removed or inserted before it",
            )


def verify_chain(*, batch_size: int = BATCH, max_problems: int | None = 100) -> VerificationReport:
    """Check every event and every checkpoint committed when the walk starts; report what is broken.

    The bounds are read first (checkpoints, then events), so a checkpoint or event committed during
    a long walk is left for the next one instead of looking like a truncation.
    """
    report = VerificationReport()
    walk = _Walk(report, max_problems)
    checkpoint_upto = AuditCheckpoint.objects.order_by("-id").values_list("id", flat=True).first() or 0
    event_upto = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    checkpoints = _checkpoints(checkpoint_upto, batch_size)
    pending = next(checkpoints, None)
    previous, expected_seq = "", 1
    events = keyset(AuditEvent.objects.all(), ROW_COLUMNS, key="id", upto=event_upto, size=batch_size)
    for row in events:
        while pending is not None and pending["event_id"] < row["id"]:
            walk.checkpoint(pending, None)
            pending = next(checkpoints, None)
        report.rows += 1
        walk.event(row, previous, expected_seq)
        while pending is not None and pending["event_id"] == row["id"]:
            walk.checkpoint(pending, row)
            pending = next(checkpoints, None)
        previous, expected_seq = row["digest"], row["seq"] + 1
        report.last_id, report.last_digest = row["id"], row["digest"]
        if walk.full:
            return report
    while pending is not None:
        walk.checkpoint(pending, None)
        pending = next(checkpoints, None)
    return report


def _checkpoints(upto: int, size: int) -> Iterator[dict[str, Any]]:
    """Checkpoints up to id `upto` in the order of the events they signed (then their own id)."""
    rows = (
        AuditCheckpoint.objects.filter(id__lte=upto)
        .order_by("event_id", "id")
        .values_list(*CHECKPOINT_COLUMNS)
        .iterator(chunk_size=size)
    )
    return (dict(zip(CHECKPOINT_COLUMNS, values, strict=True)) for values in rows)
