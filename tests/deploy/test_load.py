"""bench/load.py at a smaller size: applicants saving and submitting around the deadline,
reviewers, and two clerks racing to approve more than the fund holds, through two servers
at once. `python bench/load.py` runs it full size and writes bench/LOAD.md."""
import pytest

from bench import load

pytestmark = pytest.mark.deploy


def test_load_at_the_deadline_on_two_servers_loses_and_doubles_nothing():
    rows, timing, plan, problems, _setup = load.run(applicants=24, reviewers=8, decisions=14)
    assert not problems, "\n".join(problems)
    by_kind = {row["kind"]: row for row in rows}
    submits = by_kind["submit"]["statuses"]
    # The deadline fell during the run: some made it, some were refused with 409.
    assert submits.get("200") and submits.get("409"), submits
    assert by_kind["approve"]["statuses"] == {"201": 9, "409": 2 * 14 - 9}
    assert by_kind["submit review"]["statuses"] == {"200": 16}
    print("\n" + load.markdown(rows, timing, plan, problems, _setup))
