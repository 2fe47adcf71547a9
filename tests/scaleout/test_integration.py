"""Scale-out, proven: two gunicorn web processes on different ports and one Celery worker on
PostgreSQL, Redis, an SMTP sink and S3-compatible object storage (moto), all on loopback.

Runs in `make test` when the test database is PostgreSQL and Redis answers (CI's PostgreSQL
run); skipped, saying why, otherwise. The processes share pytest's test database (a
transactional test: what one process writes, the others read); every server is started and
stopped here, on free ports."""

import io
import os
import re
import signal
import uuid

import pytest
import requests
from django.db import connection
from PIL import Image

from cms.newsletters.models import Delivery, Subscription
from cms.newsletters.services import subscription_confirm
from cms.newsletters.tokens import confirm_token
from cms.tasks import send_email
from courses.models import Certificate
from exchange.models import Listing
from tests.cms.factories import make_newsletter_issue
from tests.courses.factories import course_with_lessons, lessons_of
from tests.exchange.factories import MembershipFactory, SiteFactory, VerifiedOrganisationFactory
from tests.exchange.test_listings import listing_data
from tests.factories import RegionFactory
from tests.s3_server import s3_environment, s3_server

from .processes import (
    SmtpSink,
    celery_beat,
    celery_worker,
    free_port,
    gunicorn,
    text_of,
    wait_until,
    worker_ready,
)

BUCKET = "tvc-scaleout"
PASSWORD = "recycled-fibre-2026"


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            "The scale-out test needs PostgreSQL (web processes and worker share the test "
            "database): run with DATABASE_URL=postgres://…"
        )


def _database_url():
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def cluster(postgresql, queue_app, private_redis, transactional_db, tmp_path):
    _app, queue = queue_app
    sink = SmtpSink().start()
    with s3_server(BUCKET) as s3_endpoint:
        ports = [free_port(), free_port()]
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("S3_")},
            "DJANGO_SETTINGS_MODULE": "tests.scaleout.integration_settings",
            "SECRET_KEY": "scaleout-test-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{ports[0]}",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": private_redis.url,
            "CELERY_QUEUE": queue,
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "SECURE_SSL_REDIRECT": "False",
            "SECURE_COOKIES": "False",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            **s3_environment(s3_endpoint, BUCKET),
        }
        webs = [gunicorn(port, env).start() for port in ports]
        worker = celery_worker(env).start()
        beat = celery_beat(env, tmp_path / "celerybeat-schedule").start()
        try:
            for web, port in zip(webs, ports, strict=True):
                wait_until(
                    lambda port=port: _healthy(f"http://127.0.0.1:{port}"),
                    timeout=120,
                    what=f"gunicorn on port {port}\n{web.output()[-3000:]}",
                )
            wait_until(lambda: worker_ready(worker), timeout=120, what="the Celery worker")
            yield {
                "urls": [f"http://127.0.0.1:{port}" for port in ports],
                "sink": sink,
                "worker": worker,
                "beat": beat,
                "env": env,
                "s3": s3_endpoint,
            }
        finally:
            for process in (*webs, worker, beat):
                process.stop()
            sink.stop()


