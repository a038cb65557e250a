"""How much of a fine pattern each swscale filter lets through when a 4K frame is reduced to the working size.

    python benchmarks/bench_scale_filters.py [--size 3840x2160] [--to 960x540]

A frame of the given size carries a sine grating (brightness only, horizontal or vertical) of a given frequency
in cycles per source pixel; it is reduced with each filter, and the printed figure is the grating's amplitude
after the reduction over its amplitude before (about 1.16 where nothing is lost: the gray output stretches the
video range 16-235 to 0-255). Gratings finer than the reduced frame can hold (half its pixel rate: 0.125 cycles
per pixel for a 4x reduction) should come out near 0: what does come out is aliasing, a false coarser pattern
(moire on fabric, floor tiles, hair). CPU time per frame of each filter inside a session is measured by
bench_decode.py (av_frame_area, av_frame_fastbil). Needs PyAV (the [video] extra).
"""

from __future__ import annotations

import argparse

import numpy as np

FILTERS = ("AREA", "BILINEAR", "FAST_BILINEAR", "POINT")
FREQUENCIES = (0.03, 0.06, 0.1, 0.16, 0.2, 0.3, 0.45)  # cycles per source pixel
AMPLITUDE = 60  # levels around mid-gray


def grating(av, width: int, height: int, cycles_per_px: float, across: bool):
    """A yuv420p frame with a sine grating in its brightness: varying along x (across) or along y."""
    n = width if across else height
    wave = (128 + AMPLITUDE * np.sin(2 * np.pi * cycles_per_px * np.arange(n))).astype(np.uint8)
    luma = np.broadcast_to(wave[None, :] if across else wave[:, None], (height, width))
    planes = np.concatenate([luma, np.full((height // 2, width), 128, np.uint8)])
    return av.VideoFrame.from_ndarray(np.ascontiguousarray(planes), format="yuv420p")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="3840x2160")
    ap.add_argument("--to", default="960x540")
    args = ap.parse_args()
    import av
    import av.video.reformatter

    width, height = map(int, args.size.split("x"))
    out_w, out_h = map(int, args.to.split("x"))
    reformatter = av.video.reformatter.VideoReformatter()
    print(f"amplitude after / before, {args.size} -> {args.to}; cycles per source pixel: "
          + " ".join(f"{f:5}" for f in FREQUENCIES))
    for name in FILTERS:
        for across in (True, False):
            gains = []
            for f in FREQUENCIES:
                small = reformatter.reformat(grating(av, width, height, f, across), width=out_w, height=out_h,
                                             format="gray", interpolation=name).to_ndarray().astype(np.float64)
                gains.append(small.std() * np.sqrt(2) / AMPLITUDE)
            print(f"{name:<14} {'along x' if across else 'along y'}  " + " ".join(f"{g:5.2f}" for g in gains))


if __name__ == "__main__":
    main()
