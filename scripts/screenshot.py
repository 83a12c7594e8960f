"""Screenshot of a rendered report for the README, with the tests' own headless Chromium.

python scripts/screenshot.py reports/2024/jaarverslag-klachten-2024.html docs/rapport-2024.png
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser import screenshot  # noqa: E402  (tests/browser.py: Chromium + playwright set-up)

if __name__ == "__main__":
    print(screenshot(sys.argv[1], sys.argv[2], width=1000, height=1500))
