"""The parts of one session, put together by `fitness.pipeline`: config, stages and their wiring, the loop,
how a session ended, whom it follows, the drawn side, Ctrl-C and SIGTERM, the window and video file, the
speed meter."""
