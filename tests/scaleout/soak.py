"""The soak (`make soak`): `make serve` (gunicorn, a Celery worker and beat) on loopback, driven
for a bounded time by a mixed load of the site's journeys, while the resident memory of every
process is sampled.

Journeys, each in its own thread, looping until the time is up:
- browsing: anonymous visits of the key pages (home, a section, a story, the catalogue, a
  course, the working groups, a long topic, exchange browse, a listing, the partners);
- signing in: the sign-in form, My learning, signing out (under allauth's 30 sign-ins a minute
  per address);
- a quiz attempt: a signed-in trainee starts an attempt, answers and submits it, reads the review;
- a forum reply: a signed-in member replies in a working group (under the posting rate limit);
- a listing search: exchange browse with a text query and filters, and the site search;
- a newsletter send: every minute an issue is published for a region with 50 subscribers and
  the worker delivers it to an SMTP sink on loopback.

Checks: no error (an answer of 400 or more, a refused connection or a timeout), every
newsletter e-mail delivered, each web process under 300 MB resident and each worker process
under 400 MB, and no growth of the largest process of each kind between minute 2 and the end.
The figures go to docs/performance.md (section "Soak").

Run with DATABASE_URL (PostgreSQL with the large data set of seed_scale) and REDIS_URL:
    python -m tests.scaleout.soak --minutes 10 --port 8050
Loopback only; the load stops by itself when the time is up."""

import argparse
import datetime
import itertools
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import requests

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WEB_LIMIT_MB, WORKER_LIMIT_MB = 300, 400
GROWTH_TOLERANCE_MB = 15
SUBSCRIBERS = 50


# Set-up (in this process, through the ORM) -------------------------------------------------------


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
    import django

    django.setup()


def prepare():
    """What the journeys need, found in the seeded database or added to it (idempotent)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q
    from django.urls import reverse
    from django.utils import timezone
    from machina.apps.forum_conversation.models import Topic

    from cms.directory.models import Region
    from cms.newsletters.models import Subscription
    from cms.newsletters.services import subscription_confirm
    from cms.newsletters.tokens import confirm_token
    from cms.page_benchmark import bench_member, key_pages
    from cms.seed_scale import SEED_EMAIL_DOMAIN, SEED_PASSWORD
    from courses.models import Enrolment
    from courses.quizzes.models import QuizPage
    from forum import services as forum_services
    from forum.models import WorkingGroup

    member = bench_member()
    pages = [page.url for page in key_pages(member) if not page.signed_in_only]
    users = list(
        get_user_model()
        .objects.filter(email__endswith=SEED_EMAIL_DOMAIN, is_active=True)
        .order_by("pk")[1:7]
    )
    quiz = QuizPage.objects.live().filter(Q(attempts_allowed=0) | Q(attempts_allowed__gte=50))
    quiz = quiz.order_by("path").first() or QuizPage.objects.live().order_by("path").first()
    for user in users[:2]:
        Enrolment.objects.get_or_create(user=user, course=quiz.get_course())
    group = WorkingGroup.objects.filter(visibility=WorkingGroup.Visibility.PUBLIC).first()
    for user in users[2:4]:
        forum_services.membership_add(group=group, user=user)
    topic = Topic.objects.filter(forum=group.forum, approved=True).order_by("pk").first()
    kwargs = {
        "forum_slug": group.forum.slug,
        "forum_pk": group.forum.pk,
        "topic_slug": topic.slug,
        "topic_pk": topic.pk,
    }
    region = Region.objects.order_by("pk").first()
    for number in range(SUBSCRIBERS):
        email = f"soak-reader-{number}@example.org"
        if not Subscription.objects.filter(email=email, region=region).exists():
            Subscription.objects.create(email=email, region=region, language="en")
            subscription_confirm(token=confirm_token(email=email, region_ids=[region.pk]))
    return {
        "pages": pages,
        "password": SEED_PASSWORD,
        "signers": [user.email for user in users[4:6]],
        "trainees": [user.email for user in users[:2]],
        "posters": [user.email for user in users[2:4]],
        "quiz": quiz.url,
        "topic": reverse(
            "forum_conversation:topic",
            kwargs={
                "forum_slug": group.forum.slug,
                "forum_pk": group.forum.pk,
                "slug": topic.slug,
                "pk": topic.pk,
            },
        ),
        "reply": reverse("forum_conversation:post_create", kwargs=kwargs),
        "region": region.pk,
        "started": timezone.now(),
    }


def newsletter_publish(region_id, number):
    """An issue for the soak's region, published as an editor would: the worker sends it."""
    from cms.directory.models import Organisation, Region
    from cms.models import HomePage, NewsletterIndexPage, NewsletterIssuePage, ResourceIndexPage

    region = Region.objects.get(pk=region_id)
    index = NewsletterIndexPage.objects.live().first()
    if index is None:  # the large data set has none: as the demo has it, under the resources
        parent = ResourceIndexPage.objects.live().first() or HomePage.objects.first()
        index = parent.add_child(
            instance=NewsletterIndexPage(
                title="Newsletters from partner regions", slug="newsletters"
            )
        )
    page = NewsletterIssuePage(
        title=f"Soak newsletter {number} {uuid.uuid4().hex[:6]}",
        slug=f"soak-newsletter-{uuid.uuid4().hex[:12]}",
        summary="Sorting lines, recycled yarn and the next matchmaking day.",
        region=region,
        creator=Organisation.objects.filter(region=region).first() or Organisation.objects.first(),
        live=False,
    )
    index.add_child(instance=page)
    page.save_revision().publish()


