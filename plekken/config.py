"""Default settings. Every setting can be overridden with an environment variable
``PLEKKEN_<NAME>`` (read by :func:`plekken.create_app`)."""

from __future__ import annotations

#: SQLAlchemy URL. ``None`` means a SQLite file in the instance folder.
#: PostGIS: ``postgresql+psycopg://user:password@host:5432/plekken``.
DATABASE_URL: str | None = None

#: Folder where ``plekken import-network`` keeps the walking network. ``None`` means the
#: instance folder.
NETWORK_FOLDER: str | None = None

#: Secret for sessions and form tokens. Set a long random value in production.
SECRET_KEY = "dev-only-change-me"

#: Interface language by default ("nl" or "en"); people can switch with ?lang=.
DEFAULT_LANGUAGE = "nl"

#: Status of a newly added place: "published" shows it at once,
#: "pending" holds it for review by an opbouwwerker first.
NEW_PLACE_STATUS = "published"

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
