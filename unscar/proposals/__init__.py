"""Proposals: drafts, budgets, attachments, eligibility checks, submission, screening."""
