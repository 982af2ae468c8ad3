"""The secretariat's intake of submitted proposals: the list per call, screening,
clarification questions, organisation verification, and deadline reminders."""
