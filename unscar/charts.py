"""One cache of drawn charts for the whole application: a chart is drawn once per version of
its data, then served from memory, with an ETag so browsers revalidate instead of
downloading it again.

A chart is known by its key: its name, the request's language (its title, axes and legend
are in the reader's words: a French chart must never be served to an English reader), a
version key the caller computes cheaply from the data it draws (`version_key(frame, order,
...)`), and its format. Changed data give a new key; the old entry is never read again and
ages out of the LRU. The ETag is that key, so a browser's `If-None-Match` is answered with
304 before anything is loaded or drawn, on any worker. A drawing that changes its look (a
new colour, a new axis) changes the chart's name (`"ranking-scores-2"`): otherwise browsers
keep the old picture of unchanged data.

The cache lives in each process (app.extensions["chart_cache"]), bounded by
CHART_CACHE_MAX_BYTES and CHART_CACHE_MAX_ENTRIES, and locked: gunicorn's threaded workers
share it. Each process draws a chart at most once per version (two threads missing the same
key at the same moment may both draw it; the second keeps the first's bytes). No Redis: the
pictures are small and cheap beside a round trip, and the ETag already spares the browser.

    from ..charts import PNG, chart_response, version_key
    return chart_response("fund-contributions", version_key(frame), lambda: draw(frame))
"""
import functools
import hashlib
import io
import numbers
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Callable

from flask import Response, current_app, request

from .i18n import RIGHT_TO_LEFT, current_language

PNG = "image/png"
SVG = "image/svg+xml"
EXTENSIONS = {PNG: "png", SVG: "svg"}
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 512
# Names go into the ETag, a quoted string: no quotes, spaces or controls.
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


@dataclass(frozen=True)
class Chart:
    key: str
    body: bytes
    media_type: str


def version_key(*data) -> str:
    """A short hex digest of the data a chart draws, the same in every process: DataFrames
    and Series (values, index, columns, dtypes), numbers, Decimals, text, dates, enums and
    lists, tuples, sets and dicts of them. Anything else raises TypeError rather than fall
    back on a repr that may hide a difference (a truncated frame, an object's address)."""
    digest = hashlib.blake2b(digest_size=16)
    _feed(digest, data)
    return digest.hexdigest()


def _feed(digest, value) -> None:
    def tagged(tag: bytes, payload: bytes) -> None:
        digest.update(tag + len(payload).to_bytes(8, "big") + payload)

    if type(value).__module__.startswith("pandas"):
        _feed_pandas(digest, value)
    elif value is None:
        tagged(b"N", b"")
    elif isinstance(value, bool):
        tagged(b"B", b"1" if value else b"0")
    elif isinstance(value, Enum):
        _feed(digest, value.value)
    elif isinstance(value, Decimal):
        tagged(b"D", str(value).encode())
    elif isinstance(value, numbers.Integral):
        tagged(b"I", str(int(value)).encode())
    elif isinstance(value, numbers.Real):
        tagged(b"F", float(value).hex().encode())
    elif isinstance(value, str):
        tagged(b"S", value.encode("utf-8", "surrogatepass"))
    elif isinstance(value, (bytes, bytearray, memoryview)):
        tagged(b"Y", bytes(value))
    elif isinstance(value, (datetime, date, time)):
        tagged(b"T", value.isoformat().encode())
    elif isinstance(value, (list, tuple)):
        tagged(b"L", str(len(value)).encode())
        for item in value:
            _feed(digest, item)
    elif isinstance(value, (set, frozenset)):
        tagged(b"E", "".join(sorted(version_key(item) for item in value)).encode())
    elif isinstance(value, dict):
        tagged(b"M", "".join(sorted(version_key(k) + version_key(v) for k, v in value.items())).encode())
    else:
        raise TypeError(f"version_key cannot hash a {type(value).__name__}")


def _feed_pandas(digest, value) -> None:
    import pandas as pd  # only when a frame is hashed: the kernel stays light to import

    if isinstance(value, pd.DataFrame):
        _feed(digest, ["frame", [str(c) for c in value.columns], [str(t) for t in value.dtypes]])
    elif isinstance(value, pd.Series):
        _feed(digest, ["series", str(value.name), str(value.dtype)])
    else:
        raise TypeError(f"version_key cannot hash a {type(value).__name__}")
    # SipHash with pandas' fixed key: the same values give the same hash in every process.
    _feed(digest, pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())


def chart_key(name: str, version: str, media_type: str = PNG, language: str | None = None) -> str:
    """name[.language].version.extension: the language of the words drawn, when there are any."""
    if not NAME.fullmatch(name):
        raise ValueError(f"A chart's name is lower-case letters, digits, - and _: {name!r}")
    if media_type not in EXTENSIONS:
        raise ValueError(f"Charts are PNG or SVG, not {media_type}")
    if language is not None and not NAME.fullmatch(language):
        raise ValueError(f"A language is a code such as 'fr': {language!r}")
    return ".".join([name, *([language] if language else []), version, EXTENSIONS[media_type]])


