"""Open a Home Assistant page in headless Chromium, wait for some texts, save a screenshot.

Why a real driver: Home Assistant's frontend is made of web components, so its text lives in
nested shadow roots and ``chromium --dump-dom`` shows none of it. Selenium runs a script in the
page that walks every shadow root and collects the text, until the expected texts show up.

Runs with ``.venv-dev``'s Python (Selenium is pinned there) and Debian's ``/usr/bin/chromium``
and ``/usr/bin/chromedriver`` (``scripts/install_browser``), so nothing is downloaded.

    .venv-dev/bin/python scripts/browser_check.py http://127.0.0.1:8123/config/integrations \
        --screenshot test-artifacts/page.png --expect "SwitchBot Automation"

Prints one JSON object (final URL, title, texts found and missing, screenshot path); exits 0
when every expected text was found, 1 otherwise. The browser logs in by itself on a
``scripts/develop`` instance (trusted network, single user).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
import sys
import tempfile
import time
from typing import Final

from selenium import webdriver
from selenium.common.exceptions import WebDriverException

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
) -> dict[str, object]:
    """Load ``url``, wait up to ``timeout`` s until every text of ``expected`` is on the page.

    The screenshot is taken in every case, so a failure shows what the page looked like.
    """
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
            time.sleep(1)  # let the last cards finish rendering for the picture
            driver.save_screenshot(str(screenshot))
            return {
                "url": driver.current_url,
                "title": driver.title,
                "found": [item for item in expected if item in text],
                "missing": missing,
                "screenshot": str(screenshot),
                "text": text,
            }
        finally:
            driver.quit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--screenshot", type=Path, required=True)
    parser.add_argument("--expect", action="append", default=[], help="text that must appear")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1400)
    parser.add_argument("--print-text", action="store_true", help="include the page's text")
    args = parser.parse_args(argv)
    result = check_page(
        args.url,
        args.expect,
        args.screenshot,
        timeout=args.timeout,
        width=args.width,
        height=args.height,
    )
    if not args.print_text:
        result.pop("text")
    print(json.dumps(result, indent=2))
    return 0 if not result["missing"] else 1


if __name__ == "__main__":
    sys.exit(main())