# The load ----------------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = Counter()
        self.errors = []

    def record(self, journey, response=None, error=None, url=""):
        with self.lock:
            self.requests[journey] += 1
            if error is not None:
                self.errors.append(f"{journey}: {url}: {error}")
            elif response.status_code >= 400:
                self.errors.append(f"{journey}: {response.request.method} {url}: "
                                   f"{response.status_code}")  # fmt: skip


class Journey(threading.Thread):
    def __init__(self, name, base, stats, deadline, pause, step):
        super().__init__(name=name, daemon=True)
        self.base, self.stats, self.deadline, self.pause, self.step = (
            base,
            stats,
            deadline,
            pause,
            step,
        )
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "Mozilla/5.0 (soak)"

    def call(self, method, path, **kwargs):
        url = self.base + path
        try:
            response = self.session.request(method, url, timeout=30, **kwargs)
        except requests.RequestException as error:
            self.stats.record(self.name, error=error, url=path)
            return None
        self.stats.record(self.name, response=response, url=path)
        return response

    def token(self, path):
        response = self.call("GET", path)
        match = TOKEN.search(response.text) if response is not None else None
        return match.group(1) if match else ""

    def sign_in(self, email, password):
        token = self.token("/accounts/login/")
        return self.call(
            "POST",
            "/accounts/login/",
            data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        )

    def run(self):
        while time.monotonic() < self.deadline:
            self.step(self)
            time.sleep(self.pause)


def journeys(plan, base, stats, deadline):
    pages = itertools.cycle(plan["pages"])
    words = itertools.cycle(["cotton", "wool", "polyester", "denim", "yarn", "sorting"])

    def browse(journey):
        journey.call("GET", next(pages))

    signers = itertools.cycle(plan["signers"])

    def sign_in(journey):
        journey.session.cookies.clear()
        journey.sign_in(next(signers), plan["password"])
        journey.call("GET", "/learning/")
        token = journey.token("/accounts/logout/")
        journey.call("POST", "/accounts/logout/", data={"csrfmiddlewaretoken": token})

    def quiz(journey):
        if not journey.session.cookies.get("sessionid"):
            journey.sign_in(journey.email, plan["password"])
        token = journey.token(plan["quiz"])
        started = journey.call("POST", plan["quiz"] + "start/", data={"csrfmiddlewaretoken": token})
        if started is None or "/attempt/" not in started.url:
            return
        token = TOKEN.search(started.text).group(1)
        journey.call(
            "POST",
            started.url.removeprefix(base),
            data={"csrfmiddlewaretoken": token, "action": "submit"},
        )

    def reply(journey):
        if not journey.session.cookies.get("sessionid"):
            journey.sign_in(journey.email, plan["password"])
        token = journey.token(plan["reply"])
        data = {
            "csrfmiddlewaretoken": token,
            "subject": "Re: soak",
            "content": f"Measured again at {datetime.datetime.now():%H:%M:%S}: still 90 %.",
            "topic_type": 0,
        }
        for prefix in ("attachment", "poll"):
            data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0,
                         f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})  # fmt: skip
        journey.call("POST", plan["reply"], data=data)
        journey.call("GET", plan["topic"])

    def search(journey):
        word = next(words)
        kind = random.choice(["offer", "wanted"])
        journey.call("GET", f"/exchange/?q={word}&kind={kind}&sort=newest")
        journey.call("GET", f"/search/?q={word}")

    threads = [
        Journey("browse-1", base, stats, deadline, 0.05, browse),
        Journey("browse-2", base, stats, deadline, 0.05, browse),
        # allauth allows 30 sign-ins a minute from one address: about 15 here.
        Journey("sign-in", base, stats, deadline, 3.0, sign_in),
        Journey("quiz", base, stats, deadline, 1.0, quiz),
        # 6 posts a minute per member (RATELIMITS["forum.post"]): one every 12 s per poster.
        Journey("forum-reply-1", base, stats, deadline, 12.5, reply),
        Journey("forum-reply-2", base, stats, deadline, 12.5, reply),
        Journey("listing-search", base, stats, deadline, 0.5, search),
    ]
    threads[3].email = plan["trainees"][0]
    threads[4].email = plan["posters"][0]
    threads[5].email = plan["posters"][1]
    return threads


