"""The words pages and e-mails show for a grant's codes: the statuses of grants, tranches,
reports and revisions, and a report's name from its stage and kind, each read in the
reader's language (vocabulary.Labels). The codes themselves stay as they are in the API."""
from ..vocabulary import N_, Labels

STATUS_LABELS = Labels({
    # grants (closing: open, past its end date)
    "active": N_("active"),
    "extended": N_("extended"),
    "closing": N_("closing"),
    "closed": N_("closed"),
    "suspended": N_("suspended"),
    # tranches
    "paid": N_("paid"),
    "partly_paid": N_("partly paid"),
    "due": N_("due"),
    "pending": N_("pending"),
    # reports and revisions
    "overdue": N_("overdue"),
    "submitted": N_("submitted"),
    "accepted": N_("accepted"),
    "returned": N_("returned"),
    "approved": N_("approved"),
    "rejected": N_("rejected"),
})

# A report as a heading or a list names it, by (stage, kind).
REPORT_TITLES = Labels({
    ("interim", "financial"): N_("Interim financial report"),
    ("interim", "narrative"): N_("Interim narrative report"),
    ("final", "financial"): N_("Final financial report"),
    ("final", "narrative"): N_("Final narrative report"),
    ("other", "financial"): N_("Other financial report"),
    ("other", "narrative"): N_("Other narrative report"),
})

# The same inside a sentence ("The %(report)s for grant ...").
REPORT_NAMES = Labels({
    ("interim", "financial"): N_("interim financial report"),
    ("interim", "narrative"): N_("interim narrative report"),
    ("final", "financial"): N_("final financial report"),
    ("final", "narrative"): N_("final narrative report"),
    ("other", "financial"): N_("other financial report"),
    ("other", "narrative"): N_("other narrative report"),
})


def status_label(code: str) -> str:
    return STATUS_LABELS[code] if code in STATUS_LABELS else code.replace("_", " ")


def report_title(report) -> str:
    return REPORT_TITLES[report.stage.value, report.kind.value]


def report_name(report) -> str:
    return REPORT_NAMES[report.stage.value, report.kind.value]
