"""UNSCAR Grants: the application factory."""
import logging

from flask import Flask

from config import DEFAULT_SECRET_KEY, Config

from .security import register_security_headers


def create_app(config_class=Config) -> Flask:
    app = Flask(__name__, template_folder="../templates", static_folder="../static",
                instance_path=str(Config.INSTANCE_PATH))
    app.config.from_object(config_class)
    _check_secret_key(app)
    # Uploads may be up to MAX_UPLOAD_BYTES; JSON bodies have their own 1 MiB limit.
    app.config.setdefault("MAX_CONTENT_LENGTH", app.config["MAX_UPLOAD_BYTES"] + 64 * 1024)
    register_extensions(app)
    register_languages(app)
    register_input_checks(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_commands(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


def _check_secret_key(app: Flask) -> None:
    if app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY and not (app.debug or app.testing):
        raise RuntimeError(
            "SECRET_KEY is the development default. Set the SECRET_KEY environment variable "
            "(or run `make run`, which writes a random key to instance/secret_key)."
        )


def register_extensions(app: Flask) -> None:
    from .extensions import csrf, db, limiter, login_manager, migrate
    from .locking import configure_sqlite

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Config.BASE_DIR / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    # Counts shared by every process through Redis when there is one (ratelimits.py).
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_ENABLED", True)  # the one Limiter must not keep a past app's choice
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
    from . import models  # noqa: F401  (every model registered before use)
    from .accounts.views import load_user

    login_manager.user_loader(load_user)


def register_languages(app: Flask) -> None:
    from . import i18n
    from .jsonlazy import LazyAwareJSONProvider

    i18n.init_app(app)
    # Messages made at import time (lazy_gettext) are translated when they are written out.
    app.json = LazyAwareJSONProvider(app)


def register_input_checks(app: Flask) -> None:
    from .inputs import register

    register(app)


def register_blueprints(app: Flask) -> None:
    from .accounts.views import bp as accounts_bp
    from .admin import users as _users  # noqa: F401  (the user administration pages, on admin_bp)
    from .admin.views import bp as admin_bp
    from .api import bp as api_bp
    from .calls.views import bp as calls_bp
    from .decisions.views import bp as decisions_bp
    from .extensions import csrf
    from .funds.views import bp as funds_bp
    from .grants import report_views, revision_views, work_views  # noqa: F401  (their pages, on grants_bp)
    from .grants.views import bp as grants_bp
    from .portfolio.views import bp as portfolio_bp
    from .home.views import bp as home_bp
    from .proposals.views import bp as proposals_bp
    from .reviews.views import bp as reviews_bp
    from .screening.views import bp as screening_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(calls_bp)
    app.register_blueprint(decisions_bp)
    app.register_blueprint(funds_bp)
    app.register_blueprint(grants_bp)
    app.register_blueprint(portfolio_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(reviews_bp)
    app.register_blueprint(screening_bp)
    # The API authenticates with bearer tokens only, so cross-site forms cannot use it.
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)


def register_errorhandlers(app: Flask) -> None:
    from .errors import register_errorhandlers as register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from .templating import register_helpers

    register_helpers(app)


def register_commands(app: Flask) -> None:
    from .cli import unscar_cli

    app.cli.add_command(unscar_cli)
