"""Certificates for a cohort through the worker: N certificates of one course queued in
batches, rendered by a Celery worker started here (on Redis, like production), timed from the
first task queued to the last PDF stored. The data it made is deleted at the end."""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cms.celery import app
from courses.models import Certificate, CoursePage
from courses.tasks import certificates_render_queue


class Command(BaseCommand):
    help = (
        "Time issuing a cohort's certificates through a Celery worker (needs REDIS_URL and a "
        "course, e.g. from load_demo or seed_scale)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--batch-size", type=int, default=20)
        parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
        parser.add_argument("--timeout", type=int, default=900)

    def handle(self, *args, count, batch_size, concurrency, timeout, **options):
        if not settings.REDIS_URL:
            raise CommandError("bench_certificates needs REDIS_URL (a real worker on Redis).")
        course = CoursePage.objects.live().select_related("provider").first()
        if course is None:
            raise CommandError("No course: run load_demo or seed_scale first.")
        queue = f"bench-certificates-{uuid.uuid4().hex[:8]}"
        certificate_ids, user_ids = self.make_cohort(course, count)
        worker = self.start_worker(queue, concurrency)
        idle = self.worker_cpu(worker)
        try:
            app.conf.update(task_always_eager=False, task_default_queue=queue)
            load_before = os.getloadavg()[0]
            start = time.perf_counter()
            with transaction.atomic():
                batches = certificates_render_queue(
                    certificate_ids=certificate_ids, batch_size=batch_size
                )
            done = 0
            while done < count:
                if time.perf_counter() - start > timeout:
                    raise CommandError(f"Only {done} of {count} PDFs after {timeout} s.")
                time.sleep(0.25)
                done = Certificate.objects.filter(pk__in=certificate_ids).exclude(pdf="").count()
            elapsed = time.perf_counter() - start
            load_after = os.getloadavg()[0]
            busy = self.worker_cpu(worker)
            resident = self.worker_memory(worker)
            cpu_per_pdf = (busy - idle) / count
            storage = type(Certificate._meta.get_field("pdf").storage).__name__
            self.stdout.write(
                f"{count} certificates, {batches} tasks of {batch_size}, worker concurrency "
                f"{concurrency}, {connection.vendor}, {storage}: {elapsed:.1f} s "
                f"({count / elapsed:.1f} PDFs/s, {elapsed / count * 1000:.0f} ms each); "
                f"load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} cores"
            )
            self.stdout.write(
                f"Worker CPU per PDF {cpu_per_pdf * 1000:.0f} ms: on {concurrency} idle cores "
                f"the {count} would take about {count * cpu_per_pdf / concurrency:.0f} s."
            )
            self.stdout.write(
                "Worker processes after the cohort, resident now / at most (MB): "
                + ", ".join(f"{now:.0f} / {peak:.0f}" for now, peak in resident)
            )
        finally:
            self.stop(worker)
            self.clean_up(certificate_ids, user_ids)

    def make_cohort(self, course, count):
        User = get_user_model()
        tag = uuid.uuid4().hex[:8]
        users = User.objects.bulk_create(
            User(email=f"cohort-{tag}-{n}@bench.example.org", display_name=f"Learner {n} Nowak")
            for n in range(count)
        )
        certificates = Certificate.objects.bulk_create(
            Certificate(
                user=user,
                course=course,
                learner_name=user.display_name,
                course_title=course.title,
                provider_name=course.provider.name,
                hours=course.estimated_hours,
                completed_on=date.today(),
            )
            for user in users
        )
        return [c.pk for c in certificates], [u.pk for u in users]

    def start_worker(self, queue, concurrency):
        env = {**os.environ, "CELERY_QUEUE": queue}
        log = Path(settings.BASE_DIR / "var" / f"{queue}.log")
        log.parent.mkdir(exist_ok=True)
        handle = log.open("w")
        worker = subprocess.Popen(  # noqa: S603 (our own command)
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "cms",
                "worker",
                "--concurrency",
                str(concurrency),
                "--loglevel",
                "INFO",
                "--without-mingle",
                "--without-gossip",
            ],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        worker.log = log
        deadline = time.monotonic() + 120
        while not re.search(r"celery@\S+ ready", log.read_text(errors="replace")):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise CommandError(f"The worker did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
        return worker

    def worker_pids(self, worker):
        """The worker's main process and its pool processes."""
        children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
        if not children.exists():
            return [worker.pid]
        return [worker.pid, *(int(pid) for pid in children.read_text().split())]

    def worker_memory(self, worker):
        """(resident MB now, most resident MB so far) of each worker process (the soak's limit
        is 400 MB a process)."""
        memory = []
        for pid in self.worker_pids(worker):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:
                continue
            kib = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.MULTILINE))
            if len(kib) == 2:  # an exiting pool process (a zombie) has no memory left to report
                memory.append((int(kib["VmRSS"]) / 1024, int(kib["VmHWM"]) / 1024))
        return memory

    def worker_cpu(self, worker):
        """CPU seconds (user + system) of the worker and its pool processes so far."""
        total = 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        for pid in self.worker_pids(worker):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def stop(self, worker):
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        worker.log.unlink(missing_ok=True)

    def clean_up(self, certificate_ids, user_ids):
        for certificate in Certificate.objects.filter(pk__in=certificate_ids).exclude(pdf=""):
            certificate.pdf.storage.delete(certificate.pdf.name)
        Certificate.objects.filter(pk__in=certificate_ids).delete()
        get_user_model().objects.filter(pk__in=user_ids).delete()
