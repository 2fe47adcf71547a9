"""Each benchmark command runs to the end on a tiny data set, so `make bench` cannot rot
unnoticed between the times someone measures with it."""

import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(command, **options):
    out = io.StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


def test_bench_courses_times_both_certificate_designs_and_quiz_grading():
    output = run("bench_courses", runs=1)
    assert re.search(r"certificate PDF \(classic\): \d+\.\d+ s median", output)
    assert re.search(r"certificate PDF \(modern\): \d+\.\d+ s median", output)
    assert re.search(r"quiz grading.*\d+(\.\d+)? ms", output, re.IGNORECASE), output


def test_bench_exchange_runs_and_leaves_nothing_behind():
    from exchange.models import Listing

    before = Listing.objects.count()
    output = run("bench_exchange", listings=60, organisations=6)
    assert re.search(r"\d+ ms", output), output
    assert "Rolled back the benchmark data." in output
    assert Listing.objects.count() == before
    assert re.search(r"Match one new wanted listing .*median \d+ ms", output), output
    assert re.search(r"Recompute all matches .*: [\d,]+ listings, [\d,]+ matches stored", output)
    assert re.search(r"Browse, best match first \(member\): \d+ ms best", output), output


def test_bench_exchange_times_one_part_of_a_kept_data_set():
    from exchange.models import Listing

    kept = run("bench_exchange", listings=40, organisations=4, keep=True)
    assert "Kept the seeded listings" in kept
    seeded = Listing.objects.filter(title__startswith="Bench listing").count()
    assert seeded == 40
    output = run("bench_exchange", reuse=True, only=["recompute"])
    assert "Reusing 40 seeded listings" in output
    assert "Recompute all matches" in output
    assert "Match one new" not in output and "Browse" not in output
    assert Listing.objects.filter(title__startswith="Bench listing").count() == seeded


def test_bench_certificates_reads_the_workers_cpu_and_memory_from_proc():
    """The figures it prints of the worker (it needs Redis and a real worker to run whole):
    read for this process, as the worker's main process, and skipping a pid that is gone."""
    import os
    import subprocess
    import sys
    from types import SimpleNamespace

    from courses.management.commands.bench_certificates import Command

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: its pid no longer exists
    command = Command()
    worker = SimpleNamespace(pid=os.getpid())
    memory = command.worker_memory(worker)
    assert len(memory) >= 1 and all(0 < now <= peak for now, peak in memory)
    assert command.worker_cpu(worker) > 0
    gone = SimpleNamespace(pid=child.pid)
    assert command.worker_memory(gone) == [] and command.worker_cpu(gone) == 0
