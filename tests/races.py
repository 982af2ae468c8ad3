"""Writers at the same moment, as separate server processes would be: the helper the
concurrency tests of the fund and of grants share."""
import threading

from unscar.errors import DomainError
from unscar.extensions import db

WORKERS = 8


def race(make_app, work, workers: int = WORKERS) -> list[str]:
    """work(i) in `workers` threads, each in one of two applications, all starting
    together; what each ended with: "ok", a refusal's class name, or "error: ..." for an
    unexpected exception (which the tests forbid by comparing the outcomes)."""
    servers = [make_app() for _ in range(2)]
    start = threading.Barrier(workers)
    outcomes: list[str] = []

    def run(i):
        with servers[i % 2].app_context():
            start.wait()
            try:
                work(i)
                db.session.commit()
                outcomes.append("ok")
            except DomainError as refused:
                db.session.rollback()
                outcomes.append(type(refused).__name__)
            except Exception as error:  # noqa: BLE001  (the test reports it)
                db.session.rollback()
                outcomes.append(f"error: {error!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
