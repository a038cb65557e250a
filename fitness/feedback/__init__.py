"""What the user sees: the on-frame overlay (laid out in overlay.py, drawn by canvas.py, the only OpenCV drawing,
with patches.py for texts drawn once) and the terminal dashboard (the only rich UI).

Both read `Snapshot`s and never change the session.
"""

from fitness.feedback.snapshot import Snapshot

__all__ = ["Snapshot"]
