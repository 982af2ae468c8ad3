"""Settings, read from the environment with safe defaults (API.md "Running it")."""
import os
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# The development key: create_app refuses to start with it outside debug and testing.
DEFAULT_SECRET_KEY = "dev-only-change-me"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    # `make run` writes a random key here the first time.
    key_file = INSTANCE_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    return DEFAULT_SECRET_KEY


class Config:
    BASE_DIR = BASE_DIR
    INSTANCE_PATH = INSTANCE_DIR
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'unscar.sqlite3'}"
    )
    # A pooled connection is tested before use, so after a database restart each server
    # reconnects by itself instead of failing one request per dead connection.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    MAX_UPLOAD_BYTES = _int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
    MAX_JSON_BYTES = 1024 * 1024
    REDIS_URL = os.environ.get("REDIS_URL") or None
    # Drawn charts kept in each process (unscar/charts.py), least recently used out first.
    CHART_CACHE_MAX_BYTES = _int("CHART_CACHE_MAX_BYTES", 32 * 1024 * 1024)
    CHART_CACHE_MAX_ENTRIES = _int("CHART_CACHE_MAX_ENTRIES", 512)
    PORTFOLIO_CACHE_ENTRIES = _int("PORTFOLIO_CACHE_ENTRIES", 256)
    # The fund's identifiers in the open-standard exports (portfolio/iati.py, giving.py):
    # placeholders until the fund registers its own.
    IATI_REPORTING_ORG_REF = os.environ.get("IATI_REPORTING_ORG_REF", "XI-IATI-UNSCAR")
    GIVING360_PREFIX = os.environ.get("GIVING360_PREFIX", "360G-UNSCAR")

    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "UNSCAR Grants <no-reply@unscar.local>")
    MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 10)
    MAIL_BACKOFF_SECONDS = _int("MAIL_BACKOFF_SECONDS", 60)
    MAIL_TIMEOUT_SECONDS = _int("MAIL_TIMEOUT_SECONDS", 20)
    # Links in e-mails are absolute; the sender runs outside any request.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")

    # The catalogues (translations/<language>/LC_MESSAGES/messages.po, compiled by
    # `make catalogues`); pages are in the reader's language (unscar/i18n.py).
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    BABEL_DEFAULT_LOCALE = "en"
    # Flask-WTF gives WTForms' own messages in the reader's language through Flask-Babel.
    WTF_I18N_ENABLED = True

    # A long proposal form must never be thrown away by an expired CSRF token: the
    # token lives as long as the session.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # Rate limits (ratelimits.py), per e-mail, organisation, user or browser; never per
    # client address alone. Generous: a secretariat may register hundreds of organisations
    # (each with its own address), an applicant upload dozens of files.
    RATELIMIT_PASSWORD_RESET = "5 per hour"
    RATELIMIT_REGISTRATION = "10 per hour"
    RATELIMIT_UPLOADS = "300 per hour"
    RATELIMIT_STASH_BROWSER = "20 per hour"
    RATELIMIT_STASH_ALL = "300 per hour"  # anyone may post: caps what is stored
    # Autosaves of a draft by one user within this many minutes make one audit event
    # (proposals/autosave.py); the text itself is saved every time.
    AUTOSAVE_AUDIT_MINUTES = _int("AUTOSAVE_AUDIT_MINUTES", 5)

    LOGIN_MAX_FAILURES = 5
    LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
    API_TOKEN_HOURS = 24
    PASSWORD_RESET_MAX_AGE_SECONDS = _int("PASSWORD_RESET_MAX_AGE_SECONDS", 60 * 60)
    INVITATION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60
    MIN_PASSWORD_LENGTH = 10
    # `unscar remind` tells organisations with a draft this many days before the deadline.
    REMIND_DAYS_BEFORE_DEADLINE = _int("REMIND_DAYS_BEFORE_DEADLINE", 7)
    # ... and reviewers with an unsubmitted review this many days before reviews close.
    REVIEW_REMIND_DAYS = _int("REVIEW_REMIND_DAYS", 3)
    # Programme support costs: this share of every contribution received (DESIGN.md "Fund ledger").
    PROGRAMME_SUPPORT_RATE = Decimal(os.environ.get("PROGRAMME_SUPPORT_RATE") or "0.13")
    # A grant's default tranches: this share on approval, the rest on the accepted interim reports.
    FIRST_TRANCHE_SHARE = Decimal(os.environ.get("FIRST_TRANCHE_SHARE") or "0.70")
    # Interim reports fall due at this share of the grant's duration; final ones this many days
    # after its end (DESIGN.md "Narrative report").
    INTERIM_REPORT_AT = Decimal(os.environ.get("INTERIM_REPORT_AT") or "0.5")
    FINAL_REPORT_DAYS = _int("FINAL_REPORT_DAYS", 60)
    # Reports are reminded this many days before they fall due, and once after.
    REPORT_REMIND_DAYS = _int("REPORT_REMIND_DAYS", 14)
    # A category spending more than its current budget by this share is flagged.
    REALLOCATION_THRESHOLD = Decimal(os.environ.get("REALLOCATION_THRESHOLD") or "0.10")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite://")
    MAIL_SERVER = None
    REDIS_URL = None
    WTF_CSRF_ENABLED = True
    SERVER_NAME = None
