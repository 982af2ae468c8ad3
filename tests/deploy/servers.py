"""The processes of a several-server deployment, started and stopped by the deployment
tests and bench/load.py: a private PostgreSQL cluster (initdb on a free port, in a
temporary folder), a private redis-server, gunicorn instances and the mail worker.

Never the machine's shared services: a fault test may stop or restart what it started.
Every process is started in its own session and stopped by its own id; `Deployment`
stops everything it started, and removes its data folders, even when a test fails.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = Path(shutil.which("pg_ctl") or "/usr/local/bin/pg_ctl").parent
SECRET_KEY = "deploy-test-secret-key-not-the-default"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ProcessExited(RuntimeError):
    """A process we wait for has exited: waiting longer cannot help."""


def wait_until(check, timeout: float, what: str, every: float = 0.05):
    """Poll `check()` until it answers something truthy (returned); AssertionError after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = check()
        except ProcessExited:
            raise
        except Exception:  # noqa: BLE001 (not ready yet, whatever the reason)
            found = None
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout:g} s waiting for {what}.")
        time.sleep(every)


def _stop(process: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 20) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)  # its own session: the process and its children (gunicorn workers)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _run(command: list[str], **options) -> None:
    done = subprocess.run(command, capture_output=True, text=True, **options)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} exited with {done.returncode}:\n{done.stdout}\n{done.stderr}")


def _as_postgres_user() -> dict:
    # initdb and postgres refuse to run as root.
    return {"user": "postgres", "group": "postgres"} if os.geteuid() == 0 else {}


class PostgresCluster:
    """A throwaway PostgreSQL cluster of our own, on a free port."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "pgdata"
        self.port = free_port()
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
            folder.parent.chmod(0o711)  # mkdtemp's folder: the postgres user must pass through it
        _run([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
              "--no-sync", "--locale=C.UTF-8"], **_as_postgres_user())

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _pg_ctl(self, *args: str) -> None:
        _run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args], **_as_postgres_user())

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c max_connections=200 "
                   "-c shared_buffers=64MB")
        self._pg_ctl("-o", options, "-l", str(self.folder / "postgres.log"), "start")

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("-m", mode, "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def sql(self, statement: str, database: str = "postgres") -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url(database), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(statement))
        finally:
            engine.dispose()


class RedisServer:
    """A private redis-server on a free port, no persistence."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        import redis

        client = redis.Redis.from_url(self.url)
        wait_until(client.ping, 20, f"redis-server on port {self.port}")
        client.close()

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process, signal.SIGKILL)  # down as in a crash: nothing flushed
            self.process = None


class AppServer:
    """`gunicorn wsgi:app` on a free port: one of the several hosts behind the proxy."""

    def __init__(self, env: dict, log: Path, workers: int = 2, threads: int = 4):
        self.env, self.log, self.workers, self.threads = env, log, workers, threads
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        with open(self.log, "ab") as log:  # the child keeps its own copy
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), "--workers", str(self.workers),
                 "--threads", str(self.threads), "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
                cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)

    def wait_ready(self) -> None:
        wait_until(self._ready, 90, f"gunicorn on port {self.port}", every=0.1)

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise ProcessExited(f"gunicorn exited with {self.process.returncode}; see {self.log}")
        with urllib.request.urlopen(f"{self.url}/api/v1/openapi.json", timeout=5) as response:
            return response.status == 200 and len(self.worker_pids()) == self.workers

    def worker_pids(self) -> list[int]:
        """The master's worker processes, read from /proc (children of the master)."""
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.process.pid:
                    children.append(int(entry.name))
        return children

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None


