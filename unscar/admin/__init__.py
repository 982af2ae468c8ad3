"""Pages that span every part: the audit log and the outbox, for staff."""
