"""The chart cache of the kernel (unscar/charts.py): version keys that follow the data,
a least-recently-used bound in bytes and entries, and its configuration."""
import threading
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from unscar.charts import PNG, SVG, Chart, ChartCache, chart_cache, chart_key, version_key


def _chart(key: str, size: int) -> Chart:
    return Chart(key, bytes(size), PNG)


def test_a_changed_datum_gives_a_new_version_key():
    frame = pd.DataFrame({"reference": ["A", "B"], "weighted": [4.5, 3.25]})
    same = pd.DataFrame({"reference": ["A", "B"], "weighted": [4.5, 3.25]})
    assert version_key(frame, ["A", "B"], 5) == version_key(same, ["A", "B"], 5)
    changed = same.copy()
    changed.loc[1, "weighted"] = 3.2500001
    assert version_key(changed, ["A", "B"], 5) != version_key(frame, ["A", "B"], 5)
    assert version_key(frame.rename(columns={"weighted": "calibrated"})) != version_key(frame)
    assert version_key(frame, ["A", "B"], 5) != version_key(frame, ["B", "A"], 5)
    assert version_key(frame, ["A", "B"], 5) != version_key(frame, ["A", "B"], 10)


def test_version_keys_tell_apart_values_that_print_alike():
    assert version_key("1") != version_key(1) != version_key(Decimal("1")) != version_key(1.0)
    assert version_key(["ab", "c"]) != version_key(["a", "bc"])
    assert version_key({"a": 1, "b": 2}) == version_key({"b": 2, "a": 1})
    assert version_key(date(2026, 1, 2), None, True) == version_key(date(2026, 1, 2), None, True)


def test_version_key_refuses_what_it_cannot_hash_faithfully():
    with pytest.raises(TypeError):
        version_key(object())


def test_the_least_recently_used_charts_go_first_when_the_bytes_run_out():
    cache = ChartCache(max_bytes=1000, max_entries=100)
    for name in "abc":
        cache.put(_chart(name, 300))
    assert cache.get("a") is not None  # a is used again: b is now the oldest
    cache.put(_chart("d", 300))
    assert "b" not in cache and all(k in cache for k in "acd")
    assert cache.size == 900 and len(cache) == 3
    cache.put(_chart("e", 1000))  # the whole bound: everything else goes
    assert [k for k in "acde" if k in cache] == ["e"] and cache.size == 1000


def test_the_number_of_charts_is_bounded_too_and_an_oversized_one_is_not_kept():
    cache = ChartCache(max_bytes=10_000, max_entries=2)
    for name in "abc":
        cache.put(_chart(name, 10))
    assert "a" not in cache and len(cache) == 2
    huge = cache.put(_chart("huge", 10_001))
    assert huge.body and "huge" not in cache and len(cache) == 2


def test_threads_keep_the_byte_count_true():
    cache = ChartCache(max_bytes=5_000, max_entries=40)

    def work(n):
        for i in range(300):
            cache.put(_chart(f"{n}-{i % 60}", 100 + i % 7))
            cache.get(f"{n}-{(i * 7) % 60}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.size == sum(len(cache.get(k).body) for k in list(cache._charts)) <= 5_000
    assert len(cache) <= 40


def test_the_bounds_come_from_the_configuration(app):
    app.config.update(CHART_CACHE_MAX_BYTES=1234, CHART_CACHE_MAX_ENTRIES=7)
    app.extensions.pop("chart_cache", None)
    cache = chart_cache(app)
    assert (cache.max_bytes, cache.max_entries) == (1234, 7) and chart_cache(app) is cache


def test_a_key_names_the_chart_its_version_and_its_format():
    assert chart_key("fund-ledger", "ab12", SVG) == "fund-ledger.ab12.svg"
    for name in ('a"b', "A b", ""):
        with pytest.raises(ValueError):
            chart_key(name, "ab12")
    with pytest.raises(ValueError):
        chart_key("fund-ledger", "ab12", "image/gif")
