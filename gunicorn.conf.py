"""gunicorn's settings for `gunicorn wsgi:app` (read from the working directory; options
on the command line win). Each server runs this; several servers share one PostgreSQL,
one Redis (REDIS_URL) and one UPLOAD_FOLDER, and mail goes out from the one
`flask --app wsgi unscar worker` process, never from a web request.

The application is not preloaded: each worker process opens its own database
connections after the fork, so no connection is ever shared between processes.
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A long ranking or export may take a while; a stuck worker is still replaced.
timeout = 120
# On SIGTERM, requests in flight may finish before the worker goes.
graceful_timeout = 30
keepalive = 5
# gunicorn's control socket has one default path per user: several servers on one host
# would take it from each other. Nothing here uses it.
control_socket_disable = True
