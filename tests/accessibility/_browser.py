"""Browser helpers for the accessibility tests: waiting for a page, axe-core, key presses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dash.testing.composite import DashComposite
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT = 60
# axe-core as shipped inside the pinned PyPI package axe-core-python (no network, no CDN).
AXE_SCRIPT = Path(__import__("axe_core_python").__file__).with_name("axe.min.js")
# The rules of WCAG 2.0/2.1 level A and AA, and axe's best practices (landmarks, one h1, ...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = ("serious", "critical")


def rendered(dash_duo: DashComposite) -> None:
    """Content is on the page and no callback is still running."""
    wait = WebDriverWait(dash_duo.driver, TIMEOUT)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#content > *")) > 0)
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']"))


def axe_violations(dash_duo: DashComposite) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now."""
    driver = dash_duo.driver
    driver.execute_script(AXE_SCRIPT.read_text(encoding="utf-8"))
    driver.set_script_timeout(TIMEOUT)
    options = json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        f"axe.run(document, {options}).then(function (r) {{ done(r.violations); }},"
        " function (e) { done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]); });")


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = "; ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                            for n in v["nodes"][:5])
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}) at {targets}")
    return "\n".join(lines)


def press(dash_duo: DashComposite, *keys: str) -> None:
    """Keys sent to whatever has the focus, as a keyboard would."""
    ActionChains(dash_duo.driver).send_keys(*keys).perform()


def focused(dash_duo: DashComposite) -> Any:
    return dash_duo.driver.switch_to.active_element


def focus_is_visible(dash_duo: DashComposite) -> bool:
    """The focused element draws an outline of at least 2 px (the stylesheet's :focus-visible)."""
    return dash_duo.driver.execute_script(
        "var s = getComputedStyle(document.activeElement);"
        "return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2")


def tab_to(dash_duo: DashComposite, css: str, *, back: bool = False, limit: int = 120) -> Any:
    """Press Tab (or Shift+Tab) until the element matching `css` has the focus; fails after `limit` presses.

    The element reached must show that it has the focus.
    """
    driver = dash_duo.driver
    for _ in range(limit):
        if driver.execute_script("return document.activeElement.matches(arguments[0])", css):
            assert focus_is_visible(dash_duo), f"{css} has the focus but shows no focus outline"
            return focused(dash_duo)
        if back:
            ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        else:
            press(dash_duo, Keys.TAB)
    raise AssertionError(f"{limit} presses of Tab did not reach {css}")
