"""The portfolio: every funded project, past and present, as figures, lists and open-standard exports."""
