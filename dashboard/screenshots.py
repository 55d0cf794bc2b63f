"""Screenshots of every page at 1920×1080 in headless Chromium (output: screenshots/, git-ignored).

    .venv/bin/python -m dashboard.screenshots --home warehouse [--out screenshots] [--lang cs|en]
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from waitress.server import create_server

from dashboard.app import create_app
from dashboard.state.url import PAGES, path_of
from pipelines.home import Home

CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1920, 1080


def browser() -> webdriver.Chrome:
    options = Options()
    if Path(CHROMIUM).exists():
        options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", f"--window-size={WIDTH},{HEIGHT}",
                 "--hide-scrollbars"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options)
    # The window size includes browser chrome; the viewport is what the screenshot shows.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
    return driver


def wait_until_rendered(driver: webdriver.Chrome, timeout: float = 60) -> None:
    """Content is drawn: the page has content and no callback is still loading."""
    WebDriverWait(driver, timeout).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#content > *")) > 0)
    WebDriverWait(driver, timeout).until(
        lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']"))
    time.sleep(1.0)  # Plotly finishes its transitions after the callback returns


def take(home: Home, out: Path, lang: str, *, full_page: bool = False) -> list[Path]:
    app = create_app(home)
    server = create_server(app.server, host="127.0.0.1", port=0, threads=4)
    port = server.effective_port  # type: ignore[union-attr]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    driver = browser()
    try:
        for page in PAGES:
            suffix = "" if lang == "cs" else f"?lang={lang}"
            driver.get(f"http://127.0.0.1:{port}{path_of(page)}{suffix}")
            wait_until_rendered(driver)
            if full_page:
                height = int(driver.execute_script("return document.body.scrollHeight"))
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                    "width": WIDTH, "height": max(HEIGHT, height), "deviceScaleFactor": 1, "mobile": False})
                time.sleep(0.5)
            path = out / f"{page}_{lang}.png"
            driver.save_screenshot(str(path))
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
            written.append(path)
    finally:
        driver.quit()
        server.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", default=None, help="warehouse home (default: REACH_HOME or ./warehouse)")
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--lang", choices=("cs", "en"), default="cs")
    parser.add_argument("--full-page", action="store_true", help="capture the whole page height")
    args = parser.parse_args()
    for path in take(Home.resolve(args.home), Path(args.out), args.lang, full_page=args.full_page):
        print(path)


if __name__ == "__main__":
    main()
