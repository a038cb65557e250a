"""The live view in a browser (`fitness run --serve`): the annotated video as MJPEG and a big-number dashboard,
served by uvicorn + starlette from a background thread (the optional extra `[web]`).

`hub` takes the annotated frames and the latest snapshot from the session (JPEG-encoded once, shared by every
viewer), `state` turns a snapshot into the page's JSON, `access` is the per-run token beyond loopback, `app`
the routes, `server` runs it and prints the URL with its QR code.
"""
