import pytest

from tests.cms.factories import build_site_tree, event


@pytest.fixture
def events_index(db):
    return build_site_tree()["events"]


@pytest.fixture
def make_event(events_index):
    """An event with on-site registration (capacity 2, waiting list) unless told otherwise."""

    def make(**fields):
        fields.setdefault("registration_mode", "on_site")
        fields.setdefault("capacity", 2)
        return event(events_index, publish=True, **fields)

    return make


@pytest.fixture
def send_mail(django_capture_on_commit_callbacks, mailoutbox):
    """Run a block whose committed e-mails the outbox then sends: ``with send_mail(): ...``."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
