import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.admin.utils import get_user_display_name

from cms.accounts import roles
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_roles_exist_as_groups_created_by_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)
    # Wagtail's default groups were renamed, not duplicated.
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()


def test_sign_up_sends_verification_and_makes_a_trainee(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # allauth's e-mails go through the outbox: sent once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "new@example.org",
                "display_name": "Nina New",
                "password1": "recycled-fibre-2026",
                "password2": "recycled-fibre-2026",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = EmailAddress.objects.get(email="new@example.org").user
    assert user.display_name == "Nina New"
    assert list(user.groups.values_list("name", flat=True)) == [roles.TRAINEE]
    assert len(mailoutbox) == 1
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_sign_up_with_bad_input_shows_errors_and_saves_nothing(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "not-an-address", "display_name": "", "password1": "123", "password2": "456"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'aria-invalid="true"' in content
    assert "Enter a valid email address." in content
    assert "This field is required." in content
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.exists()


def test_unverified_account_cannot_log_in(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    # allauth sends a new verification e-mail and shows "verify your address" instead.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1


def test_verified_account_logs_in_by_email(client):
    user = UserFactory()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_log_in_redirects_to_the_preferred_language(client):
    user = UserFactory(preferred_language="it")
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/it/"


def test_failed_logins_are_rate_limited(client):
    user = UserFactory()
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    # The right password no longer gets in after five failures on the same account.
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert re.search(r"/accounts/password/reset/key/\S+/", mailoutbox[0].body)


def test_log_out_needs_a_post(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_trainee_cannot_open_the_admin(client, trainee):
    client.force_login(trainee)
    response = client.get("/admin/pages/", follow=True)
    assert response.status_code == 403
    assert "You are not allowed to do that" in response.content.decode()


def test_signed_out_visitor_is_sent_to_sign_in_from_the_admin(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"


def test_regional_editor_can_open_the_admin(client):
    editor = UserFactory(roles=[roles.REGIONAL_EDITOR])
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_profile_needs_login(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_profile_saves_and_validates(client, user):
    from tests.factories import OrganisationFactory, RegionFactory

    organisation = OrganisationFactory()
    region = RegionFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/profile/",
        {
            "display_name": "",
            "organisation": organisation.pk,
            "region": region.pk,
            "preferred_language": "pl",
        },
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    user.refresh_from_db()
    assert user.organisation is None

    response = client.post(
        "/accounts/profile/",
        {
            "display_name": "Jan Kowalski",
            "organisation": organisation.pk,
            "region": region.pk,
            "preferred_language": "pl",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/pl/accounts/profile/"
    user.refresh_from_db()
    assert (user.display_name, user.organisation, user.region, user.preferred_language) == (
        "Jan Kowalski",
        organisation,
        region,
        "pl",
    )


def test_display_name_never_shows_the_full_email():
    user = UserFactory.build(
        email="secret.person@example.org", display_name="", first_name="", last_name=""
    )
    assert user.get_display_name() == "secret.person"


def test_wagtail_admin_names_people_by_their_display_name_never_their_address():
    """Moderation lists, the sidebar and page history call ``get_full_name()``; an account with
    only a display name was listed by its e-mail address."""
    named = UserFactory.build(email="anna@example.org", display_name="Anna Nowak")
    assert get_user_display_name(named) == "Anna Nowak"
    by_names = UserFactory.build(
        email="piotr@example.org", display_name="", first_name="Piotr", last_name="Wiśniewski"
    )
    assert get_user_display_name(by_names) == "Piotr Wiśniewski"
    assert by_names.get_display_name() == "Piotr Wiśniewski"
