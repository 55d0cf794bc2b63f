"""Screenshots of every page for a reviewer, in headless Chromium (output: screenshots/, git-ignored).

At 1920×1080 and 1280×720 (`<page>_<lang>_<width>x<height>.png`), the first chart's table view open
(`<page>_<lang>_table_1920x1080.png`), and the print view: each page
printed by Chromium to PDF as the browser's Print does (`print/<page>_<lang>.pdf`, A4 landscape
from the print stylesheet), its pages as images (`<page>_<lang>_print-<n>.png`, via pdftoppm).

    .venv/bin/python -m reach.screenshots --home warehouse [--out screenshots] [--lang cs|en]
        [--page overview --page reach] [--full-page] [--no-print]

The browser signs in as the admin account `screenshots`, given a new random password on each run
(so it sees every page; the creation or reset is in the audit log).
"""

from __future__ import annotations

import argparse
import base64
import secrets
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from waitress.server import create_server

from dashboard.components import TABLES_SHOWN_JS
from dashboard.state.pages import PAGES
from dashboard.state.url import path_of
from pipelines import audit
from pipelines.access import AccountStore
from pipelines.home import Home
from reach.dashboard import create_dashboard

CHROMIUM = "/usr/bin/chromium"
SIZES = ((1920, 1080), (1280, 720))
PRINT_DPI = 60  # enough to read the printed page in a review, small enough to keep


def browser(width: int = SIZES[0][0], height: int = SIZES[0][1]) -> webdriver.Chrome:
    options = Options()
    if Path(CHROMIUM).exists():
        options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", f"--window-size={width},{height}",
                 "--hide-scrollbars"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options)
    viewport(driver, width, height)
    return driver


def viewport(driver: webdriver.Chrome, width: int, height: int) -> None:
    """The window size includes browser chrome; the viewport is what the screenshot shows."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def wait_until_rendered(driver: webdriver.Chrome, timeout: float = 60) -> None:
    """Content is drawn: the page has content and no callback is still loading."""
    WebDriverWait(driver, timeout).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#content > *")) > 0)
    WebDriverWait(driver, timeout).until(
        lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']"))
    time.sleep(1.0)  # Plotly lays the charts out after the callback returns


def print_view(driver: webdriver.Chrome, pdf: Path, dpi: int = PRINT_DPI) -> list[Path]:
    """The page as the browser prints it: Chromium's PDF (print media, the stylesheet's @page), then images."""
    driver.set_script_timeout(60)
    driver.execute_async_script("var done = arguments[arguments.length - 1];"
                                "window.reachPrint.prepare().then(function () { done(); });")
    try:
        printed = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    finally:
        driver.execute_async_script("var done = arguments[arguments.length - 1];"
                                    "window.reachPrint.restore().then(function () { done(); });")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(base64.b64decode(printed["data"]))
    stem = pdf.parent.parent / f"{pdf.stem}_print"
    for old in stem.parent.glob(f"{stem.name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(stem)], check=True)
    return sorted(stem.parent.glob(f"{stem.name}-*.png"))


def table_view(driver: webdriver.Chrome, path: Path) -> list[Path]:
    """The page's first chart with its table view open, scrolled into view (none on a page without charts)."""
    opened = driver.execute_script(
        "var view = document.querySelector('details.chart-table');"
        "if (!view) { return false; } view.open = true;"
        "view.closest('.chart-card').scrollIntoView(); return true;")
    if not opened:
        return []
    # The table is sent when its view is opened (assets/a11y.js): wait for it, then for the layout.
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(TABLES_SHOWN_JS))
    time.sleep(0.3)
    driver.save_screenshot(str(path))
    driver.execute_script("document.querySelector('details.chart-table').open = false; window.scrollTo(0, 0);")
    return [path]


SCREENSHOT_ACCOUNT = "screenshots"


def screenshot_account(home: Home) -> str:
    """The admin account the browser signs in with, with a new random password: -> the password."""
    store, password = AccountStore(home), secrets.token_urlsafe(16)
    action = "user.reset" if store.get(SCREENSHOT_ACCOUNT) else "user.add"

    def audited(account) -> None:
        audit.record(home, audit.cli_actor(), action, f"user {account.name}", "role admin; screenshots")

    if action == "user.add":
        store.add(SCREENSHOT_ACCOUNT, "admin", password, before_write=audited)
    else:
        store.reset(SCREENSHOT_ACCOUNT, password, role="admin", centres=(), districts=(), before_write=audited)
    return password


def sign_in(driver: webdriver.Chrome, base_url: str, name: str, password: str) -> None:
    """Through the sign-in form, as a person would."""
    driver.get(f"{base_url}/sign-in")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "sign-in-submit").click()
    WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.ID, "react-entry-point"))


def take(home: Home, out: Path, lang: str, *, full_page: bool = False, pages: Sequence[str] = PAGES,
         sizes: Sequence[tuple[int, int]] = SIZES, printed: bool = True) -> list[Path]:
    app = create_dashboard(home)
    server = create_server(app.server, host="127.0.0.1", port=0, threads=4)
    port = server.effective_port  # type: ignore[union-attr]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    driver = browser(*sizes[0])
    try:
        sign_in(driver, f"http://127.0.0.1:{port}", SCREENSHOT_ACCOUNT, screenshot_account(home))
        for width, height in sizes:
            viewport(driver, width, height)
            for page in pages:
                suffix = "" if lang == "cs" else f"?lang={lang}"
                driver.get(f"http://127.0.0.1:{port}{path_of(page)}{suffix}")
                wait_until_rendered(driver)
                if full_page:
                    full = int(driver.execute_script("return document.body.scrollHeight"))
                    viewport(driver, width, max(height, full))
                    time.sleep(0.5)
                path = out / f"{page}_{lang}_{width}x{height}.png"
                driver.save_screenshot(str(path))
                viewport(driver, width, height)
                written.append(path)
                if (width, height) == tuple(sizes[0]):
                    written += table_view(driver, out / f"{page}_{lang}_table_{width}x{height}.png")
                    if printed:
                        written += print_view(driver, out / "print" / f"{page}_{lang}.pdf")
    finally:
        driver.quit()
        server.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", default=None, help="warehouse home (default: REACH_HOME or ./warehouse)")
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--lang", choices=("cs", "en"), default="cs")
    parser.add_argument("--page", action="append", choices=PAGES, help="only this page (repeatable)")
    parser.add_argument("--full-page", action="store_true", help="capture the whole page height")
    parser.add_argument("--no-print", action="store_true", help="skip the print view")
    args = parser.parse_args()
    for path in take(Home.resolve(args.home), Path(args.out), args.lang, full_page=args.full_page,
                     pages=args.page or PAGES, printed=not args.no_print):
        print(path)


if __name__ == "__main__":
    main()
