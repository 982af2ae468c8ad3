"""The secretariat's intake of submitted proposals: the automatic checks, screening,
clarification questions, organisation verification, and deadline reminders."""
from . import checks  # noqa: F401  (registers the automatic checks with proposals/services)
