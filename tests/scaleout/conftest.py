import shutil
import uuid

import pytest
from kombu import pools

from cms.celery import app as default_app

from .processes import PrivateRedis


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        pytest.skip("The scale-out tests run their own redis-server: apt-get install redis-server")
    server = PrivateRedis().start()
    try:
        yield server
    finally:
        server.stop()


def _drop_broker_connections(app):
    """Forget the connections Celery made for the broker it had, and the queues and router made
    from the old configuration: ``conf.update(broker_url=...)`` reaches none of them.
    ``app.amqp`` keeps the producer pool made on first use, and every eager ``delay()`` of an
    earlier test uses it (on ``memory://``): without this, this process's tasks went into
    memory, not to the worker. kombu keeps its pools process-wide, per broker URL: they are
    closed and forgotten too (a later private Redis may get the same port)."""
    pools.reset()
    app._pool = None
    app.__dict__.pop("amqp", None)  # a cached_property: made again, from conf, on next use


@pytest.fixture
def queue_app(private_redis):
    """This test process queues tasks as production does: the site's Celery app itself (tasks
    bound to it, like the outbox's, included) is pointed at the test's Redis and its own queue,
    so a worker (not this process) runs them."""
    queue = f"tvc-scaleout-{uuid.uuid4().hex[:8]}"
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: default_app.conf[key] for key in keys}
    default_app.conf.update(
        broker_url=private_redis.url, task_always_eager=False, task_default_queue=queue
    )
    _drop_broker_connections(default_app)
    try:
        yield default_app, queue
    finally:
        default_app.conf.update(saved)
        _drop_broker_connections(default_app)
