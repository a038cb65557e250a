"""The synthetic athlete: renders exercise videos with exact ground truth (reps, faults, keypoints).

    from fitness.synth import render_video, RenderSpec
    truth = render_video(RenderSpec(exercise="squats", reps=5, faults={2: ["chest_up"]}, partial=[4]), out="clip.mp4")
    truth = render_motion(WorkoutSpec(blocks=parse_sequence("squats:5,push_ups:8x2"), seed=3), out="workout.mp4")
    truth = render_motion(WorkoutSpec(activity="walking", seconds=12, seed=3), out="walking.mp4")
"""

from fitness.synth.render import RenderSpec, exercise_names, plan_clip, render_frames, render_video, truth_path
from fitness.synth.workout import WorkoutSpec, parse_sequence, plan_motion, render_motion
from fitness.synth.workout_score import score_workout

__all__ = ["RenderSpec", "WorkoutSpec", "exercise_names", "parse_sequence", "plan_clip", "plan_motion", "render_frames",
           "render_motion", "render_video", "score_workout", "truth_path"]