class MailWorker:
    """`flask --app wsgi unscar worker`: the one process that sends mail and reminders."""

    def __init__(self, env: dict, log: Path, interval: float = 0.2):
        self.env, self.log, self.interval = env, log, interval
        self.process = None

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        self._starts = self._log_text().count("Worker started")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(BIN / "flask"), "--app", "wsgi", "unscar", "worker", "--interval", str(self.interval)],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self) -> None:
        # Until it says so, the worker has not yet set its SIGTERM handler.
        wait_until(self._started, 90, "the mail worker to start", every=0.1)

    def _started(self) -> bool:
        if self.process.poll() is not None:
            raise ProcessExited(f"the worker exited with {self.process.returncode}; see {self.log}")
        return self._log_text().count("Worker started") > self._starts

    def _log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; its exit status."""
        if self.process is None:
            return 0
        _stop(self.process)
        code, self.process = self.process.returncode, None
        return code


class Deployment:
    """Two (or more) application servers and a mail worker sharing one PostgreSQL database,
    one Redis and one upload folder, as hosts behind a proxy would. Use as a context manager."""

    def __init__(self, servers: int = 2, redis: bool = True, mail_port: int | None = None, workers: int = 2,
                 threads: int = 4, extra_env: dict | None = None):
        self._stack = ExitStack()
        self.folder = Path(tempfile.mkdtemp(prefix="unscar-deploy-"))
        self._stack.callback(shutil.rmtree, self.folder, ignore_errors=True)
        self.n_servers, self.use_redis, self.mail_port = servers, redis, mail_port
        self.workers, self.threads, self.extra_env = workers, threads, extra_env or {}
        self.servers: list[AppServer] = []
        self.worker: MailWorker | None = None
        self._app = None

    def __enter__(self):
        try:
            self._start()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc):
        self._stack.close()

    def _start(self) -> None:
        self.postgres = PostgresCluster(self.folder / "pg")
        self.postgres.start()
        self._stack.callback(self.postgres.stop, "immediate")
        self.postgres.sql("CREATE DATABASE unscar")
        self.database_url = self.postgres.url("unscar")
        self.redis = None
        if self.use_redis:
            self.redis = RedisServer(self.folder / "redis")
            self.redis.start()
            self._stack.callback(self.redis.stop)
        self.env = self._env()
        self._migrate()
        # Launched together, then awaited: each spends seconds importing the application.
        for index in range(self.n_servers):
            server = AppServer(self.env, self.folder / f"gunicorn-{index}.log", self.workers, self.threads)
            self._stack.callback(server.stop)
            server.launch()
            self.servers.append(server)
        self.worker = MailWorker(self.env, self.folder / "worker.log")
        self._stack.callback(self.worker.stop)
        self.worker.launch()
        for process in (*self.servers, self.worker):
            process.wait_ready()

    def _migrate(self) -> None:
        # `flask db upgrade`, in this process: the application is imported here anyway.
        from flask_migrate import upgrade

        with self.app().app_context():
            upgrade()

    def _env(self) -> dict:
        env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
        env.update({"SECRET_KEY": SECRET_KEY, "DATABASE_URL": self.database_url,
                    "UPLOAD_FOLDER": str(self.folder / "uploads"), "MAIL_BACKOFF_SECONDS": "1",
                    "BASE_URL": "http://grants.example.org"})
        if self.redis is not None:
            env["REDIS_URL"] = self.redis.url
        if self.mail_port is not None:
            env.update({"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(self.mail_port)})
        env.update(self.extra_env)
        return env

    @property
    def urls(self) -> list[str]:
        return [server.url for server in self.servers]

    def app(self):
        """An application on the deployment's database, for seeding and checking in this process."""
        if self._app is None:
            from config import Config
            from unscar import create_app

            settings = {"SQLALCHEMY_DATABASE_URI": self.database_url, "SECRET_KEY": SECRET_KEY, "REDIS_URL": None,
                        "UPLOAD_FOLDER": self.env["UPLOAD_FOLDER"], "MAIL_SERVER": None}
            self._app = create_app(type("DeployCheckConfig", (Config,), settings))
            self._stack.callback(self._dispose_app)
        return self._app

    def _dispose_app(self) -> None:
        from unscar.extensions import db

        with self._app.app_context():
            db.session.remove()
            db.engine.dispose()

    def logs(self) -> str:
        """The servers' and the worker's logs, for a failing test's message."""
        return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
                         for path in sorted(self.folder.glob("*.log")))

    def tracebacks(self, limit: int = 3) -> str:
        """The first tracebacks in the servers' logs, wherever they are (logs() keeps only tails)."""
        found = []
        for path in sorted(self.folder.glob("gunicorn-*.log")):
            for block in path.read_text(errors="replace").split("Traceback (most recent call last):")[1:limit + 1]:
                found.append(f"--- {path.name}\nTraceback (most recent call last):{block[:3000]}")
        return "\n".join(found[:limit])
