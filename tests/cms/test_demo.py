import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cms.accounts import roles
from cms.directory.models import Organisation, Region

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent_and_creates_one_user_per_role(capsys):
    call_command("load_demo")
    counts = (
        Region.objects.count(),
        Organisation.objects.count(),
        get_user_model().objects.count(),
    )
    call_command("load_demo")
    assert (
        Region.objects.count(),
        Organisation.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    assert (
        Region.objects.filter(
            nuts_code__in=[
                "PL71",
                "ITI15",
                "ITC13",
                "ITC4",
                "SI032",
                "HR062",
                "CZ051",
                "DED",
                "AT34",
                "HU32",
            ]
        ).count()
        == 10
    )
    for role in roles.ALL_ROLES:
        assert get_user_model().objects.filter(groups__name=role).exists(), role
    output = capsys.readouterr().out
    assert "password:" in output
    # Every account that may work in the admin has an authenticator app, the same on each run.
    from cms.accounts.two_factor import totp_secret, user_requires_two_factor

    for user in get_user_model().objects.all():
        if user_requires_two_factor(user):
            assert f"{user.email:<28} authenticator secret: {totp_secret(user)}" in output
        else:
            assert totp_secret(user) is None, user.email


def test_load_demo_skip_if_loaded(capsys):
    call_command("load_demo")
    capsys.readouterr()
    call_command("load_demo", "--skip-if-loaded")
    assert "already loaded" in capsys.readouterr().out


def test_load_demo_refuses_production(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not Region.objects.exists()
