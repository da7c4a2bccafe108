"""The report in a real browser: headless Chromium through selenium and chromedriver.

Needs the Debian packages ``chromium`` and ``chromium-driver`` (CI installs them) and the
Python package ``selenium`` (test extras). Without them these tests FAIL with a message that
says how to install them; set ``TSG_SKIP_BROWSER_TESTS=1`` to skip them on purpose.

Screenshots (and a printed PDF) are saved under ``tests/artifacts/`` (or ``$TSG_TEST_ARTIFACTS``).
"""

import base64
import json
import os
import shutil
from pathlib import Path

import pytest
from report_helpers import (
    HOSTILE_BUILDING,
    HOSTILE_PARTNER,
    HOSTILE_PLAYER,
    hostile_district,
    make_run,
    write_decision_files,
    write_stage_files,
)

from tsg import run_layout as layout
from tsg.cli import main
from tsg.report import REPORT_FILE, write_report

pytestmark = pytest.mark.skipif(
    os.environ.get("TSG_SKIP_BROWSER_TESTS") == "1", reason="TSG_SKIP_BROWSER_TESTS=1"
)

INSTALL = (
    "install headless Chromium with 'apt-get update && apt-get install -y chromium "
    "chromium-driver' and selenium with 'pip install -e .[test]' (or set "
    "TSG_SKIP_BROWSER_TESTS=1 to skip the browser tests)"
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)
#: Replaces alert, confirm and prompt before any script of the page runs, to record calls.
ALERT_TRAP = (
    "window.__dialogs = [];"
    "['alert', 'confirm', 'prompt'].forEach(function (name) {"
    "  window[name] = function (message) { window.__dialogs.push(name + ':' + message); };"
    "});"
)
SECTIONS = ("summary", "demand", "network", "stakeholders", "barriers")
ARTIFACTS = Path(os.environ.get("TSG_TEST_ARTIFACTS", Path(__file__).parent / "artifacts"))


def _executables() -> tuple[str, str]:
    browser = next(
        (shutil.which(name) for name in ("chromium", "chromium-browser") if shutil.which(name)),
        None,
    )
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
    )
    if browser is None or driver is None:
        pytest.fail(f"chromium or chromedriver not found; {INSTALL}", pytrace=False)
    return browser, driver


@pytest.fixture(scope="module", autouse=True)
def executables():
    """Fail first (before any run is computed) when the browser or selenium is missing."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.fail(f"selenium is not installed; {INSTALL}", pytrace=False)
    return _executables()


@pytest.fixture
def browser(tmp_path, executables):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = executables
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.get("about:blank")  # leave the start page before the first report
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ALERT_TRAP})
        yield driver
    finally:
        driver.quit()


def open_report(driver, path: Path) -> dict:
    """Load the report; return console entries, requests and dialogs seen meanwhile."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("performance")  # drop what the browser did before (its start page)
    driver.get_log("browser")
    url = path.resolve().as_uri()
    driver.get(url)
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script(
            "return document.readyState === 'complete' && Array.prototype.every.call("
            "document.querySelectorAll('.chart'), function (c) {"
            " return c.querySelector('.main-svg') !== null; });"
        )
    )
    events = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    requests = [
        e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"
    ]
    return {
        "url": url,
        "console": driver.get_log("browser"),
        "requests": requests,
        "resources": driver.execute_script(
            "return performance.getEntriesByType('resource').map(function (e) { return e.name; });"
        ),
        "dialogs": driver.execute_script("return window.__dialogs;"),
    }


