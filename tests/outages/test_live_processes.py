"""Fault tests against real gunicorn processes on loopback (PostgreSQL only: the processes
share the test database, which an in-memory SQLite database cannot be).

- the database goes away mid-traffic (a TCP relay in front of PostgreSQL is cut): the friendly
  503 page, then the same processes serve again once it is back, without a restart;
- Redis goes away (a redis-server of our own is stopped): pages and sessions keep working;
- sign-in throttling counts across processes while Redis is up (allauth's counters in Redis, one
  key per account whatever port the process listens on)."""

import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.factories import PASSWORD, UserFactory

from .conftest import free_port

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the processes share the test database: run with a PostgreSQL DATABASE_URL")


class TcpRelay:
    """127.0.0.1:<port> -> PostgreSQL. ``cut()`` closes the listener and every open connection
    (the database is gone, mid-query for whoever was using it); ``restore()`` listens again."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.port = free_port()
        self.listener = None
        self.sockets = []
        self.lock = threading.Lock()

    def restore(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(32)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        # shutdown() first: on Linux, close() alone leaves a socket that another thread is
        # blocked in accept() on listening.
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self.sockets.clear()


def start_gunicorn(*, database_port, redis_url, tmp_path):
    port = free_port()
    settings = connection.settings_dict
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "False",
        "DATABASE_URL": f"postgres://{settings['USER']}@127.0.0.1:{database_port}/{settings['NAME']}",
        "DATABASE_CONNECT_TIMEOUT": "2",
        "CONN_MAX_AGE": "60",  # persistent connections: the cut breaks them mid-traffic
        "REDIS_URL": redis_url,
        # Generous on a loaded test machine: a timed-out cache read counts as a miss (fail soft).
        "REDIS_TIMEOUT": "5",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn on loopback
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "cms.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "60",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / f"gunicorn-{port}.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a cold start imports Django and Wagtail
    try:
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=30).status_code in (200, 503):
                    return process, base
            except (requests.ConnectionError, requests.Timeout):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
    except BaseException:
        process.kill()  # never leave a server behind
        process.wait(timeout=20)
        raise


@pytest.fixture
def servers(tmp_path):
    started = []

    def start(**kwargs):
        process, base = start_gunicorn(tmp_path=tmp_path, **kwargs)
        started.append(process)
        return process, base

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def sign_in(base, email, password):
    session = requests.Session()
    form = session.get(f"{base}/accounts/login/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    return session, response


def test_database_gone_mid_traffic_then_back_without_a_restart(servers, private_redis):
    relay = TcpRelay(int(connection.settings_dict["PORT"] or 5432))
    relay.restore()
    process, base = servers(database_port=relay.port, redis_url=private_redis.url)
    for _ in range(3):
        assert requests.get(f"{base}/exchange/", timeout=30).status_code == 200

    relay.cut()
    for _ in range(3):
        page = requests.get(f"{base}/exchange/", timeout=30)
        assert page.status_code == 503
        assert "briefly unavailable" in page.text and page.headers["Retry-After"] == "30"
    health = requests.get(f"{base}/healthz", timeout=30)
    assert (health.status_code, health.json()["status"]) == (503, "error")

    relay.restore()
    assert requests.get(f"{base}/exchange/", timeout=30).status_code == 200
    assert requests.get(f"{base}/healthz", timeout=30).json()["status"] == "ok"
    assert process.poll() is None  # the same process: no restart


def member():
    """A user whose password the servers can check (they use the default hasher, not the test
    suite's fast one)."""
    user = UserFactory()
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "outagesalt", iterations=1000)
    user.save(update_fields=["password"])
    return user


def test_redis_gone_pages_and_sessions_keep_working(servers, private_redis):
    user = member()
    _process, base = servers(
        database_port=int(connection.settings_dict["PORT"] or 5432), redis_url=private_redis.url
    )
    session, response = sign_in(base, user.email, PASSWORD)
    assert response.status_code == 302

    private_redis.stop()
    for path in ("/exchange/", "/newsletters/subscribe/", "/search/?q=wool", "/accounts/login/"):
        assert session.get(f"{base}{path}", timeout=30).status_code == 200, path
    profile = session.get(f"{base}/forum/notifications/", timeout=30, allow_redirects=False)
    assert profile.status_code == 200  # still signed in: the session comes from the database
    health = requests.get(f"{base}/healthz", timeout=30).json()
    assert health["status"] == "degraded"
    assert health["cache"]["status"] == health["broker"]["status"] == "unavailable"

    private_redis.start()
    assert requests.get(f"{base}/healthz", timeout=30).json()["cache"]["status"] == "ok"


def test_sign_in_throttling_is_shared_by_the_processes(servers, private_redis):
    user = member()
    database_port = int(connection.settings_dict["PORT"] or 5432)
    _first, one = servers(database_port=database_port, redis_url=private_redis.url)
    _second, two = servers(database_port=database_port, redis_url=private_redis.url)
    # Five failures for one account (allauth: 5 per 5 minutes per account), spread over both.
    for base in (one, two, one, two, one):
        assert sign_in(base, user.email, "wrong")[1].status_code == 200
    for base in (one, two):
        session, refused = sign_in(base, user.email, PASSWORD)
        assert refused.status_code in (200, 429)
        assert "Too many failed login attempts" in refused.text
        assert "sessionid" not in session.cookies
