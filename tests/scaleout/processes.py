"""Helpers of the scale-out integration test: free loopback ports, an SMTP sink, processes
started and stopped by the test, waits by polling."""

import email
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from email import policy
from pathlib import Path

import redis
from aiosmtpd.controller import Controller

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, *, timeout, interval=0.2, what="the condition", diagnose=None):
    """Poll ``predicate`` until it returns something true; fail after ``timeout`` seconds,
    with what ``diagnose()`` says about the state of things then."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            details = f"\n{diagnose()}" if diagnose else ""
            raise AssertionError(f"Timed out after {timeout} s waiting for {what}{details}")
        time.sleep(interval)


class SmtpSink:
    """An SMTP server on a free loopback port that keeps every message it receives."""

    def __init__(self, port=None):
        self.messages = []
        self._lock = threading.Lock()
        self.port = port or free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it so
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted"

    def start(self):
        self._controller.start()
        return self

    def stop(self):
        self._controller.stop()

    def to(self, address):
        with self._lock:
            return [m for m in self.messages if address in str(m["To"])]

    def subjects(self):
        with self._lock:
            return [str(m["Subject"]) for m in self.messages]


def text_of(message):
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content()


class Process:
    """A child process with its output in a temporary file (read when a wait fails)."""

    def __init__(self, name, command, env):
        self.name, self.command, self.env = name, command, env
        self.popen = None
        self.log = tempfile.NamedTemporaryFile(prefix=f"tvc-{name}-", suffix=".log", delete=False)

    def start(self):
        self.popen = subprocess.Popen(  # noqa: S603 (our own commands)
            self.command,
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def output(self):
        return Path(self.log.name).read_text(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.popen is None or self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)

    def alive(self):
        return self.popen is not None and self.popen.poll() is None


def gunicorn(port, env):
    return Process(
        f"web-{port}",
        [
            str(BIN / "gunicorn"),
            "cms.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "120",
        ],
        env,
    )


def celery_beat(env, schedule):
    return Process(
        "beat",
        [
            str(BIN / "celery"),
            "-A",
            "cms",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(schedule),
        ],
        env,
    )


def celery_worker(env):
    return Process(
        "worker",
        [
            str(BIN / "celery"),
            "-A",
            "cms",
            "worker",
            "--concurrency",
            "2",
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
        ],
        env,
    )


def worker_ready(process):
    return re.search(r"celery@\S+ ready", process.output())


class PrivateRedis:
    """A redis-server of our own on a free loopback port (no persistence), to stop and start:
    nothing else on the machine reads, writes or flushes it."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - a fixed local command line
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return self
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def client(self):
        return redis.Redis(port=self.port, socket_connect_timeout=1)
