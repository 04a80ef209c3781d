"""Small factories for tests: a toy gemeente with one wijk of two buurten, and many places
spread over real-looking buurten."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import MultiPolygon, Point, box

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


SYMBOLS = ("bankje", "boom", "koffie", "bal", "boek", "huis", "winkelmand", "muziek",
           "schommel", "hart", "bloem", "fiets")  # fmt: skip
NAMES = ("Bankje", "Speeltuin", "Buurthuis", "Bakker", "Moestuin", "Pleintje", "Bieb",
         "Kerk", "Sportveld", "Vijver", "Markt", "Schoolplein")  # fmt: skip
QUOTES = ("Hier kom je elkaar vanzelf tegen.", "Mijn kinderen spelen hier elke dag.",
          "Even uit de drukte.", "Iedereen groet elkaar hier.", "")  # fmt: skip


def spread_places(
    buurten: gpd.GeoDataFrame, n: int, *, seed: int = 15, repeats: float = 0.1
) -> gpd.GeoDataFrame:
    """``n`` places spread over ``buurten`` the way residents pin them.

    Most lie around a few busy spots per buurt (a square, a school, a park; normally
    distributed, 70 m spread), a quarter anywhere on the buurt's land, and a share
    ``repeats`` is a place somebody else pinned already, again within a few metres, with
    another symbol and quote. Returns name, quote, function_types, symbol_icon and the
    gemeente, wijk and buurt codes, in EPSG:4326.
    """
    rng = np.random.default_rng(seed)
    land = buurten.to_crs(28992).reset_index(drop=True)
    share = land.area / land.area.sum()
    per_buurt = rng.multinomial(n, share.to_numpy())
    points, rows = [], []
    for index, wanted in enumerate(np.cumsum(per_buurt)):
        shape = land.geometry.iloc[index]
        spots = _random_points(shape, max(2, int(shape.area / 150_000)), rng)
        while len(points) < wanted:
            if points and rng.random() < repeats:
                x, y = points[rng.integers(len(points))]
                candidate = (x + rng.normal(0, 2), y + rng.normal(0, 2))
            elif rng.random() < 0.75:
                x, y = spots[rng.integers(len(spots))]
                candidate = (x + rng.normal(0, 70), y + rng.normal(0, 70))
            else:
                candidate = _random_points(shape, 1, rng)[0]
            if shape.contains(Point(candidate)):
                points.append(candidate)
                rows.append(land.iloc[index])
    k = len(points)
    types = rng.random((k, 3)) < 0.4
    types[~types.any(axis=1), 1] = True  # every place has at least one type
    keys = np.array(["functioneel", "verbindend", "ideologisch"])
    frame = pd.DataFrame(
        {
            "name": [f"{NAMES[i % len(NAMES)]} {i + 1}" for i in range(k)],
            "quote": [QUOTES[i] for i in rng.integers(0, len(QUOTES), k)],
            "function_types": [list(keys[row]) for row in types],
            "symbol_icon": [SYMBOLS[i] for i in rng.integers(0, len(SYMBOLS), k)],
            "gemeente_code": [row["gemeente_code"] for row in rows],
            "wijk_code": [row["parent_code"] for row in rows],
            "buurt_code": [row["code"] for row in rows],
        }
    )
    geometry = gpd.points_from_xy([p[0] for p in points], [p[1] for p in points], crs=28992)
    return gpd.GeoDataFrame(frame, geometry=geometry).to_crs(4326)


def _random_points(shape, count: int, rng) -> list[tuple[float, float]]:
    """``count`` points drawn uniformly inside ``shape`` (rejection sampling)."""
    minx, miny, maxx, maxy = shape.bounds
    found: list[tuple[float, float]] = []
    while len(found) < count:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shape.contains(Point(x, y)):
            found.append((x, y))
    return found


def insert_places(session, frame: gpd.GeoDataFrame, status: str = "published") -> None:
    """Store the places of :func:`spread_places` at once (committed)."""
    from plekken.storage.models import Place

    for row in frame.itertuples(index=False):
        place = Place(
            name=row.name, quote=row.quote, geom=row.geometry, symbol_icon=row.symbol_icon,
            gemeente_code=row.gemeente_code, wijk_code=row.wijk_code,
            buurt_code=row.buurt_code, status=status,
        )  # fmt: skip
        place.function_types = row.function_types
        session.add(place)
    session.commit()


def count_places(app) -> int:
    """How many places are stored, whatever their status."""
    from sqlalchemy import func, select

    from plekken.db import get_session
    from plekken.storage.models import Place

    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Place))
