"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

Every page a journey loads is scanned with axe-core (WCAG 2.1 A and AA rules); a serious or
critical violation fails the test, so every journey inherits the accessibility check. Every
Content-Security-Policy violation (the ``securitypolicyviolation`` event and the console's
report) fails it too: an inline script, style or handler without the nonce is a bug."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)
            # The live server needs committed data; serialized rollback puts back what the data
            # migrations created (home page, locales, roles) after each journey.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


# Actions after which the page may show a new document. Before each of them, and when the
# test ends, a document that has finished loading and is not yet scanned gets scanned. Scanning
# inside the "load" event itself would race with the test's next navigation.
PAGE_ACTIONS = [
    "goto",
    "reload",
    "go_back",
    "go_forward",
    "click",
    "dblclick",
    "fill",
    "press",
    "check",
    "uncheck",
    "select_option",
    "set_input_files",
    "tap",
]
LOCATOR_ACTIONS = [
    "click",
    "dblclick",
    "fill",
    "press",
    "press_sequentially",
    "check",
    "uncheck",
    "set_checked",
    "select_option",
    "set_input_files",
    "tap",
    "clear",
]


class AccessibilityAudit:
    def __init__(self, page):
        self.page = page
        self.axe = Axe()
        self.pending = False
        self.scanned = []
        self.violations = []
        page.on("load", self._loaded)

    def _loaded(self, _page):
        self.pending = True

    def scan_if_pending(self):
        if not self.pending:
            return
        self.pending = False
        # The "load" that set `pending` may be the previous document's, arriving after the
        # test's next click had started another navigation: the new document may have no
        # <html> element yet. Scan the document the page shows once it has loaded, and again
        # if it is replaced while being scanned.
        for attempt in range(3):
            self.page.wait_for_load_state("load")
            url = self.page.url
            if not url.startswith("http"):
                return
            try:
                results = self._scan()
                break
            except PlaywrightError:
                if attempt == 2:
                    raise
        self.scanned.append(url)
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING_IMPACTS:
                targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]][:5]
                self.violations.append(
                    f"{url}: [{violation['impact']}] {violation['id']}: {violation['help']} -> {targets}"
                )

    def _scan(self):
        # Colours are checked at rest: a message still fading in (Wagtail's admin) would be
        # measured half-transparent.
        self.page.evaluate(
            "document.getAnimations().forEach((a) => { try { a.finish(); } catch (e) {} })"
        )
        return self.axe.run(self.page, options=AXE_OPTIONS)


# Runs in every document before its own scripts: reports violations on the console, where
# the test's listener collects them (Chromium also logs its own message for each).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
    console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
        + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""


class CSPWatch:
    def __init__(self, page):
        self.violations = []
        page.add_init_script(CSP_LISTENER)
        page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if "CSP violation" in text or "Content Security Policy" in text:
            self.violations.append(f"{message.location.get('url', '')}: {text}")


class PageChecks:
    """What the journey's page showed: axe-core's violations and the CSP violations."""

    def __init__(self, audit, csp):
        self.audit, self.csp = audit, csp

    def problems(self):
        self.audit.scan_if_pending()  # the document loaded after the journey's last action
        problems = []
        if self.audit.violations:
            problems += ["Accessibility violations (WCAG 2.1 AA):", *self.audit.violations]
        if self.csp.violations:
            problems += ["Content-Security-Policy violations:", *self.csp.violations]
        return problems


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """The page checks fail the journey itself, right after its last step: a test failure,
    not an error while tearing down. The database teardown (the flush of a transactional test)
    then runs as after any failed test, so a journey that fails its checks leaves nothing to
    the next tests; and a journey with a known problem can be marked xfail."""
    result = yield
    checks = getattr(item.funcargs.get("page"), "page_checks", None)
    if checks is not None:
        problems = checks.problems()
        assert not problems, "\n".join(problems)
    return result


@pytest.fixture
def page(page, monkeypatch):
    """pytest-playwright's page; every document it loads is scanned with axe-core, and any
    Content-Security-Policy violation fails the test (``pytest_runtest_call`` above)."""
    audit = AccessibilityAudit(page)
    csp = CSPWatch(page)

    def audited(method):
        def action(self, *args, **kwargs):
            owner = self if isinstance(self, Page) else self.page
            if owner is audit.page:
                audit.scan_if_pending()
            return method(self, *args, **kwargs)

        return action

    for name in PAGE_ACTIONS:
        monkeypatch.setattr(Page, name, audited(getattr(Page, name)))
    for name in LOCATOR_ACTIONS:
        monkeypatch.setattr(Locator, name, audited(getattr(Locator, name)))
    page.set_default_timeout(10_000)
    page.accessibility_audit = audit
    page.page_checks = PageChecks(audit, csp)
    return page


@pytest.fixture
def screenshot():
    """Save a screenshot for the README when SCREENSHOTS_DIR is set (`make screenshots`)."""
    directory = os.environ.get("SCREENSHOTS_DIR")

    def take(page, name):
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)

    return take
