"""Open-loop load on the production server (gunicorn, as ``scripts/run.sh`` starts it), on
SQLite and on PostGIS, with the real Nijmegen wijken and buurten.

Requests are sent at fixed rates whatever the server does (Poisson arrivals), and each
latency is measured from the moment the request was due, so a stalled server shows as
waiting time instead of as fewer requests. Scenarios:

- ``workshop``: 60 residents in a room: 1 post/s and 6 map reads/s.
- ``campaign``: a city-wide campaign: 20 posts/s and 100 map reads/s.
- ``max``: the highest rate (1 post per 5 reads) whose p95 stays under 200 ms.
- ``stall``: four heavy analyses (a whole gemeente's accessibility grid at the largest size
  allowed) in flight, while a cheap request is sent every 200 ms.

After every scenario the acknowledged places are looked up in the database: ``lost`` must be 0.

Usage, from the repository root (PostGIS needs ``PLEKKEN_TEST_POSTGIS_URL``, which
``scripts/setup-postgis.sh`` prints)::

    python -m benchmarks.bench_load [DATA_DIR] [--backend sqlite postgis] [--seconds 15]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from sqlalchemy import text

from plekken import create_app, migrate, storage
from plekken.db import get_session
from plekken.io.cbs import read_cbs_areas

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
#: The server's settings: no rate limit (one address sends everything), new places count at
#: once, and a secret of its own rather than one kept in the repository's instance folder.
SETTINGS = {
    "RATE_LIMITS": "off",
    "NEW_PLACE_STATUS": "published",
    "SECRET_KEY": uuid.uuid4().hex,
}
HEAVY = "/api/v1/analysis/surface?gemeente=GM0268&cell=100&distance=400,800,1200,1600,2000"
CHEAP = "/api/v1/areas?level=wijk&gemeente=GM0268"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(url: str, data: Path) -> dict:
    """Migrate, import the Nijmegen areas and a few places; the wijk codes to read."""
    app = create_app({"DATABASE_URL": url, **SETTINGS})
    migrate.upgrade(app.extensions["plekken_engine"])
    with app.app_context():
        session = get_session()
        for name in ("nijmegen_wijken.geojson", "nijmegen_buurten.geojson"):
            storage.upsert_areas(session, read_cbs_areas(data / name), source="bench")
        session.commit()
        wijken = sorted(storage.area_codes(session, level="wijk"))
        buurten = storage.areas_frame(session, level="buurt")
    app.extensions["plekken_engine"].dispose()
    points = [geom.representative_point() for geom in buurten.geometry]
    return {"wijken": wijken, "points": [(p.x, p.y) for p in points]}


def start_server(url: str, port: int, log) -> subprocess.Popen:
    env = {**os.environ, "PLEKKEN_DATABASE_URL": url, "PLEKKEN_BIND": f"127.0.0.1:{port}",
           **{f"PLEKKEN_{name}": value for name, value in SETTINGS.items()}}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:plekken.server",
         "--access-logfile", "/dev/null"],
        env=env, start_new_session=True, stdout=log, stderr=log,
    )  # fmt: skip
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


class Load:
    """Sends requests at their due times from a thread pool and records what came back."""

    def __init__(self, base: str, world: dict) -> None:
        self.base, self.world = base, world
        self.results: list[tuple[str, float, int]] = []
        self.acknowledged: list[int] = []
        self._lock = threading.Lock()

    def _request(self, kind: str) -> urllib.request.Request:
        if kind == "post":
            lon, lat = random.choice(self.world["points"])
            body = {
                "lon": lon,
                "lat": lat,
                "name": f"plek {uuid.uuid4().hex[:8]}",
                "function_types": ["verbindend"],
                "consent": True,
                "symbol_icon": "bankje",
            }
            return urllib.request.Request(
                self.base + "/api/v1/places", data=json.dumps(body).encode(),
                headers={"Content-Type": "application/json",
                         "Idempotency-Key": uuid.uuid4().hex},
            )  # fmt: skip
        if kind == "read":
            wijk = random.choice(self.world["wijken"])
            return urllib.request.Request(f"{self.base}/api/v1/places?wijk={wijk}")
        return urllib.request.Request(self.base + (HEAVY if kind == "heavy" else CHEAP))

    def _send(self, kind: str, due: float) -> None:
        time.sleep(max(0.0, due - time.monotonic()))
        status = 0
        try:
            with urllib.request.urlopen(self._request(kind), timeout=60) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, b""
        except OSError:
            body = b""
        latency = time.monotonic() - due
        with self._lock:
            self.results.append((kind, latency, status))
            if kind == "post" and status == 201:
                self.acknowledged.append(json.loads(body)["properties"]["id"])

    def run(self, rates: dict[str, float], seconds: float, pool: ThreadPoolExecutor) -> None:
        start = time.monotonic() + 0.2
        futures = []
        for kind, rate in rates.items():
            due = start
            while rate and due < start + seconds:
                due += random.expovariate(rate)
                futures.append(pool.submit(self._send, kind, due))
        for future in futures:
            future.result()


def summary(results, kind: str) -> dict:
    times = np.array([t for k, t, _ in results if k == kind]) * 1000
    errors = sum(1 for k, _, s in results if k == kind and not 200 <= s < 300)
    if not len(times):
        return {}
    p50, p95, p99 = np.percentile(times, [50, 95, 99])
    return {"n": len(times), "p50": p50, "p95": p95, "p99": p99, "max": times.max(),
            "errors": errors}  # fmt: skip


def lost_places(url: str, acknowledged: list[int]) -> int:
    app = create_app({"DATABASE_URL": url, **SETTINGS})
    with app.extensions["plekken_engine"].connect() as conn:
        stored = set(conn.execute(text("SELECT id FROM places")).scalars())
    app.extensions["plekken_engine"].dispose()
    return len(set(acknowledged) - stored)


def worker_rss_mb(server: subprocess.Popen) -> float:
    out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(server.pid)],
                         capture_output=True, text=True).stdout.split()  # fmt: skip
    return max((int(kb) for kb in out), default=0) / 1024


def row(backend: str, scenario: str, kind: str, stats: dict, extra: str = "") -> str:
    if not stats:
        return ""
    return (f"| {backend} | {scenario} | {kind} | {stats['n']} | {stats['p50']:.0f} | "
            f"{stats['p95']:.0f} | {stats['p99']:.0f} | {stats['max']:.0f} | "
            f"{stats['errors']} | {extra} |")  # fmt: skip


def bench(backend: str, url: str, data: Path, seconds: float) -> list[str]:
    world = prepare(url, data)
    port = _free_port()
    lines: list[str] = []
    with tempfile.TemporaryFile() as log, ThreadPoolExecutor(256) as pool:
        server = start_server(url, port, log)
        try:
            base = f"http://127.0.0.1:{port}"
            for scenario, rates in (("workshop", {"post": 1, "read": 6}),
                                    ("campaign", {"post": 20, "read": 100})):  # fmt: skip
                load = Load(base, world)
                load.run(rates, seconds, pool)
                lost = f"lost {lost_places(url, load.acknowledged)}"
                lines += [row(backend, scenario, k, summary(load.results, k), lost)
                          for k in rates]  # fmt: skip
            best = 0
            for total in (30, 60, 120, 180, 240, 320):
                load = Load(base, world)
                load.run({"post": total / 6, "read": total * 5 / 6}, seconds / 2, pool)
                worst = max(summary(load.results, k)["p95"] for k in ("post", "read"))
                if worst > 200 or any(not 200 <= s < 300 for *_, s in load.results):
                    break
                best = total
            lines.append(f"| {backend} | max | post+read | | | | | | | highest rate with "
                         f"p95 < 200 ms: {best} requests/s |")  # fmt: skip
            load = Load(base, world)
            heavy = [pool.submit(load._send, "heavy", time.monotonic()) for _ in range(4)]
            load.run({"cheap": 5}, seconds / 2, pool)
            for future in heavy:
                future.result()
            statuses = sorted(s for k, _, s in load.results if k == "heavy")
            rss = f"heavy statuses {statuses}; largest worker {worker_rss_mb(server):.0f} MB"
            lines.append(row(backend, "stall", "heavy", summary(load.results, "heavy"), rss))
            lines.append(row(backend, "stall", "cheap", summary(load.results, "cheap")))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
    return [line for line in lines if line]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--backend", nargs="+", default=["sqlite", "postgis"])
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args(argv)
    random.seed(1)
    print("| backend | scenario | requests | n | p50 ms | p95 ms | p99 ms | max ms | errors | |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        for backend in args.backend:
            if backend == "sqlite":
                url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            else:
                url = os.environ.get("PLEKKEN_TEST_POSTGIS_URL")
                if not url:
                    print(f"| {backend} | skipped: set PLEKKEN_TEST_POSTGIS_URL |")
                    continue
                url = _fresh_schema(url)
            for line in bench(backend, url, args.data, args.seconds):
                print(line, flush=True)


def _fresh_schema(url: str) -> str:
    """A new schema in the PostGIS database, so the benchmark starts empty."""
    from plekken.storage.base import make_engine

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema},public"


if __name__ == "__main__":
    main()
