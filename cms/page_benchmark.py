"""`manage.py bench_pages` (`make bench`): the key pages of the site on the data set in the
database (``seed_scale --size large``), anonymous and signed in. For each page: the SQL queries
and the server time of an uncached render in this process (median and p95 wall time, median CPU
time), then the throughput of gunicorn on loopback under wrk, beside a bare Django view served
by the same gunicorn with the same settings, as a ratio. The table goes to docs/performance.md.

The pages come from the core and each app through the ``BENCH_PAGES`` hook, found in the
database (the first live story, a topic of a public working group with 100 posts or more, a
listing with matches, ...); the signed-in visitor is a seeded member whom each app gives what
its pages show (an enrolment with an attempt in progress, an organisation with matches)."""

import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from wagtail import hooks

from cms.hooks import BENCH_PAGES

BARE_PATH = "/_bench/bare/"


@dataclass
class Render:
    status: int
    queries: int
    # every answer's status: a render that differs from the first (a rate limit's 429) is not
    # the page, and the table says so
    statuses: set[int] = field(default_factory=set)
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    # as the site serves it: anonymous visitors from the page cache, members with the kept
    # fragments and values (cms/fragments.py, cms/tablecache.py) after a first visit
    served_cpu_ms: list[float] = field(default_factory=list)

    @property
    def median(self):
        return statistics.median(self.wall_ms)

    @property
    def p95(self):
        ordered = sorted(self.wall_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def cpu(self):
        return statistics.median(self.cpu_ms)

    @property
    def served_cpu(self):
        return statistics.median(self.served_cpu_ms) if self.served_cpu_ms else None


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    timeouts: int
    bare_requests_per_second: float

    @property
    def share(self):
        return self.requests_per_second / self.bare_requests_per_second


def unlimited_rates():
    """settings.RATELIMITS with every limit out of reach: the bench asks for one page
    thousands of times a minute as one member or address, which a rate limit (30 searches a
    minute) would answer with 429s instead of the page. Each request still counts itself
    against its limit, as on the site."""
    return dict.fromkeys(settings.RATELIMITS, "1000000/s")


# Pages and the visitor ---------------------------------------------------------------------------


def bench_member():
    """The member who signs in: the first seeded account (``seed_scale``), else the first one.
    Each app's BENCH_PAGES part gives this member what its pages show (an enrolment, an
    attempt in progress, an organisation with matches)."""
    from django.contrib.auth import get_user_model

    from cms.seed_scale import SEED_EMAIL_DOMAIN

    users = get_user_model().objects.filter(is_active=True, is_staff=False).order_by("pk")
    return users.filter(email__endswith=SEED_EMAIL_DOMAIN).first() or users.first()


def key_pages(member):
    pages = []
    for part in hooks.get_hooks(BENCH_PAGES):
        pages.extend(part(member=member))
    return pages


def signed_in_cookie(member):
    client = Client()
    client.force_login(member)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


# In-process renders ------------------------------------------------------------------------------


def render(page, *, cookie, runs):
    """Uncached renders of ``page`` in this process (page cache and fragments off): queries of
    the last, times of all; then the CPU time of the page as the site serves it (with the
    settings' page cache, after one visit)."""
    client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT="Mozilla/5.0 (bench_pages)")
    headers = {"HTTP_COOKIE": cookie} if cookie else {}
    with override_settings(RATELIMITS=unlimited_rates()):
        with override_settings(PAGE_CACHE_SECONDS=0):
            response = client.get(page.url, **headers)  # warm-up: templates, connection
            result = Render(status=response.status_code, queries=0)
            for _run in range(runs):
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    wall, cpu = time.perf_counter(), time.process_time()
                    response = client.get(page.url, **headers)
                    result.wall_ms.append((time.perf_counter() - wall) * 1000)
                    result.cpu_ms.append((time.process_time() - cpu) * 1000)
                result.queries = len(queries)
                result.statuses.add(response.status_code)
        if settings.PAGE_CACHE_SECONDS:
            client.get(page.url, **headers)  # fills the page cache or the fragments
            for _run in range(runs):
                cpu = time.process_time()
                response = client.get(page.url, **headers)
                result.served_cpu_ms.append((time.process_time() - cpu) * 1000)
                result.statuses.add(response.status_code)
    return result


# gunicorn and wrk --------------------------------------------------------------------------------


class Gunicorn:
    """gunicorn serving the site with these settings (cms.settings.bench adds the bare view)."""

    def __init__(self, *, port, workers):
        self.port, self.workers = port, workers
        self.process = None

    def __enter__(self):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.bench",
            "BENCH_BASE_SETTINGS": settings.SETTINGS_MODULE,
        }
        self.process = subprocess.Popen(  # noqa: S603 (our own command)
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "cms.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url(BARE_PATH), timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.5)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer on port {self.port} within 120 s")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


