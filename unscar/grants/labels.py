"""The words pages and e-mails show for a grant's codes: the statuses of grants, tranches,
reports and revisions, and a report's name from its stage and kind, each read in the
reader's language (vocabulary.Labels). The codes themselves stay as they are in the API."""
from ..vocabulary import N_, NC_, Labels

# One map per kind of thing: French, Spanish, Russian and Arabic agree the word with the
# thing's gender, and "due" is a tranche payable but a report expected.
STATUS_LABELS = {
    "grant": Labels({
        "active": NC_("grant", "active"),
        "extended": NC_("grant", "extended"),
        "closing": NC_("grant", "closing"),  # open, past its end date
        "closed": NC_("grant", "closed"),
        "suspended": NC_("grant", "suspended"),
    }),
    "tranche": Labels({
        "paid": NC_("tranche", "paid"),
        "partly_paid": NC_("tranche", "partly paid"),
        "due": NC_("tranche", "due"),
        "pending": NC_("tranche", "pending"),
    }),
    "report": Labels({
        "due": NC_("report", "due"),
        "overdue": NC_("report", "overdue"),
        "submitted": NC_("report", "submitted"),
        "accepted": NC_("report", "accepted"),
        "returned": NC_("report", "returned"),
    }),
    "revision": Labels({
        "pending": NC_("revision", "pending"),
        "approved": NC_("revision", "approved"),
        "rejected": NC_("revision", "rejected"),
    }),
}

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


def status_label(code: str, of: str = "grant") -> str:
    """The status `code` of a grant, tranche, report or revision (`of`) in the reader's language."""
    labels = STATUS_LABELS[of]
    return labels[code] if code in labels else code.replace("_", " ")


def report_title(report) -> str:
    return REPORT_TITLES[report.stage.value, report.kind.value]


def report_name(report) -> str:
    return REPORT_NAMES[report.stage.value, report.kind.value]
