"""Sign-in throttling per account and per address (allauth's rate limits), with the client's
address taken from X-Forwarded-For only behind the number of proxies the operator declares
(ALLAUTH_TRUSTED_PROXY_COUNT); production refuses to start without a shared cache."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def sign_in(client, user, *, address, password=PASSWORD):
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": password},
        HTTP_X_FORWARDED_FOR=address,
    )
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_behind_a_proxy_failures_from_one_address_do_not_lock_out_another(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    victims = [UserFactory() for _ in range(3)]
    for attempt in range(11):
        assert not sign_in(client, victims[attempt % 3], address="203.0.113.5", password="guess")
    # Someone else, at another address behind the same proxy, signs in.
    colleague = UserFactory()
    assert sign_in(client, colleague, address="198.51.100.7")
    client.logout()
    # The guessing address stays refused, even with a right password.
    other = UserFactory()
    assert not sign_in(client, other, address="203.0.113.5")


def test_behind_a_proxy_addresses_a_client_prepends_to_forwarded_for_change_nothing(
    client, settings
):
    """One proxy appends the address it saw: whatever the client wrote before it is ignored."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    users = [UserFactory() for _ in range(3)]
    for attempt in range(11):
        forged = f"10.0.0.{attempt}, 192.0.2.{attempt}, 203.0.113.5"
        assert not sign_in(client, users[attempt % 3], address=forged, password="guess")
    assert not sign_in(client, UserFactory(), address="10.9.9.9, 203.0.113.5")
    assert sign_in(client, UserFactory(), address="203.0.113.5, 198.51.100.7")


def test_a_trusted_client_address_header_is_used_instead_of_the_count(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    users = [UserFactory() for _ in range(3)]
    for attempt in range(11):
        client.post(
            "/accounts/login/",
            {"login": users[attempt % 3].email, "password": "guess"},
            HTTP_X_REAL_IP="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )
        assert "_auth_user_id" not in client.session
    refused = client.post(
        "/accounts/login/",
        {"login": UserFactory().email, "password": PASSWORD},
        HTTP_X_REAL_IP="203.0.113.5",
    )
    assert refused.status_code == 429 or "_auth_user_id" not in client.session
    colleague = client.post(
        "/accounts/login/",
        {"login": UserFactory().email, "password": PASSWORD},
        HTTP_X_REAL_IP="198.51.100.7",
    )
    assert colleague.status_code == 302 and "_auth_user_id" in client.session


def test_each_account_is_throttled_whatever_the_address(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    for number in range(5):
        assert not sign_in(client, user, address=f"192.0.2.{number + 1}", password="guess")
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_account_is_counted_once_whatever_host_and_port_the_request_names(client):
    """Two web processes on their own ports (the live test in tests/outages), or an attacker
    writing another port into Host (ALLOWED_HOSTS ignores the port): allauth keyed the failures
    by the request's host with its port, so each port counted its own five guesses."""
    user = UserFactory()
    hosts = ["127.0.0.1:8011", "127.0.0.1:8012", "localhost", "127.0.0.1:1", "testserver"]
    for host in hosts:
        response = client.post(
            "/accounts/login/", {"login": user.email, "password": "guess"}, HTTP_HOST=host
        )
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()
    for host in ("127.0.0.1:8013", "localhost:8011"):
        response = client.post(
            "/accounts/login/", {"login": user.email.upper(), "password": PASSWORD}, HTTP_HOST=host
        )
        assert "Too many failed login attempts" in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    users = [UserFactory() for _ in range(3)]
    for attempt in range(11):
        sign_in(client, users[attempt % 3], address=f"198.51.100.{attempt}", password="guess")
    # The counts went to the connection's own address, which a header cannot change.
    assert not sign_in(client, UserFactory(), address="198.51.100.200")


def run_settings(module, environment, code):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "ALLAUTH_TRUSTED_PROXY_COUNT"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": module, **environment})
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_trusted_proxy_count_comes_from_the_environment():
    code = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = run_settings("cms.settings.dev", {"ALLAUTH_TRUSTED_PROXY_COUNT": "2"}, code)
    assert result.stdout.strip() == "2", result.stderr
    assert run_settings("cms.settings.dev", {}, code).stdout.strip() == "0"


def test_production_refuses_to_start_without_a_shared_cache():
    production = {
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "centre.example.org",
        "SITE_URL": "https://centre.example.org",
    }
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = run_settings("cms.settings.production", production, code)
    assert result.returncode != 0
    assert "Production needs a shared cache: set REDIS_URL" in result.stderr
    result = run_settings(
        "cms.settings.production", {**production, "REDIS_URL": "redis://127.0.0.1:6379/3"}, code
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "cms.cache.FailSoftRedisCache"
