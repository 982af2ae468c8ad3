"""Entry point for `flask --app wsgi` and `gunicorn wsgi:app`."""
from unscar import create_app

app = create_app()
