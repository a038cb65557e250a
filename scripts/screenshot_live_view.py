"""Screenshots of the live view for docs/: `fitness run` on the sample squat video at its own speed with
`--serve`, photographed by the system's headless Chromium (Playwright) in landscape and portrait once the
second rep is counted.

    python scripts/screenshot_live_view.py [--chromium /usr/bin/chromium] [--out docs/img]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
VIEWS = {"landscape": (1280, 720), "portrait": (390, 844)}
REPS_SHOWN = 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"))
    parser.add_argument("--video", default=str(ROOT / "sample_videos" / "squats_side.mp4"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "fitness", "run", "squats", "--video", args.video, "--realtime", "--no-window",
           "--no-history", "--serve", "127.0.0.1:0"]
    run = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        url = None
        for line in run.stdout:
            if m := re.search(r"live view at (\S+)", line):
                url = m.group(1)
                break
        if url is None:
            raise SystemExit("fitness run printed no live view URL")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, headless=True, args=["--no-sandbox"])
            pages = {}
            for name, (w, h) in VIEWS.items():
                pages[name] = browser.new_context(viewport={"width": w, "height": h}).new_page()
                pages[name].goto(url, wait_until="domcontentloaded")
            first = next(iter(pages.values()))
            first.wait_for_function(f"Number(document.getElementById('reps').textContent) >= {REPS_SHOWN}",
                                    timeout=120_000)
            for name, page in pages.items():
                page.wait_for_function("document.getElementById('stream').naturalWidth > 0", timeout=30_000)
                path = out / f"live_view_{name}.png"
                page.screenshot(path=str(path))
                print(f"wrote {path}")
            browser.close()
    finally:
        run.terminate()
        run.wait(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
