"""Open a Home Assistant page in headless Chromium, wait for some texts, save a screenshot.

Why a real driver: Home Assistant's frontend is made of web components, so its text lives in
nested shadow roots and ``chromium --dump-dom`` shows none of it. Selenium runs a script in the
page that walks every shadow root and collects the text, until the expected texts show up.

Runs with ``.venv-dev``'s Python (Selenium is pinned there) and Debian's ``/usr/bin/chromium``
and ``/usr/bin/chromedriver`` (``scripts/install_browser``), so nothing is downloaded.

    .venv-dev/bin/python scripts/browser_check.py http://127.0.0.1:8123/config/integrations \
        --screenshot test-artifacts/page.png --expect "SwitchBot Automation"

Once the texts are there, it can act on the page as a user does and picture parts of it,
in the order given: ``--click SELECTOR`` clicks an element, ``--type SELECTOR=TEXT`` replaces
what a text field holds by ``TEXT`` as typed on the keyboard, then leaves the field, and
``--snap SELECTOR=PATH`` pictures an element at that point (a form filled, before it is
submitted). At the end, ``--element-screenshot SELECTOR=PATH`` saves a picture of one element.
A selector is CSS, and ``>>>`` steps into the shadow roots of the element matched so far, at
any depth: ``"hui-thermostat-card >>> #option-heat"`` is the first element with id
``option-heat`` inside the first thermostat card. A part may end with ``:text(WORDS)``: the
first element matching the rest of the part whose text contains ``WORDS``
(``"ha-md-menu-item:text(Add room)"``).

Prints one JSON object (final URL, title, texts found and missing, clicks not made, screenshot
paths); exits 0 when every expected text was found and every click made, 1 otherwise. The
browser logs in by itself on a ``scripts/develop`` instance (trusted network, single user).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
import json
from pathlib import Path
import sys
import tempfile
import time
from typing import Final

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.webelement import WebElement

CHROMIUM: Final = "/usr/bin/chromium"
CHROMEDRIVER: Final = "/usr/bin/chromedriver"
CHROMIUM_FLAGS: Final = (
    "--headless",
    "--no-sandbox",  # root in a container: the sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # This machine's network is closed: without these Chromium keeps dialling Google.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

# Collects the text of the whole page, shadow roots included, one text node per line (not
# the content of style and script elements, which web components carry in their shadow roots).
DEEP_TEXT_JS: Final = """
const skip = new Set(["STYLE", "SCRIPT", "NOSCRIPT", "TEMPLATE"]);
const out = [];
const walk = (node) => {
  if (node.shadowRoot) walk(node.shadowRoot);
  for (const child of node.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) {
      const text = child.textContent.trim();
      if (text) out.push(text);
    } else if (child.nodeType === Node.ELEMENT_NODE && !skip.has(child.tagName)) {
      walk(child);
    }
  }
};
walk(document.documentElement);
return out.join("\\n");
"""


# Finds the element a selector names (see the module docstring), or null.
DEEP_QUERY_JS: Final = r"""
const deepQuery = (root, selector) => {
  const found = root.querySelector(selector);
  if (found) return found;
  for (const element of root.querySelectorAll("*")) {
    if (element.shadowRoot) {
      const inner = deepQuery(element.shadowRoot, selector);
      if (inner) return inner;
    }
  }
  return null;
};
const deepQueryAll = (root, selector, out) => {
  out.push(...root.querySelectorAll(selector));
  for (const element of root.querySelectorAll("*")) {
    if (element.shadowRoot) deepQueryAll(element.shadowRoot, selector, out);
  }
  return out;
};
const withText = (root, selector, words) =>
  deepQueryAll(root, selector, []).find((element) => element.textContent.includes(words)) || null;
let scope = document;
let element = null;
for (const raw of arguments[0].split(">>>")) {
  const part = raw.trim();
  const text = part.match(/^(.*):text\((.*)\)$/);
  element = text ? withText(scope, text[1], text[2]) : deepQuery(scope, part);
  if (!element) return null;
  scope = element.shadowRoot || element;
}
return element;
"""
# Empties a text field as the user deleting its text would: the page hears an input event.
CLEAR_JS: Final = """
arguments[0].focus();
arguments[0].value = "";
arguments[0].dispatchEvent(new Event("input", {bubbles: true, composed: true}));
"""
CLICK_PAUSE: Final = 0.3
"""Seconds between two actions: the page re-renders what the previous one changed."""
CLICK: Final = "click"
TYPE: Final = "type"
SNAP: Final = "snap"


def find(driver: webdriver.Chrome, selector: str, timeout: float) -> WebElement | None:
    """Return the element ``selector`` names, waiting up to ``timeout`` s for it to appear."""
    deadline = time.monotonic() + timeout
    while True:
        element = driver.execute_script(DEEP_QUERY_JS, selector)
        if element is not None or time.monotonic() > deadline:
            return element  # type: ignore[no-any-return]
        time.sleep(0.2)


def act(driver: webdriver.Chrome, element: WebElement, kind: str, value: str) -> None:
    """Click ``element``, type ``value`` into it (replacing its text), or picture it."""
    if kind == CLICK:
        driver.execute_script("arguments[0].click();", element)
    elif kind == TYPE:
        driver.execute_script(CLEAR_JS, element)
        element.send_keys(value)
        driver.execute_script("arguments[0].blur();", element)  # leave it: a change event
    else:
        Path(value).parent.mkdir(parents=True, exist_ok=True)
        driver.execute_script("arguments[0].scrollIntoView();", element)
        element.screenshot(value)


def open_browser(width: int, height: int, profile: str) -> webdriver.Chrome:
    """Start headless Chromium through Debian's chromedriver, with a fresh profile."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    return driver


