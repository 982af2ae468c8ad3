"""The production setup as the README gives it: migrations, then gunicorn serving wsgi:app."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import DATABASE_URL, ON_POSTGRES

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_serves_the_migrated_application(tmp_path, database_template):
    url = DATABASE_URL if ON_POSTGRES else f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    env = {**os.environ, "SECRET_KEY": "a-production-secret", "DATABASE_URL": url,
           "UPLOAD_FOLDER": str(tmp_path / "uploads")}
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    port = _free_port()
    server = subprocess.Popen([str(bin_dir / "gunicorn"), "--worker-class", "gthread", "--threads", "4",
                               "--workers", "2", "--timeout", "300", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/calls/", timeout=2) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.1)
        assert body is not None and "Calls for proposals" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stderr.close()

