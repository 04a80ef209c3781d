"""Small factories for tests: a toy gemeente with one wijk of two buurten."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiPolygon, box

#: Two buurten side by side (west, east) forming one wijk, near Nijmegen.
WEST = box(5.80, 51.80, 5.82, 51.82)
EAST = box(5.82, 51.80, 5.84, 51.82)
WIJK = box(5.80, 51.80, 5.84, 51.82)


def toy_areas() -> gpd.GeoDataFrame:
    rows = [
        ("WK099901", "Testwijk", "wijk", "GM0999", 2000, WIJK),
        ("BU09990101", "West", "buurt", "WK099901", 1200, WEST),
        ("BU09990102", "Oost", "buurt", "WK099901", None, EAST),
    ]
    frame = pd.DataFrame(
        {
            "code": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "level": [r[2] for r in rows],
            "parent_code": [r[3] for r in rows],
            "gemeente_code": "GM0999",
            "gemeente_name": "Testgemeente",
            "inhabitants": pd.array([r[4] for r in rows], dtype="Int64"),
            "land_area_m2": float("nan"),
            "water_area_m2": float("nan"),
            "is_water": False,
        }
    )
    return gpd.GeoDataFrame(frame, geometry=[MultiPolygon([r[5]]) for r in rows], crs=4326)


def place_data(**overrides) -> dict:
    data = {
        "lon": 5.81,
        "lat": 51.81,
        "name": "Bankje bij de vijver",
        "quote": "Hier zit altijd iemand.",
        "story": "Iedereen groet elkaar.",
        "function_types": ["verbindend"],
        "symbol_icon": "bankje",
        "consent": True,
    }
    data.update(overrides)
    return data


def csrf_token(client, path: str = "/wijk/WK099901") -> str:
    """The CSRF token of the form on page ``path`` (the session cookie stays in ``client``)."""
    import re

    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


PASSWORD = "een lang genoeg wachtwoord"


def make_user(app, email: str, role: str, gemeenten=()) -> str:
    """Add an account and return a personal API token of it."""
    from plekken.db import get_session
    from plekken.services.accounts import create_token, create_user

    with app.app_context():
        session = get_session()
        create_user(session, email, PASSWORD, role, gemeenten)
        return create_token(session, email)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def login(client, email: str, password: str = PASSWORD):
    """Log ``client`` in through the login form."""
    token = csrf_token(client, "/inloggen")
    return client.post(
        "/inloggen", data={"email": email, "password": password, "csrf_token": token}
    )
