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
