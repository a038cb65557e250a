"""Child process of test_session_crash.py: records squats through SessionRecorder into a database and prints
`committed K` after each rep is committed, so the parent can SIGKILL it at a known point.

usage: crash_writer.py DB block N   -- stop in the middle of rep N + 1 and wait (forever) to be killed
       crash_writer.py DB run       -- record reps until killed
"""

from __future__ import annotations

import sys

from session_factories import SIGNAL, rep, squat_value, step

from fitness.session.recorder import SessionRecorder
from fitness.session.store import HistoryStore

FRAME_S = 0.1
FRAMES_PER_REP = 30


def main(db: str, mode: str, block_after: int | None) -> None:
    recorder = SessionRecorder("squats", source="crash-test", store=HistoryStore.open(db), signal=SIGNAL)
    print(f"session {recorder.session_id}", flush=True)
    t, k = 0.0, 0
    while True:
        k += 1
        start_t = t
        for _ in range(FRAMES_PER_REP):
            t += FRAME_S
            recorder.update(step(t, squat_value(t)))
        recorder.update(
            step(t, reps=[rep(k, start_t, t, counted=k % 4 != 0, issues=["chest_up"] if k % 3 == 0 else [])])
        )
        print(f"committed {k}", flush=True)
        if mode == "block" and k == block_after:
            for _ in range(FRAMES_PER_REP // 2):  # half of the next rep: the rep in progress the crash loses
                t += FRAME_S
                recorder.update(step(t, squat_value(t)))
            print("mid-rep", flush=True)
            sys.stdin.read()  # the parent never writes: wait here until SIGKILL


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else None)