def _healthy(url):
    try:
        return requests.get(f"{url}/healthz", timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or still loading the application
        return False


def _csrf(session, url):
    response = session.get(url, timeout=30)
    assert response.status_code == 200, (url, response.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def _post(session, url, data, files=None):
    token = _csrf(session, url)
    return session.post(url, data={**data, "csrfmiddlewaretoken": token}, files=files, timeout=60)


def _diagnosis(cluster):
    """What the worker and beat logged last and what waits in the database."""

    def diagnose():
        from cms.outbox.models import OutgoingEmail, PendingJob

        pending = list(PendingJob.objects.values_list("task", flat=True))
        outbox = list(OutgoingEmail.objects.values_list("status", "to", "last_error"))
        return (
            f"parked jobs: {pending}\noutbox: {outbox}\n"
            f"--- worker\n{cluster['worker'].output()[-4000:]}\n"
            f"--- beat\n{cluster['beat'].output()[-1500:]}"
        )

    return diagnose


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_web_processes_and_a_worker_share_everything(cluster, queue_app):
    web_a, web_b = cluster["urls"]
    sink, worker = cluster["sink"], cluster["worker"]
    browser = requests.Session()  # cookies are per host, not per port: one browser, two servers

    # Sign up through A; the worker delivers the confirmation e-mail; confirm through B.
    email = f"scale-{uuid.uuid4().hex[:6]}@example.org"
    response = _post(
        browser,
        f"{web_a}/accounts/signup/",
        {
            "email": email,
            "display_name": "Sara Scale",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200 and "/accounts/confirm-email/" in response.url
    diagnose = _diagnosis(cluster)
    confirmation = wait_until(
        lambda: sink.to(email), timeout=150, what="the confirmation e-mail", diagnose=diagnose
    )
    confirm_path = re.search(r"/accounts/confirm-email/[^/\s]+/", text_of(confirmation[0])).group(0)
    assert _post(browser, f"{web_b}{confirm_path}", {}).status_code == 200

    # Log in through A, continue the session on B.
    response = _post(browser, f"{web_a}/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 200 and "/accounts/login/" not in response.url
    learning = browser.get(f"{web_b}/learning/", timeout=30)
    assert learning.status_code == 200 and "/accounts/login/" not in learning.url
    assert "Sara Scale" in learning.text

    # Publish a newsletter (here, queued through Redis); the worker delivers it.
    region = RegionFactory(name="Prato")
    # Subscribed the way readers are: the double opt-in, confirmed by the link's token.
    Subscription.objects.create(email="reader@example.org", region=region, language="en")
    subscription_confirm(token=confirm_token(email="reader@example.org", region_ids=[region.pk]))
    issue = make_newsletter_issue(region=region, title="Prato recycles", publish=False)
    issue.save_revision().publish()
    newsletter = wait_until(
        lambda: sink.to("reader@example.org"),
        timeout=150,
        what="the newsletter e-mail",
        diagnose=diagnose,
    )
    assert "Prato recycles" in str(newsletter[0]["Subject"])
    assert newsletter[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Delivery.objects.filter(subscription__email="reader@example.org").count() == 1

    # Complete a course through A; the worker makes the certificate; download it through B.
    course = course_with_lessons(modules=1, lessons=1)
    lesson = lessons_of(course)[0]
    enrol_token = _csrf(browser, f"{web_b}{course.url}")
    response = browser.post(
        f"{web_b}/learning/courses/{course.pk}/enrol/",
        data={"csrfmiddlewaretoken": enrol_token},
        timeout=60,
    )
    assert response.status_code == 200
    complete_token = _csrf(browser, f"{web_a}{lesson.url}")
    response = browser.post(
        f"{web_a}/learning/lessons/{lesson.pk}/complete/",
        data={"csrfmiddlewaretoken": complete_token},
        timeout=60,
    )
    assert response.status_code == 200 and response.url.endswith("/learning/")
    certificate = wait_until(
        lambda: Certificate.objects.filter(user__email=email).exclude(pdf="").first(),
        timeout=150,
        what="the certificate PDF made by the worker",
        diagnose=diagnose,
    )
    pdf = browser.get(f"{web_b}/learning/certificates/{certificate.code}/download/", timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # Upload a listing photo through A, read it through B (from the object store).
    organisation = VerifiedOrganisationFactory(name="Scale Knitwear")
    site = SiteFactory(organisation=organisation)
    MembershipFactory(organisation=organisation, user=certificate.user)
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 48), "navy").save(jpeg, format="JPEG")
    data = listing_data(site)
    data["photo-alt_text"] = "Bales of navy cuttings"
    response = _post(
        browser,
        f"{web_a}/exchange/listings/new/",
        data,
        files={"photo-image": ("bales.jpg", jpeg.getvalue(), "image/jpeg")},
    )
    assert response.status_code == 200
    listing = Listing.objects.get(organisation=organisation)
    page = browser.get(f"{web_b}/exchange/listings/{listing.pk}/", timeout=30)
    photo_url = re.search(r'src="([^"]+exchange/photos/[0-9a-f]+\.jpg)"', page.text).group(1)
    assert photo_url.startswith(cluster["s3"])
    with Image.open(io.BytesIO(requests.get(photo_url, timeout=30).content)) as photo:
        assert photo.size == (64, 48)

    # Stop the worker, queue work, start it again: nothing queued is lost.
    worker.stop(signal.SIGTERM)
    subjects = [f"Queued while stopped {n}" for n in range(5)]
    for subject in subjects:
        send_email.delay(to=["queue@example.org"], subject=subject, text_body="Hello")
    assert not sink.to("queue@example.org")
    worker.start()
    wait_until(
        lambda: set(subjects) <= set(sink.subjects()),
        timeout=150,
        what="the e-mails queued while the worker was stopped",
        diagnose=diagnose,
    )
