"""Regenerates sample_videos/ (the clips the README quick start and the tests use), deterministically.

    python scripts/make_samples.py            # writes sample_videos/*.mp4 and *.truth.json
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fitness.synth import RenderSpec, render_video  # noqa: E402

# name -> spec. Seeds are fixed so the files only change when the renderer does.
SAMPLES: dict[str, RenderSpec] = {
    "squats_side": RenderSpec("squats", reps=6, view="side", seed=101, partial=[4], noise_std=0.0),
    "push_ups_side": RenderSpec("push_ups", reps=5, view="side", seed=102, noise_std=0.0),
    "bicep_curls_side": RenderSpec("bicep_curls", reps=6, view="side", seed=103, noise_std=0.0),
}
MAX_BYTES = 2_000_000


def main(out_dir: Path = ROOT / "sample_videos") -> int:
    for name, spec in SAMPLES.items():
        out = out_dir / f"{name}.mp4"
        truth = render_video(spec, out)
        size = out.stat().st_size
        print(
            f"{out.relative_to(ROOT)}: {truth['frames']} frames, {truth['reps']} reps, "
            f"{truth['no_reps']} partial, {size / 1e6:.2f} MB"
        )
        if size > MAX_BYTES:
            print(
                f"  too big: keep samples under {MAX_BYTES / 1e6:.0f} MB (fewer reps or a smaller size)",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