WRK_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_ERRORS = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
WRK_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
WRK_PERCENTILE = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)


def _ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(url, *, seconds, connections, cookie=None):
    """(requests per second, p50 ms, p99 ms, errors, timeouts) of wrk -t1 against ``url``:
    errors are answers other than 2xx and 3xx and failed connections, reads and writes;
    timeouts are requests still unanswered after wrk's 2 s."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603 (wrk from Debian)
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    percentiles = {p: _ms(v, u) for p, v, u in WRK_PERCENTILE.findall(output)}
    errors = int(WRK_ERRORS.search(output).group(1)) if WRK_ERRORS.search(output) else 0
    timeouts = 0
    socket = WRK_SOCKET.search(output)
    if socket:
        connect, read, write, timeouts = (int(n) for n in socket.groups())
        errors += connect + read + write
    return (
        float(WRK_RATE.search(output).group(1)),
        percentiles.get("50", 0.0),
        percentiles.get("99", 0.0),
        errors,
        timeouts,
    )


def settle(server, *, timeout=120):
    """Wait until the requests a slow page left queued are served: the bare view answers in
    under 50 ms three times running."""
    deadline, quick = time.monotonic() + timeout, 0
    while quick < 3 and time.monotonic() < deadline:
        start = time.perf_counter()
        try:
            requests.get(server.url(BARE_PATH), timeout=timeout)
        except requests.RequestException:
            time.sleep(1)
            continue
        quick = quick + 1 if time.perf_counter() - start < 0.05 else 0


def load(server, page, *, cookie, seconds, connections):
    """The page under load, between two runs of the bare view (their mean is the reference).
    The page is requested once first: the run measures the steady state (for anonymous
    visitors, pages from the cache), not the first render after the server started."""
    settle(server)
    requests.get(server.url(page.url), headers={"Cookie": cookie} if cookie else {}, timeout=120)
    before = wrk(server.url(BARE_PATH), seconds=seconds, connections=connections)[0]
    rate, p50, p99, errors, timeouts = wrk(
        server.url(page.url), seconds=seconds, connections=connections, cookie=cookie
    )
    settle(server)
    after = wrk(server.url(BARE_PATH), seconds=seconds, connections=connections)[0]
    return Load(rate, p50, p99, errors, timeouts, (before + after) / 2)


# The report --------------------------------------------------------------------------------------


def load_average():
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def machine_description():
    cpu = "unknown processor"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = names[0] if names else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version") if connection.vendor == "postgresql" else None
        database = (
            f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
            if connection.vendor == "postgresql"
            else connection.vendor
        )
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {database}, "
        f"gunicorn and wrk {wrk_version()} on loopback"
    )


def wrk_version():
    if not shutil.which("wrk"):
        return "(missing)"
    output = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)  # noqa: S607
    match = re.search(r"wrk (\S+)", output.stdout + output.stderr)
    return match.group(1) if match else ""


def table(rows):
    lines = [
        "| page | visitor | queries | server p50 / p95 (ms) | CPU (ms) | CPU as served (ms) "
        "| req/s | share of bare | p50 / p99 under load (ms) | errors / timeouts |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, visitor, rendered, loaded in rows:
        if rendered is None:
            lines.append(f"| {name} | {visitor} | – | sign-in required | – | – | – | – | – | – |")
            continue
        served = "–" if rendered.served_cpu is None else f"{rendered.served_cpu:.0f}"
        statuses = sorted({rendered.status} | rendered.statuses)
        status = "" if statuses == [200] else f" ({', '.join(map(str, statuses))})"
        under_load = "– | – | – | –"
        if loaded:
            # Errors are answers that are not the page: the rate is not the page's.
            share = f"{loaded.share:.0%}" if not loaded.errors else "not measured: errors"
            under_load = (
                f"{loaded.requests_per_second:,.0f} | {share} | "
                f"{loaded.p50_ms:.0f} / {loaded.p99_ms:.0f} | {loaded.errors} / {loaded.timeouts}"
            )
        lines.append(
            f"| {name}{status} | {visitor} | {rendered.queries} | "
            f"{rendered.median:.0f} / {rendered.p95:.0f} | {rendered.cpu:.0f} | {served} | "
            f"{under_load} |"
        )
    return "\n".join(lines)


START = "<!-- bench_pages: start -->"
END = "<!-- bench_pages: end -->"


def write_report(path, text, *, start=START, end=END):
    """Replace the part between the markers of ``path`` (or add it at the end)."""
    document = path.read_text() if path.exists() else "# Performance\n"
    block = f"{start}\n{text}\n{end}"
    if start in document and end in document:
        head, rest = document.split(start, 1)
        document = head + block + rest.split(end, 1)[1]
    else:
        document = document.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(document)
