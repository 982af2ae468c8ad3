"""Checking the audit log's hash chain (chain.py) link by link, as `unscar verify-audit` does.

The chain is read in seq order as a stream (a server-side cursor on PostgreSQL), so memory
does not grow with the log. The first broken link is named; what is wrong there says what
was done to the stored rows:
- an event whose fields no longer hash to its link's hash: edited (or moved);
- a link whose prev_hash is not the hash before it: a link deleted, inserted or reordered;
- a seq missing from 1, 2, 3, ...: links deleted;
- a link whose event is gone: the event deleted;
- an event without a link: inserted directly, not by the audit writer.
What a hash chain cannot show by itself: someone able to rewrite the database who
recomputes every hash from the change onward, or cuts the chain's tail off. The head's
seq and hash are reported so they can be kept outside the database and compared
(`--expect-head`).
"""
from dataclasses import dataclass

from sqlalchemy import exists, select

from ..extensions import db
from .chain import GENESIS, event_columns, link_hash
from .models import AuditEvent, AuditLink

STREAM_BATCH = 1000


@dataclass
class Verdict:
    checked: int  # links found intact before the first break (all of them when intact)
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    broken_event_id: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify_chain(anchor: tuple[int, str] | None = None) -> Verdict:
    """Walk the chain from seq 1; the verdict names the first broken link, if any.

    `anchor`, a (seq, hash) recorded earlier outside the database, must still be on the
    chain: this catches a history rewritten with fresh hashes, or a tail cut off.
    """
    stmt = (select(AuditLink.seq, AuditLink.event_id.label("link_event_id"), AuditLink.prev_hash, AuditLink.hash,
                   *event_columns())
            .outerjoin(AuditEvent, AuditEvent.id == AuditLink.event_id).order_by(AuditLink.seq)
            .execution_options(yield_per=STREAM_BATCH))
    expected, prev_hash = 1, GENESIS
    result = db.session.connection().execute(stmt)
    try:  # closed on an early return too: an unclosed server-side cursor lingers
        for row in result.mappings():
            problem = _problem(row, expected, prev_hash)
            if not problem and anchor and row["seq"] == anchor[0] and row["hash"] != anchor[1]:
                problem = "the hash differs from the head recorded earlier: the chain was rewritten from here or before"
            if problem:
                return Verdict(expected - 1, expected - 1, prev_hash, row["seq"], row["link_event_id"], problem)
            expected, prev_hash = expected + 1, row["hash"]
    finally:
        result.close()
    if anchor and anchor[0] >= expected:
        return Verdict(expected - 1, expected - 1, prev_hash, anchor[0], None,
                       f"the chain ends at seq {expected - 1}, before the recorded head: its tail was cut off")
    stray = db.session.scalar(select(AuditEvent.id).where(~exists().where(AuditLink.event_id == AuditEvent.id))
                              .order_by(AuditEvent.id).limit(1))
    if stray is not None:
        return Verdict(expected - 1, expected - 1, prev_hash, None, stray,
                       "the event is in no link of the chain: inserted directly, not by the audit writer")
    return Verdict(expected - 1, expected - 1, prev_hash)


def _problem(row, expected: int, prev_hash: str) -> str | None:
    if row["seq"] != expected:
        return (f"seq {expected} is missing (the chain jumps from {expected - 1} to {row['seq']}): "
                "links deleted")
    if row["prev_hash"] != prev_hash:
        return "prev_hash is not the hash of the link before: a link deleted, inserted or reordered"
    if row["id"] is None:
        return "the linked event is gone: deleted"
    if link_hash(row, row["seq"], row["prev_hash"]) != row["hash"]:
        return "the event's stored fields do not match the link's hash: edited (or moved)"
    return None
