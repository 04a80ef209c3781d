"""Settings of the production server (gunicorn), read as ``gunicorn -c python:plekken.server``.

Sized for a workshop room full of phones on a small machine: a few worker processes, each
with threads, so that a slow phone upload never holds up the map of everyone else. Every
value can be changed with an environment variable:

============================  =====================  ==========================================
variable                      default                meaning
============================  =====================  ==========================================
``PLEKKEN_BIND``              ``127.0.0.1:5000``     address and port to listen on
``PLEKKEN_WORKERS``           CPU cores (2 to 4)     worker processes
``PLEKKEN_THREADS``           ``8``                  threads per worker
``PLEKKEN_TIMEOUT``           ``60``                 seconds before a stuck worker is restarted
============================  =====================  ==========================================
"""

from __future__ import annotations

import os

wsgi_app = "plekken:create_app()"
bind = os.environ.get("PLEKKEN_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("PLEKKEN_WORKERS", min(max(os.cpu_count() or 1, 2), 4)))
threads = int(os.environ.get("PLEKKEN_THREADS", 8))
worker_class = "gthread"
timeout = int(os.environ.get("PLEKKEN_TIMEOUT", 60))
graceful_timeout = 20
keepalive = 5
# Phones on a slow network send a form slowly; the body limit itself is MAX_CONTENT_LENGTH.
limit_request_line = 8190
accesslog = "-"
errorlog = "-"
