"""Every model, importable from one place (and registered with the metadata)."""
from .accounts.documents import OrganisationDocument
from .accounts.models import ApiToken, LoginFailure, Organisation, User, UserRole, UserSession
from .audit.models import AuditEvent
from .calls.models import Call, CallStatus, CallTemplate, CallTranslation, Criterion
from .decisions.models import Decision, Endorsement, StoredRecommendation
from .extensions import Base, db
from .funds.models import Contribution, ContributionStatus, Donor, EntryKind, Fund, LedgerEntry
from .grants.models import (Disbursement, Grant, GrantBudgetLine, IndicatorProgress, Report, ReportAttachment,
                            ReportLine, Revision, RevisionLine, Tranche)
from .outbox.models import MessageStatus, OutboxMessage
from .portfolio.models import PastProject
from .proposals.models import Attachment, BudgetLine, Proposal, ProposalStatus, ReferenceCounter, StatusChange
from .reviews.models import (Assignment, AssignmentStatus, Declaration, PanelMember, Review, ReviewerLink,
                             ReviewerProfile, ReviewScore)
from .screening.models import Clarification, SentReminder
from .stash import StashedForm

__all__ = ["ApiToken", "AuditEvent", "Base", "Call", "CallStatus", "CallTemplate", "CallTranslation", "Criterion",
           "LoginFailure", "MessageStatus", "Organisation", "OutboxMessage", "User", "UserRole", "UserSession", "db",
           "Attachment", "BudgetLine", "Clarification", "Proposal", "ProposalStatus", "ReferenceCounter",
           "StatusChange", "OrganisationDocument", "SentReminder", "StashedForm",
           "Assignment", "AssignmentStatus", "Declaration", "PanelMember", "Review", "ReviewerLink",
           "ReviewerProfile", "ReviewScore", "StoredRecommendation", "Decision", "Endorsement", "Grant", "GrantBudgetLine",
           "Contribution", "ContributionStatus", "Donor", "EntryKind", "Fund", "LedgerEntry",
           "Disbursement", "IndicatorProgress", "Report", "ReportAttachment", "ReportLine", "Revision", "RevisionLine",
           "Tranche", "PastProject"]