def check_page(
    url: str,
    expected: list[str],
    screenshot: Path,
    *,
    timeout: float = 60,
    width: int = 1280,
    height: int = 1400,
    clicks: Sequence[str] = (),
    actions: Sequence[tuple[str, str]] = (),
    element_screenshots: Mapping[str, Path] | None = None,
    settle: float = 1,
) -> dict[str, object]:
    """Load ``url``, wait up to ``timeout`` s until every text of ``expected`` is on the page.

    Then click ``clicks``, then do ``actions`` (kind, argument: ``click`` a selector,
    ``type`` or ``snap`` a ``SELECTOR=VALUE``) in order, each element waited for up to
    ``timeout`` s (the first missing one stops them), wait ``settle`` s, and picture the
    elements of ``element_screenshots`` (selector: path). The page's screenshot is taken in
    every case, so a failure shows what the page looked like.
    """
    steps = [(CLICK, selector) for selector in clicks] + list(actions)
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        driver = open_browser(width, height, profile)
        try:
            driver.get(url)
            deadline = time.monotonic() + timeout
            text = ""
            while True:
                try:
                    text = str(driver.execute_script(DEEP_TEXT_JS))
                except WebDriverException:
                    text = ""  # navigating (the login redirect): try again
                missing = [item for item in expected if item not in text]
                if not missing or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            not_done = [] if not missing else steps
            for index, (kind, argument) in enumerate(steps if not missing else ()):
                selector, _, value = argument.rpartition("=") if kind != CLICK else (argument,) * 3
                element = find(driver, selector, timeout)
                if element is None:
                    not_done = steps[index:]
                    break
                act(driver, element, kind, value)
                time.sleep(CLICK_PAUSE)
            not_clicked = [
                argument if kind == CLICK else f"{kind} {argument}" for kind, argument in not_done
            ]
            time.sleep(settle)  # let the last cards finish rendering for the picture
            driver.save_screenshot(str(screenshot))
            final_text = str(driver.execute_script(DEEP_TEXT_JS))
            pictures: dict[str, str | None] = {}
            for selector, path in (element_screenshots or {}).items():
                element = find(driver, selector, timeout)
                if element is not None:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    driver.execute_script("arguments[0].scrollIntoView();", element)
                    element.screenshot(str(path))
                pictures[selector] = None if element is None else str(path)
            return {
                "url": driver.current_url,
                "title": driver.title,
                "found": [item for item in expected if item in text],
                "missing": missing,
                "not_clicked": not_clicked,
                "screenshot": str(screenshot),
                "element_screenshots": pictures,
                "text": text,
                "final_text": final_text,
            }
        finally:
            driver.quit()


class _Step(argparse.Action):
    """Append ``(kind, argument)`` to the shared list of actions, kind from the option."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        steps = [*getattr(namespace, self.dest), (str(option_string).removeprefix("--"), values)]
        setattr(namespace, self.dest, steps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--screenshot", type=Path, required=True)
    parser.add_argument("--expect", action="append", default=[], help="text that must appear")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1400)
    parser.add_argument(
        "--print-text",
        action="store_true",
        help="include the page's text, when the texts were found and after the actions",
    )
    for kind, metavar, what in (
        (CLICK, "SELECTOR", "an element to click"),
        (TYPE, "SELECTOR=TEXT", "a text field and the text to type into it"),
        (SNAP, "SELECTOR=PATH", "an element to picture at that point"),
    ):
        parser.add_argument(
            f"--{kind}",
            action=_Step,
            dest="actions",
            default=[],
            metavar=metavar,
            help=f"{what}; the actions are done in order",
        )
    parser.add_argument(
        "--element-screenshot",
        action="append",
        default=[],
        metavar="SELECTOR=PATH",
        help="save a picture of the element the selector names",
    )
    parser.add_argument("--settle", type=float, default=1, help="seconds before the pictures")
    args = parser.parse_args(argv)
    pictures = dict(item.rsplit("=", 1) for item in args.element_screenshot)
    result = check_page(
        args.url,
        args.expect,
        args.screenshot,
        timeout=args.timeout,
        width=args.width,
        height=args.height,
        actions=args.actions,
        element_screenshots={selector: Path(path) for selector, path in pictures.items()},
        settle=args.settle,
    )
    if not args.print_text:
        result.pop("text")
        result.pop("final_text")
    print(json.dumps(result, indent=2))
    return 0 if not (result["missing"] or result["not_clicked"]) else 1


if __name__ == "__main__":
    sys.exit(main())
