"""fitness: count repetitions and coach exercise form from a camera or video with MoveNet.

The package is laid out as the pipeline: capture -> pose -> smoothing -> geometry -> exercise ->
feedback / session. `fitness.pipeline` (with its parts in `fitness.run`) is the only one that knows every
stage.
"""

__version__ = "0.1.0"
