"""Every string of the interface has a Polish and an Italian translation.

The strings are extracted afresh from a copy of the source (as ``make translations`` does), so
a string added to a template or to Python code without being translated fails here, as does an
empty or fuzzy entry in any app's catalogue. To fix a failure: ``make translations``, fill the
empty ``msgstr`` (and remove ``#, fuzzy`` after checking the suggestion) in the
``<app>/locale/{pl,it}/LC_MESSAGES/django.po`` named below, then ``make messages``.
"""

import os
import shutil
import subprocess
import sys

import pytest

from .catalogues import LANGUAGES, ROOT, SKIP_DIRS, missing_translations, ui_catalogues

SOURCE_SUFFIXES = {".py", ".html", ".txt", ".po"}


def copy_sources(target):
    """The files makemessages reads (and the catalogues it merges into), nothing else."""
    for directory, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [
            name
            for name in dirnames
            if name not in SKIP_DIRS and not (directory == str(ROOT) and name == "tests")
        ]
        relative = os.path.relpath(directory, ROOT)
        for filename in filenames:
            if os.path.splitext(filename)[1] in SOURCE_SUFFIXES:
                destination = target / relative / filename
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(os.path.join(directory, filename), destination)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogues as ``make translations`` would leave them for the current source."""
    target = tmp_path_factory.mktemp("catalogues")
    copy_sources(target)
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location"]
    for language in LANGUAGES:
        command += ["--locale", language]
    for ignored in (".venv", "tests", "media", "staticfiles", "var"):
        command.append(f"--ignore={ignored}")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    result = subprocess.run(  # noqa: S603  (our own manage.py, fixed arguments)
        command, cwd=target, env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return target


def test_every_app_has_polish_and_italian_catalogues():
    catalogues = ui_catalogues()
    apps = {app for app, _language in catalogues}
    assert {"cms", "courses", "exchange", "forum", "themes"} <= apps
    for app in apps:
        for language in LANGUAGES:
            assert (app, language) in catalogues, f"{app} has no {language} catalogue"


def test_every_ui_string_is_translated_into_polish_and_italian(extracted):
    problems = []
    for (app, language), path in sorted(ui_catalogues(extracted).items()):
        if language not in LANGUAGES:
            continue
        for msgid in missing_translations(path):
            problems.append(f"{app}/locale/{language}: {msgid}")
    assert not problems, (
        f"{len(problems)} UI strings have no Polish or Italian translation "
        "(make translations, fill them in, make messages):\n" + "\n".join(problems)
    )


def test_catalogues_compile_with_matching_placeholders():
    """msgfmt --check: python-format placeholders and plural forms agree with the msgid."""
    for (app, language), path in sorted(ui_catalogues().items()):
        result = subprocess.run(  # noqa: S603
            ["msgfmt", "--check", "-o", os.devnull, str(path)],  # noqa: S607
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"{app} ({language}): {result.stderr}"
