"""Every model, importable from one place (and registered with the metadata)."""
from .accounts.models import ApiToken, LoginFailure, Organisation, User, UserRole
from .audit.models import AuditEvent
from .extensions import Base, db
from .outbox.models import MessageStatus, OutboxMessage

__all__ = ["ApiToken", "AuditEvent", "Base", "LoginFailure", "MessageStatus", "Organisation",
           "OutboxMessage", "User", "UserRole", "db"]
