"""`make serve` and every deployment run collectstatic with a manifest storage (WhiteNoise's), which
refuses a style sheet that points at a file the site does not ship (a vendored CSS once did, and
`make serve` stopped before it started)."""

import pytest
from django.core.management import call_command


def test_collectstatic_with_the_production_storage(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
    except Exception as error:  # noqa: BLE001 - the message names the missing file
        pytest.fail(f"collectstatic failed: {error}")
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("themes/css/site.*.css"))
