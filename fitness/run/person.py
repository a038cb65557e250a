"""Whom a session follows when the model sees several people, and what it tells the user about it."""

from __future__ import annotations

from collections.abc import Sequence

from fitness.pose.tracking import select_person
from fitness.pose.types import Pose


def choose_person(
    poses: Sequence[Pose], person: str, frame_size: tuple[int, int], previous: Pose | None = None
) -> Pose | None:
    """The pose to follow among several: the same track as before while it is still there (so a second
    person walking by does not steal the session), else `select_person`'s choice by `person`:
    "largest", "center" or a track id number."""
    if not person.isdigit() and previous is not None and previous.track_id is not None:
        same = next((p for p in poses if p.track_id == previous.track_id), None)
        if same is not None:
            return same
    return select_person(poses, person, frame_size)


def no_person_message(frames: int) -> str:
    return (
        f"no person was detected in any of the {frames} frames: make sure the whole body is in view and well lit "
        "(or check --rotate for a sideways video)"
    )


class PersonFollower:
    """Follows one person (`--person`: "largest", "center" or a track id) through the frames, and keeps what
    the notes need: the track ids seen and how many frames had more than one person in view."""

    def __init__(self, person: str) -> None:
        self.person = person
        self.followed: Pose | None = None
        self.ids_seen: set[int] = set()
        self.crowded_frames = 0

    @property
    def words(self) -> str:
        """The followed person in words: "largest one", "person with id 2"."""
        return f"person with id {self.person}" if self.person.isdigit() else f"{self.person} one"

    def follow(self, poses: Sequence[Pose], frame_size: tuple[int, int]) -> Pose | None:
        """The pose of the followed person among this frame's `poses` (None when not among them)."""
        self.ids_seen.update(p.track_id for p in poses if p.track_id is not None)
        self.followed = choose_person(poses, self.person, frame_size, self.followed)
        return self.followed

    def notice(self, people: int, following: bool) -> str | None:
        """What to show with a frame of `people` people (None for one or nobody); counts crowded frames."""
        if people <= 1:
            return None
        self.crowded_frames += 1
        return f"{people} people in view: {'following' if following else 'not seeing'} the {self.words}"

    def nobody_message(self, frames: int) -> str:
        """Why nobody was followed in any of `frames` frames: nobody detected, or never the asked-for id."""
        if self.person.isdigit() and self.ids_seen:
            seen = ", ".join(str(i) for i in sorted(self.ids_seen))
            return (f"no person with id {self.person} was seen in any of the {frames} frames (ids seen: {seen}); "
                    "pick one of those with --person, or use --person largest")
        return no_person_message(frames)

    def crowd_note(self) -> str | None:
        """The end-of-session note when more than one person was in view at times."""
        if not self.crowded_frames:
            return None
        return f"more than one person was in view in {self.crowded_frames} frames; followed the {self.words}"
