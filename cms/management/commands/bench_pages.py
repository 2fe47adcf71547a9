import datetime
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cms import page_benchmark as bench


class Command(BaseCommand):
    help = (
        "The key pages, anonymous and signed in, on the data in the database (seed_scale "
        "--size large on PostgreSQL for `make bench`): queries, uncached server time, and "
        "throughput under wrk against gunicorn on loopback beside a bare Django view; writes "
        "the table to docs/performance.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=15, help="uncached renders per page")
        parser.add_argument("--seconds", type=int, default=5, help="wrk duration per run")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8000)))
        parser.add_argument("--no-load", action="store_true", help="skip gunicorn and wrk")
        parser.add_argument("--only", default="", help="pages whose name contains this")
        parser.add_argument(
            "--output",
            default=str(settings.BASE_DIR / "docs" / "performance.md"),
            help="file whose bench_pages section is replaced ('-': print only)",
        )

    def handle(self, *args, runs, seconds, connections, workers, port, no_load, only, output,
               **options):  # fmt: skip
        if not no_load and not shutil.which("wrk"):
            raise CommandError("wrk is missing: apt-get install wrk (or pass --no-load).")
        load_before = bench.load_average()
        started = datetime.datetime.now(datetime.UTC)
        member = bench.bench_member()
        if member is None:
            raise CommandError("No member to sign in: run `manage.py seed_scale` first.")
        pages = [page for page in bench.key_pages(member) if only.lower() in page.name.lower()]
        cookie = bench.signed_in_cookie(member)
        self.stdout.write(
            f"{len(pages)} pages on {connection.vendor}, signed in as {member.email}; "
            f"load average {load_before}"
        )

        rendered = {}
        for page in pages:
            for visitor, visitor_cookie in (("anonymous", None), ("signed in", cookie)):
                if visitor == "anonymous" and page.signed_in_only:
                    rendered[page.name, visitor] = None
                    continue
                result = bench.render(page, cookie=visitor_cookie, runs=runs)
                rendered[page.name, visitor] = result
                self.stdout.write(
                    f"  {page.name}, {visitor}: {result.status}, {result.queries} queries, "
                    f"{result.median:.1f} ms median, {result.p95:.1f} ms p95, "
                    f"{result.cpu:.1f} ms CPU, "
                    + (
                        f"{result.served_cpu:.1f} ms CPU as served"
                        if result.served_cpu is not None
                        else "page cache off"
                    )
                )

        loads = {}
        if not no_load:
            with bench.Gunicorn(port=port, workers=workers) as server:
                for page in pages:
                    for visitor, visitor_cookie in (("anonymous", None), ("signed in", cookie)):
                        if rendered[page.name, visitor] is None:
                            continue
                        bench.wrk(
                            server.url(page.url), seconds=1, connections=2, cookie=visitor_cookie
                        )  # fmt: skip  (warm-up, fills the cache)
                        result = bench.load(
                            server,
                            page,
                            cookie=visitor_cookie,
                            seconds=seconds,
                            connections=connections,
                        )
                        loads[page.name, visitor] = result
                        self.stdout.write(
                            f"  {page.name}, {visitor}: {result.requests_per_second:,.0f} req/s "
                            f"({result.share:.0%} of bare at "
                            f"{result.bare_requests_per_second:,.0f}), p50 {result.p50_ms:.0f} ms, "
                            f"p99 {result.p99_ms:.0f} ms, {result.errors} errors, "
                            f"{result.timeouts} timeouts"
                        )

        rows = [
            (page.name, visitor, rendered[page.name, visitor], loads.get((page.name, visitor)))
            for page in pages
            for visitor in ("anonymous", "signed in")
        ]
        report = "\n".join(
            [
                f"Measured {started:%d %B %Y, %H:%M} UTC by `make bench` (`manage.py bench_pages "
                f"--runs {runs} --seconds {seconds} --connections {connections} --workers "
                f"{workers}`) on {bench.machine_description()}.",
                "",
                f"Load average {load_before} (1, 5, 15 min) at the start, "
                f"{bench.load_average()} at the end: with other work on the machine, wall-clock "
                f"times and throughput are worse than an idle machine's, and the bare view's own "
                f"rate moves with the load; each page is measured between two runs of the bare "
                f"view and compared with their mean. CPU time is the process's own "
                f"(`time.process_time`), the steadier figure.",
                "",
                f"Settings: {settings.SETTINGS_MODULE}, page cache "
                f"{settings.PAGE_CACHE_SECONDS} s, CONN_MAX_AGE "
                f"{settings.DATABASES['default'].get('CONN_MAX_AGE')}, gunicorn {workers} sync "
                f"workers, wrk -t1 -c{connections} -d{seconds}s. Queries and server times are of "
                f"uncached renders in one process ({runs} runs after a warm-up: page cache and "
                f"fragments off); CPU as served is the same page with the page cache on, after "
                f"one visit (anonymous visitors: a page from the cache; members: a render with "
                f"the kept fragments and values, cms/fragments.py); req/s is with the page "
                f"cache, which serves anonymous visitors only. Rate limits are out of reach for the "
                f"bench (still counted): its thousands of searches a minute by one member would "
                f"otherwise be answered with 429s; an answer that is not the page shows its "
                f"status beside the page's name, and errors under load replace the share.",
                "",
                bench.table(rows),
            ]
        )
        self.stdout.write("\n" + report)
        if output != "-":
            bench.write_report(Path(output), report)
            self.stdout.write(self.style.SUCCESS(f"Written to {output}"))
