"""Several UIs driven as one (the terminal dashboard and the browser's live view)."""

from __future__ import annotations

from fitness.feedback.snapshot import SessionUI, Snapshot


class TeeUI:
    def __init__(self, *uis: SessionUI) -> None:
        self.uis = uis

    def start(self) -> None:
        for ui in self.uis:
            ui.start()

    def update(self, snapshot: Snapshot) -> None:
        for ui in self.uis:
            ui.update(snapshot)

    def stop(self) -> None:
        for ui in self.uis:
            ui.stop()
