"""Two-factor authentication (allauth.mfa): available to everyone, required before the Wagtail
or Django admin opens for the roles that work there."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from cms.accounts import roles
from cms.accounts.two_factor import totp_activate, totp_current_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STAFF = [
    {"roles": [roles.REGIONAL_EDITOR]},
    {"roles": [roles.MODERATOR]},
    {"roles": [roles.TRAINING_PROVIDER]},
    {"roles": [roles.ADMINISTRATOR]},
    {"is_superuser": True, "is_staff": True},
]


def password_sign_in(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("staff", STAFF)
@pytest.mark.parametrize("path", ["/admin/", "/django-admin/"])
def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, staff, path):
    user = UserFactory(**staff)
    password_sign_in(client, user)
    assert signed_in(client)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/2fa/totp/activate/?next={path.replace('/', '%2F')}"


def test_trainees_sign_in_without_a_second_factor_and_stay_out_of_the_admin(client, trainee):
    password_sign_in(client, trainee)
    assert signed_in(client)
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get("/admin/", follow=True).status_code == 403


def test_sign_in_with_an_authenticator_asks_for_its_code(client):
    editor = UserFactory(roles=[roles.REGIONAL_EDITOR])
    secret = totp_activate(user=editor)
    response = password_sign_in(client, editor)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert not signed_in(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_current_code(secret)})
    assert response.status_code == 302
    assert signed_in(client)
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 302  # an editor is not Django staff


def test_wrong_codes_are_rate_limited(client):
    editor = UserFactory(roles=[roles.MODERATOR])
    secret = totp_activate(user=editor)
    password_sign_in(client, editor)
    for _ in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_current_code(secret)})
    assert not signed_in(client)
    assert "Too many failed" in response.content.decode()


def test_staff_signed_in_without_the_code_confirm_it_before_the_admin(client, admin_user):
    secret = totp_activate(user=admin_user)
    client.force_login(admin_user, two_factor=False)
    response = client.get("/admin/pages/")
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2Fpages%2F"
    response = client.post(response["Location"], {"code": totp_current_code(secret)})
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_an_editor_sets_up_an_authenticator_app_and_enters_the_admin(client):
    editor = UserFactory(roles=[roles.REGIONAL_EDITOR])
    password_sign_in(client, editor)
    setup_url = client.get("/admin/")["Location"]
    # allauth asks for the password again before a new authenticator is added.
    response = client.get(setup_url)
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == setup_url
    page = client.get(setup_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "<svg" in content  # the QR code, drawn by segno
    secret = client.session["mfa.totp.secret"]
    assert secret in content  # for apps that cannot scan
    response = client.post(setup_url, {"code": totp_current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=editor, type="totp").exists()
    # Recovery codes were made at the same time.
    assert Authenticator.objects.filter(user=editor, type="recovery_codes").exists()
    # The session was signed in with the password alone: the admin asks for a code once.
    response = client.get("/admin/")
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    client.post(response["Location"], {"code": totp_current_code(secret)})
    assert client.get("/admin/").status_code == 200


def test_anyone_may_turn_on_two_factor_and_the_pages_are_translated(client, trainee):
    client.force_login(trainee, two_factor=False)
    response = client.get("/accounts/2fa/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Two-Factor Authentication" in content
    assert 'class="site-header"' in content  # the site's own layout
    content = client.get("/pl/accounts/2fa/").content.decode()
    assert "Autoryzacja dwuskładnikowa" in content
    content = client.get("/it/accounts/2fa/").content.decode()
    assert "Autenticazione a Due Fattori" in content


def test_demo_totp_prints_the_current_code(admin_user):
    secret = totp_activate(user=admin_user)
    output = io.StringIO()
    call_command("demo_totp", admin_user.email, stdout=output)
    assert totp_current_code(secret) in output.getvalue()
    assert secret in output.getvalue()
