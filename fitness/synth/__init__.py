"""The synthetic athlete: renders exercise videos with exact ground truth (reps, faults, keypoints).

    from fitness.synth import render_video, RenderSpec
    truth = render_video(RenderSpec(exercise="squats", reps=5, faults={2: ["chest_up"]}, partial=[4]), out="clip.mp4")
"""

from fitness.synth.render import RenderSpec, exercise_names, plan_clip, render_frames, render_video, truth_path

__all__ = ["RenderSpec", "exercise_names", "plan_clip", "render_frames", "render_video", "truth_path"]