def save_screenshot(driver, name: str) -> Path:
    """Full-page screenshot under the artefact folder."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight;")
    driver.set_window_size(1280, min(int(height) + 40, 16000))
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return path


def assert_offline_and_clean(seen: dict) -> None:
    severe = [e for e in seen["console"] if e.get("level") == "SEVERE"]
    assert severe == [], severe
    # chrome:// pages are the browser's own (newer Chromium loads its new-tab page lazily)
    foreign = [
        u
        for u in seen["requests"]
        if u != seen["url"] and not u.startswith(("data:", "blob:", "chrome:"))
    ]
    assert foreign == [], foreign
    assert seen["url"] in seen["requests"]
    assert [r for r in seen["resources"] if not r.startswith(("data:", "blob:"))] == []
    assert seen["dialogs"] == []


@pytest.fixture(scope="module")
def reference_report(tmp_path_factory):
    run = make_run(tmp_path_factory.mktemp("browser-run"))
    return write_report(run)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser-hostile")
    run = make_run(folder / "run", hostile_district(folder))
    write_stage_files(run, hostile=True)
    return write_report(run)


def test_reference_report_in_headless_chromium(browser, reference_report, hvz):
    from selenium.webdriver.common.by import By

    assert reference_report.name == REPORT_FILE
    seen = open_report(browser, reference_report)
    assert_offline_and_clean(seen)
    for section in SECTIONS:
        assert browser.find_element(By.ID, section).is_displayed()
    table = browser.find_element(By.ID, "partner-table")
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == len(hvz.partners)
    for partner in hvz.partners:
        assert partner.name in table.text
    assert len(browser.find_elements(By.CSS_SELECTOR, ".chart .main-svg")) >= 3
    assert browser.find_element(By.CSS_SELECTOR, "#network svg").is_displayed()
    pdf = base64.b64decode(browser.print_page())
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report-reference.pdf").write_bytes(pdf)
    assert save_screenshot(browser, "report-reference").stat().st_size > 10_000


def test_hostile_names_show_as_text_in_headless_chromium(browser, hostile_report):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    seen = open_report(browser, hostile_report)
    assert_offline_and_clean(seen)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert  # noqa: B018 (property access raises when no dialog is open)
    assert HOSTILE_BUILDING in browser.find_element(By.ID, "building-table").text
    assert HOSTILE_PARTNER in browser.find_element(By.ID, "partner-table").text
    assert HOSTILE_PLAYER in browser.find_element(By.ID, "allocation-table").text
    assert browser.execute_script("return document.querySelectorAll('b, img').length;") == 0
    scripts = browser.execute_script("return document.scripts.length;")
    charts = browser.execute_script("return document.querySelectorAll('.chart').length;")
    assert scripts == charts + 2  # plotly.js, one call per chart, the print helper
    assert len(browser.find_elements(By.CSS_SELECTOR, "#network polyline")) > 0
    save_screenshot(browser, "report-hostile")


#: Largest report of the reference run [bytes].
MAX_REPORT_BYTES = 10_000_000
#: Window sizes the layout must fit (width, height) [px].
WINDOWS = ((1280, 800), (800, 600))
#: Tables wider than their section, and scroll containers that need scrolling.
OVERFLOW_SCRIPT = """
var found = [];
document.querySelectorAll('table').forEach(function (t) {
  var box = t.closest('section') || document.body;
  var style = getComputedStyle(box);
  var inner = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  if (t.offsetParent !== null && t.getBoundingClientRect().width > inner + 1) {
    found.push((t.id || t.className) + ' ' + Math.round(t.getBoundingClientRect().width)
      + ' > ' + Math.round(inner));
  }
});
document.querySelectorAll('.table-wrap').forEach(function (w) {
  if (w.offsetParent !== null && w.scrollWidth > w.clientWidth + 1) {
    found.push('scrolls: ' + (w.firstChild.id || w.firstChild.className));
  }
});
if (document.documentElement.scrollWidth > window.innerWidth) { found.push('page'); }
return found;
"""


@pytest.fixture(scope="module")
def decision_run(tmp_path_factory):
    run = make_run(tmp_path_factory.mktemp("browser-decision") / "run")
    write_stage_files(run)
    write_decision_files(run)
    return run


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_decision_page_first_and_tables_fit_the_window(browser, decision_run, tmp_path, lang):
    from selenium.webdriver.common.by import By

    run = tmp_path / "run"
    shutil.copytree(decision_run, run)
    report = write_report(run, lang=lang)
    heading = {"en": "Decision", "nl": "Besluit"}[lang]
    for width, height in WINDOWS:
        browser.set_window_size(width, height)
        seen = open_report(browser, report)
        assert_offline_and_clean(seen)
        assert browser.execute_script("return document.documentElement.lang;") == lang
        first = browser.find_element(By.CSS_SELECTOR, "main > section")
        assert first.get_attribute("id") == "decision"
        assert first.find_element(By.TAG_NAME, "h2").text == heading
        assert first.find_element(By.ID, "decision-partners").is_displayed()
        assert browser.execute_script(OVERFLOW_SCRIPT) == []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / f"report-decision-{lang}-{width}x{height}.png"))
    assert save_screenshot(browser, f"report-decision-{lang}-full").stat().st_size > 10_000


def test_reference_report_is_small(reference_report):
    assert reference_report.stat().st_size < MAX_REPORT_BYTES


#: Width of an A4 page [pt] (210 mm), with half a point for rounding.
A4_WIDTH_PT = 210 / 25.4 * 72 + 0.5


def test_report_command_prints_a_pdf(decision_run, tmp_path):
    from pypdf import PdfReader

    run = tmp_path / "run"
    shutil.copytree(decision_run, run)
    assert main(["report", str(run), "--pdf", "--lang", "nl"]) == 0
    pdf = layout.REPORT_PDF.under(run)
    assert pdf.read_bytes().startswith(b"%PDF")
    manifest = json.loads(layout.MANIFEST.under(run).read_text(encoding="utf-8"))
    assert layout.REPORT_PDF.relative in manifest["outputs"]
    reader = PdfReader(pdf)
    assert len(reader.pages) > 1
    widths = [float(page.mediabox.width) for page in reader.pages]
    assert max(widths) <= A4_WIDTH_PT, widths  # no page wider than A4
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Besluit" in first  # the decision page's title, in the report's language
    decision = first[first.index("Besluit") :]
    assert "Moet het net worden aangelegd?" in decision
    # the partner table of the decision page: a player's name with its Dutch-formatted cost
    district = json.loads(layout.DISTRICT.under(run).read_text(encoding="utf-8"))
    names = {p["id"]: p["name"] for p in district["partners"]}
    players = json.loads(layout.ALLOCATION_JSON.under(run).read_text(encoding="utf-8"))["players"]
    assert f"{names[players[0]]} " in decision, decision[:800]
    assert "240.000" in decision  # the first player's Shapley cost
