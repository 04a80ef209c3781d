"""Default settings. Every setting can be overridden with an environment variable
``PLEKKEN_<NAME>`` (read by :func:`plekken.create_app`)."""

from __future__ import annotations

import os

#: SQLAlchemy URL. ``None`` means a SQLite file in the instance folder.
#: PostGIS: ``postgresql+psycopg://user:password@host:5432/plekken``.
DATABASE_URL: str | None = None

#: Folder where ``plekken import-network`` keeps the walking network. ``None`` means the
#: instance folder.
NETWORK_FOLDER: str | None = None

#: Secret for sessions and form tokens. Unset (the default), a random key is generated once
#: and kept in the instance folder (``secret_key``). The app refuses the old published
#: development value ``dev-only-change-me``.
SECRET_KEY: str | None = None

#: Interface language by default ("nl" or "en"); people can switch with ?lang=.
DEFAULT_LANGUAGE = "nl"

#: Status of a newly added place: "pending" holds it for review by an opbouwwerker first
#: (its contributor sees it at once, marked "wacht op goedkeuring"); "published" shows it
#: to everyone at once.
NEW_PLACE_STATUS = "pending"

#: Limits per client address on adding places, as "N/period" separated by ";"
#: (for example "30/hour;300/day"); "off" disables all rate limits.
RATE_LIMITS = "60/hour;600/day"

#: Limits on adding places in a workshop, per client address and join code: sized for a
#: room of residents on one community-centre address (sixty people adding several places).
WORKSHOP_RATE_LIMITS = "600/hour;2000/day"

#: The address people reach this site on (for example "https://plekken.example.nl" or
#: "http://192.168.1.20:5000"), used in workshop join links and QR codes. Unset, the address
#: the request came in on is used.
PUBLIC_URL: str | None = None

#: Failed logins per client address before it is slowed down (its account waits too).
LOGIN_RATE_LIMIT = "5/15 minutes"

#: Where the rate limiter counts: "memory://" per process; with several server processes
#: use a shared store, for example "redis://localhost:6379".
RATELIMIT_STORAGE_URI = "memory://"

#: Other origins (scheme://host[:port]) whose pages may send writes, besides the app's own.
TRUSTED_ORIGINS: list[str] = []

#: Session cookies: HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
#: CSRF tokens of forms stay valid as long as the session (a workshop form may stay open).
WTF_CSRF_TIME_LIMIT = None

#: Base-map tiles. The first is the default layer; the map works without them.
TILE_LAYERS = [
    {
        "name": "PDOK BRT-Achtergrondkaart",
        "url": "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
        "attribution": "Kaartgegevens &copy; Kadaster",
        "max_zoom": 19,
    },
    {
        "name": "OpenStreetMap",
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "&copy; OpenStreetMap-bijdragers",
        "max_zoom": 19,
    },
]

#: Largest upload in bytes (symbol images).
MAX_CONTENT_LENGTH = 10 * 1024 * 1024

#: Side of the square PNG an uploaded symbol is fitted into, in pixels.
SYMBOL_SIZE = 256

#: How many analysis results (coverage, surface, gaps, summaries) each app keeps in memory.
ANALYSIS_CACHE_SIZE = 64

#: How many analyses the server computes at once, all worker processes together (one core
#: fewer than the machine has, at least one); another is a 429 with Retry-After (cached
#: answers are served regardless), so cheap requests never wait behind heavy ones.
HEAVY_ANALYSES = max(1, (os.cpu_count() or 2) - 1)
#: Seconds an analysis request waits for a free slot before it gets the 429 (a map page asks
#: for a few layers at once).
ANALYSIS_WAIT = 5.0

#: Bytes of encoded analysis answers each worker process keeps (a repeat costs milliseconds).
ANALYSIS_ANSWER_BYTES = 64 * 1024 * 1024

#: Seconds a 503 (database away) or 429 (too busy) asks the client to wait.
RETRY_AFTER = 30

#: Where people report an accessibility problem (an e-mail address or a web address), shown
#: on /toegankelijkheid. ``None`` asks them to tell the opbouwwerker of their gemeente.
ACCESSIBILITY_CONTACT: str | None = None
