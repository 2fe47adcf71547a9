"""One sign-in: Wagtail's admin login, its page-privacy login and the Django admin's login never
take a password themselves; they send people to allauth's sign-in page, keeping ``next``, so
allauth's e-mail verification, rate limits and two-factor authentication always apply."""

import pytest
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OTHER_LOGIN_PATHS = ["/admin/login/", "/django-admin/login/", "/_util/login/"]


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("path", OTHER_LOGIN_PATHS)
def test_other_login_paths_never_sign_anyone_in(client, admin_user, path):
    credentials = {"username": admin_user.email, "login": admin_user.email}
    for _ in range(25):
        response = client.post(path, {**credentials, "password": "wrong-password"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    response = client.post(path, {**credentials, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not signed_in(client)


@pytest.mark.parametrize("path", OTHER_LOGIN_PATHS)
def test_25_wrong_passwords_through_any_login_path_lock_the_account(client, admin_user, path):
    """Following the redirect, the only form that checks passwords is allauth's: after 25
    failures the right password is refused too."""
    for _ in range(25):
        response = client.post(
            path, {"username": admin_user.email, "password": "wrong-password"}, follow=True
        )
        login_url = response.redirect_chain[-1][0]
        assert login_url.startswith("/accounts/login/")
        client.post(login_url, {"login": admin_user.email, "password": "wrong-password"})
    response = client.post(login_url, {"login": admin_user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/admin/login/?next=/admin/pages/", "/accounts/login/?next=/admin/pages/"),
        ("/admin/login/", "/accounts/login/?next=/admin/"),
        (
            "/django-admin/login/?next=/django-admin/auth/",
            "/accounts/login/?next=/django-admin/auth/",
        ),
        ("/django-admin/login/", "/accounts/login/?next=/django-admin/"),
        ("/_util/login/?next=/members/", "/accounts/login/?next=/members/"),
        ("/pl/_util/login/?next=/pl/members/", "/pl/accounts/login/?next=/pl/members/"),
        # Another site is never a destination.
        ("/admin/login/?next=https://evil.example/", "/accounts/login/?next=/admin/"),
        ("/_util/login/?next=//evil.example/", "/accounts/login/?next=/"),
    ],
)
def test_login_paths_redirect_to_allauth_keeping_next(client, path, expected):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_django_admin_sends_signed_out_visitors_to_allauth(client):
    response = client.get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/django-admin/"


def test_signed_in_staff_go_on_to_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/django-admin/login/")["Location"] == "/django-admin/"
    assert client.get("/admin/login/?next=/admin/pages/")["Location"] == "/admin/pages/"


def test_signed_in_people_without_access_get_403_not_a_loop(client):
    client.force_login(UserFactory())
    assert client.get("/django-admin/login/").status_code == 403
    assert client.get("/django-admin/", follow=True).status_code == 403
    assert client.get("/admin/login/").status_code == 403
    assert client.get("/_util/login/?next=/").status_code == 403


def test_unverified_account_cannot_sign_in_through_the_page_privacy_login(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(verified=False)
    response = client.post("/_util/login/?next=/", {"username": user.email, "password": PASSWORD})
    assert not signed_in(client)
    login_url = response["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(login_url, {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not signed_in(client)
    assert len(mailoutbox) == 1


def test_private_page_sends_signed_out_visitors_through_allauth(client):
    home = Page.objects.get(depth=2)
    PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(home.url, follow=True)
    assert response.redirect_chain[-1][0] == f"/accounts/login/?next={home.url}"
    user = UserFactory()
    response = client.post(
        response.redirect_chain[-1][0], {"login": user.email, "password": PASSWORD}
    )
    assert response["Location"] == home.url
    assert client.get(home.url).status_code == 200


def test_admin_password_reset_and_change_are_allauths(client, admin_user):
    assert client.get("/admin/password_reset/").status_code == 404
    client.force_login(admin_user)
    assert client.get("/admin/account/change_password/").status_code == 404
