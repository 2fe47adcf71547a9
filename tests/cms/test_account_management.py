import pytest
from allauth.account.models import EmailAddress
from django.test import RequestFactory, override_settings
from django.views.defaults import server_error

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_email_change_adds_an_unverified_address_and_sends_a_confirmation(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/email/", {"action_add": "", "email": "new.address@example.org"}
        )
    assert response.status_code == 302
    added = EmailAddress.objects.get(email="new.address@example.org")
    assert added.user == user
    assert not added.verified
    assert mailoutbox[-1].to == ["new.address@example.org"]
    # The old address stays the login until the new one is confirmed.
    user.refresh_from_db()
    assert user.email != "new.address@example.org"


def test_email_management_needs_login(client):
    response = client.get("/accounts/email/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@override_settings(DEBUG=False)
def test_server_error_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong on our side" in content
    assert 'lang="pl"' in content


def test_403_page_has_the_site_look(client):
    client.force_login(UserFactory(roles=["Trainee"]))
    response = client.get("/accounts/admin-login/")
    assert response.status_code == 403
    assert "site-header" in response.content.decode()
