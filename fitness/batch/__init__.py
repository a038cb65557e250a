"""`fitness analyze`: the `fitness run` pipeline over many videos, in worker processes or on a Ray cluster.

The parts: which videos and exercises (`inputs`), one video in a worker (`worker`), the append-only results
file and its resume keys (`results`), worker processes on this machine (`local`), Ray tasks (`cluster`), the
progress display (`progress`), summary.csv and results.parquet (`aggregate`) and the whole run (`batch`).
"""