class ChartCache:
    """A least-recently-used map of key → Chart, bounded in bytes and in entries."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES, max_entries: int = DEFAULT_MAX_ENTRIES):
        self.max_bytes, self.max_entries = max_bytes, max_entries
        self._charts: OrderedDict[str, Chart] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Chart | None:
        with self._lock:
            chart = self._charts.get(key)
            if chart is not None:
                self._charts.move_to_end(key)
            return chart

    def put(self, chart: Chart) -> Chart:
        """Keep the chart, evicting the least recently used; one larger than the whole bound
        is served but not kept. A key already present keeps its first bytes."""
        with self._lock:
            if chart.key in self._charts:
                self._charts.move_to_end(chart.key)
                return self._charts[chart.key]
            if len(chart.body) > self.max_bytes or self.max_entries < 1:
                return chart
            self._charts[chart.key] = chart
            self._bytes += len(chart.body)
            while self._bytes > self.max_bytes or len(self._charts) > self.max_entries:
                _key, evicted = self._charts.popitem(last=False)
                self._bytes -= len(evicted.body)
            return chart

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return key in self._charts

    def __len__(self) -> int:
        return len(self._charts)

    @property
    def size(self) -> int:
        """The bytes held."""
        return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._charts.clear()
            self._bytes = 0


_creating = threading.Lock()


def chart_cache(app=None) -> ChartCache:
    """The application's cache, made on first use from its configuration."""
    app = app or current_app._get_current_object()
    cache = app.extensions.get("chart_cache")
    if cache is None:
        with _creating:
            cache = app.extensions.get("chart_cache")
            if cache is None:
                cache = app.extensions["chart_cache"] = ChartCache(
                    int(app.config.get("CHART_CACHE_MAX_BYTES", DEFAULT_MAX_BYTES)),
                    int(app.config.get("CHART_CACHE_MAX_ENTRIES", DEFAULT_MAX_ENTRIES)))
    return cache


def cached_chart(name: str, version: str, draw: Callable[[], bytes], media_type: str = PNG) -> Chart:
    """The chart from the cache, drawn by `draw()` only when this version is not there in the
    request's language."""
    key = chart_key(name, version, media_type, current_language())
    cache = chart_cache()
    chart = cache.get(key)
    if chart is None:
        chart = cache.put(Chart(key, draw(), media_type))
    return chart


# Fonts for the scripts DejaVu Sans (matplotlib's own) lacks: Chinese. Each is used when the
# machine has it (Debian's fonts-wqy-zenhei, installed by .ci/run; README "Running in production").
FALLBACK_FONTS = {"WenQuanYi Zen Hei": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                  "Noto Sans CJK JP": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"}


@functools.cache
def _font_families() -> tuple[str, ...]:
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    for name, path in FALLBACK_FONTS.items():
        # matplotlib's font list is cached on disk: a font installed after it was made is added here.
        if name not in installed and os.path.exists(path):
            font_manager.fontManager.addfont(path)
            installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return ("DejaVu Sans",) + tuple(name for name in FALLBACK_FONTS if name in installed)


def png_bytes(figure, **savefig) -> bytes:
    """The figure as PNG, drawn for the reader's language: numbers on the axes as the reader
    writes them ("1 500", "2,5"), Chinese in a font that has it, and in a right-to-left
    language the axes mirrored, as its readers read a chart: the value axis on the right, the
    first category or the lowest value on the right.

    Arabic text is given to matplotlib as it is written: matplotlib (3.11, with libraqm) joins
    its letters and orders it right to left itself. Shaping it beforehand (arabic_reshaper,
    python-bidi) shaped it twice and drew broken, dotless letters."""
    from matplotlib.text import Text

    for axes in figure.get_axes():
        _localise_ticks(axes)
        if current_language() in RIGHT_TO_LEFT:
            _mirror(axes)
    for text in figure.findobj(Text):
        text.set_fontfamily(list(_font_families()))
    out = io.BytesIO()
    figure.savefig(out, format="png", **savefig)
    return out.getvalue()


def _localise_ticks(axes) -> None:
    # Tick labels are written by each axis's formatter when the figure is drawn (and again
    # whenever they are read): the formatter itself must write the reader's numbers.
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    from .templating import format_number

    for axis in (axes.xaxis, axes.yaxis):
        if isinstance(axis.get_major_formatter(), ScalarFormatter):
            axis.set_major_formatter(FuncFormatter(lambda value, _pos: format_number(value)))


def axis_end() -> str:
    """The side where the horizontal axis ends (its highest value) for the reader: "right",
    or "left" in a right-to-left language, where png_bytes mirrors the axes. For a legend
    placed beside the highest values (`loc=f"lower {axis_end()}"`)."""
    return "left" if current_language() in RIGHT_TO_LEFT else "right"


def axis_start() -> str:
    """The side where the horizontal axis starts for the reader (`loc=f"upper {axis_start()}"`)."""
    return "right" if current_language() in RIGHT_TO_LEFT else "left"


def _mirror(axes) -> None:
    axes.invert_xaxis()
    axes.yaxis.tick_right()
    axes.yaxis.set_label_position("right")


def chart_response(name: str, version: str, draw: Callable[[], bytes], media_type: str = PNG,
                   private: bool = True) -> Response:
    """The chart as a response: 304 when the browser holds this version (nothing drawn),
    else the bytes from the cache. The caller has checked who may see it. `no-cache` makes
    the browser ask every time, so a user who lost access gets the refusal, not the picture;
    `private` keeps signed-in charts out of shared caches (pass False for public pages).
    The ETag names the language, so a reader who changed language gets the new words, not 304."""
    key = chart_key(name, version, media_type, current_language())
    if request.if_none_match.contains_weak(key):
        response = Response(status=304)
    else:
        chart = cached_chart(name, version, draw, media_type)
        response = Response(chart.body, mimetype=chart.media_type)
    response.set_etag(key)
    response.headers["Cache-Control"] = f"{'private' if private else 'public'}, no-cache"
    # The words follow Accept-Language, or the reader's choice (the session: Flask adds Cookie).
    response.vary.add("Accept-Language")
    response.headers["X-Content-Type-Options"] = "nosniff"
    if media_type == SVG:
        # An SVG opened on its own is a document: it may run nothing and load nothing. A
        # PNG runs nothing and keeps the site's policy (unscar/security.py).
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