# Memory ------------------------------------------------------------------------------------------


def descendants(root):
    children = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[parent].append(int(entry.name))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def rss_mb(pid):
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None, ""
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return (int(match.group(1)) / 1024 if match else None), command


def kind_of(command):
    if "gunicorn" in command:
        return "web"
    if "celery" in command and " worker" in command:
        return "worker"
    if "celery" in command and " beat" in command:
        return "beat"
    return None


def sample(root):
    """{kind: [RSS of each process]} for the processes under ``root``."""
    by_kind = defaultdict(list)
    for pid in descendants(root):
        rss, command = rss_mb(pid)
        kind = kind_of(command)
        if rss is not None and kind:
            by_kind[kind].append(rss)
    return by_kind


# The run -----------------------------------------------------------------------------------------


def wait_healthy(base, timeout=900):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise SystemExit(
        f"make serve did not answer at {base}/healthz within {timeout} s (migrate and collectstatic run first)"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--smtp-port", type=int, default=None, help="default: port + 2")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--output", default=str(PROJECT_ROOT / "docs" / "performance.md"))
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get(
        "REDIS_URL"
    ):
        raise SystemExit("The soak needs DATABASE_URL (PostgreSQL) and REDIS_URL.")
    base = f"http://127.0.0.1:{args.port}"
    smtp_port = args.smtp_port or args.port + 2
    os.environ.update(
        {
            "SECRET_KEY": os.environ.get("SECRET_KEY", f"soak-{uuid.uuid4().hex}"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": base,
            "SECURE_SSL_REDIRECT": "False",
            "SECURE_COOKIES": "False",
            "SECURE_HSTS_SECONDS": "0",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "CELERY_QUEUE": f"tvc-soak-{uuid.uuid4().hex[:8]}",
        }
    )
    django_setup()
    from tests.scaleout.processes import SmtpSink

    plan = prepare()
    sink = SmtpSink(port=smtp_port).start()
    serve_env = {
        **os.environ,
        "PORT": str(args.port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": str(args.web_workers),
        "LOG_LEVEL": "WARNING",
        # One client address sends everything here: the per-address search limit would answer
        # 429 to the load itself.
        "RATELIMIT_SEARCH": "100000/m",
    }
    log = open(f"/tmp/tvc-soak-serve-{args.port}.log", "w")  # noqa: S108
    serve = subprocess.Popen(  # noqa: S603
        ["make", "serve", f"PORT={args.port}", "HOST=127.0.0.1"],  # noqa: S607
        cwd=PROJECT_ROOT,
        env=serve_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    samples, stats, newsletters = [], Stats(), 0
    load_before = " ".join(f"{value:.1f}" for value in os.getloadavg())
    try:
        wait_healthy(base)
        start = time.monotonic()
        deadline = start + args.minutes * 60
        threads = journeys(plan, base, stats, deadline)
        for thread in threads:
            thread.start()
        next_sample, next_newsletter = start, start + 5
        while time.monotonic() < deadline:
            now = time.monotonic()
            if now >= next_sample:
                samples.append(((now - start) / 60, sample(serve.pid)))
                next_sample += 10
            if now >= next_newsletter:
                newsletter_publish(plan["region"], newsletters)
                newsletters += 1
                next_newsletter += 60
            time.sleep(0.5)
        for thread in threads:
            thread.join(timeout=60)
        samples.append(((time.monotonic() - start) / 60, sample(serve.pid)))
        expected = newsletters * SUBSCRIBERS
        wait_deadline = time.monotonic() + 120
        while time.monotonic() < wait_deadline and len(newsletter_mail(sink)) < expected:
            time.sleep(1)
        delivered = len(newsletter_mail(sink))
    finally:
        stop_all(serve)
        sink.stop()
        log.close()
    load_after = " ".join(f"{value:.1f}" for value in os.getloadavg())
    report, passed = summarise(
        args, samples, stats, newsletters, delivered, expected, load_before, load_after
    )
    print(report)  # noqa: T201 - a script's output
    if args.output != "-":
        from cms.page_benchmark import write_report

        write_report(Path(args.output), report, start="<!-- soak: start -->",
                     end="<!-- soak: end -->")  # fmt: skip
    return 0 if passed else 1


def stop_all(serve):
    """Stop `make serve` and everything it started, even a process in a session of its own."""
    started = [(pid, rss_mb(pid)[1]) for pid in descendants(serve.pid) if pid != serve.pid]
    os.killpg(serve.pid, signal.SIGTERM)
    try:
        serve.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(serve.pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    for pid, command in started:
        # The same process still (its command line unchanged), never a new one with its id.
        while rss_mb(pid)[1] == command and command and time.monotonic() < deadline:
            time.sleep(0.5)
        if command and rss_mb(pid)[1] == command:
            os.kill(pid, signal.SIGKILL)


def newsletter_mail(sink):
    return [subject for subject in sink.subjects() if subject.startswith("Soak newsletter")]


def summarise(args, samples, stats, newsletters, delivered, expected, load_before, load_after):
    def largest(kind, since=0.0):
        values = [max(by_kind[kind]) for minute, by_kind in samples if minute >= since
                  and by_kind.get(kind)]  # fmt: skip
        return values

    rows = []
    checks = []
    for kind, limit in (("web", WEB_LIMIT_MB), ("worker", WORKER_LIMIT_MB), ("beat", None)):
        values = largest(kind)
        if not values:
            rows.append(f"| {kind} | – | – | – | – |")
            checks.append((f"{kind} processes sampled", False))
            continue
        at_two = largest(kind, since=2.0)
        first, last = (at_two[0], at_two[-1]) if at_two else (values[0], values[-1])
        count = max(len(by_kind.get(kind, [])) for _minute, by_kind in samples)
        rows.append(
            f"| {kind} ({count} processes) | {max(values):.0f} | {first:.0f} | {last:.0f} | "
            f"{last - first:+.0f} |"
        )
        if limit:
            checks.append((f"each {kind} process under {limit} MB", max(values) < limit))
            checks.append(
                (
                    f"{kind}: no growth from minute 2 to the end (±{GROWTH_TOLERANCE_MB} MB)",
                    last - first <= GROWTH_TOLERANCE_MB,
                )
            )
    total = sum(stats.requests.values())
    checks.insert(0, ("no errors", not stats.errors))
    checks.append((f"every newsletter e-mail delivered ({delivered} of {expected})",
                   delivered >= expected))  # fmt: skip
    journeys = ", ".join(f"{name} {count:,}" for name, count in sorted(stats.requests.items()))
    lines = [
        f"Run {datetime.datetime.now(datetime.UTC):%d %B %Y, %H:%M} UTC: `make soak` "
        f"(`python -m tests.scaleout.soak --minutes {args.minutes:g}`), `make serve` with "
        f"{args.web_workers} gunicorn workers, a Celery worker (2 processes) and beat on "
        f"PostgreSQL and Redis on loopback, the data set in `DATABASE_URL`. Load average "
        f"{load_before} at the start, {load_after} at the end (other work on the machine "
        f"raises it).",
        "",
        f"{total:,} requests ({total / (args.minutes * 60):.1f} a second): {journeys}; "
        f"{newsletters} newsletters published, {delivered} e-mails delivered by the worker; "
        f"{len(stats.errors)} errors.",
        "",
        "| processes | largest RSS (MB) | largest at minute 2 | largest at the end | growth |",
        "|---|---|---|---|---|",
        *rows,
        "",
        *(f"- {'passed' if ok else 'FAILED'}: {name}" for name, ok in checks),
    ]
    if stats.errors:
        lines += ["", "First errors:", *(f"- `{error}`" for error in stats.errors[:10])]
    return "\n".join(lines), all(ok for _name, ok in checks)


if __name__ == "__main__":
    sys.exit(main())
