"""Benchmarks of the training platform: certificate PDFs (and quiz grading, if available)."""

import statistics
import time
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cms.directory.models import Organisation
from courses.models import Certificate, CertificateDesign, CoursePage
from courses.pdf import render_certificate


def _sample_certificate(design):
    """The first stored certificate (demo data: with logo and signature), else an unsaved one."""
    certificate = Certificate.objects.select_related("course", "user").first()
    if certificate is None:
        course = CoursePage(
            title="Sorting post-consumer textiles",
            provider=Organisation(name="Łódź Textile Cluster"),
            estimated_hours=Decimal("6"),
            signatory_name="Maria Rossi",
            signatory_title="Training coordinator",
        )
        certificate = Certificate(
            code="benchmark-code-0123456789",
            user=get_user_model()(email="bench@example.org", display_name="Zofia Nowak"),
            course=course,
            learner_name="Zofia Nowak",
            course_title=course.title,
            provider_name="Łódź Textile Cluster",
            region_name="Łódzkie",
            hours=course.estimated_hours,
            completed_on=date(2026, 11, 22),
            expires_on=date(2028, 11, 22),
        )
    certificate.course.certificate_design = design
    return certificate


class Command(BaseCommand):
    help = "Seconds per certificate PDF (median of 20 per design) and quiz grading time."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, runs=20, **options):
        for design in CertificateDesign.values:
            certificate = _sample_certificate(design)
            render_certificate(certificate)  # warm-up: fonts and templates load once
            timings, cpu_timings = [], []
            for _run in range(runs):
                start, cpu_start = time.perf_counter(), time.process_time()
                render_certificate(certificate)
                timings.append(time.perf_counter() - start)
                cpu_timings.append(time.process_time() - cpu_start)
            # CPU time too: on a shared machine the wall clock measures the neighbours as well.
            self.stdout.write(
                f"certificate PDF ({design}): {statistics.median(timings):.3f} s median of "
                f"{runs} (min {min(timings):.3f} s, max {max(timings):.3f} s); CPU "
                f"{statistics.median(cpu_timings):.3f} s median"
            )
        from courses.quizzes.bench import gift_import_benchmark, grading_benchmark

        grading_benchmark(self.stdout)
        gift_import_benchmark(self.stdout, runs=min(runs, 3))
