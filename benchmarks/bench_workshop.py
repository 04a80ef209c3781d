"""Load benchmark of one workshop: residents posting places with pauses, wall maps polling.

Sixty residents (by default) join one workshop without moderation, staggered over the first
half minute; each adds three places with a pause of 10–30 s before each (thinking, drawing,
typing), as multipart posts with a drawn PNG symbol like the phone flow sends. Five wall maps
follow the workshop's feed every 3 s, as the wall page does. The script prints the median
and 95th percentile latency of the posts and of the feed, the errors, and the places lost or
seen twice (every wall must end with exactly the places that were created).

The server is gunicorn on the database of ``PLEKKEN_DATABASE_URL`` (PostGIS in the figures
in docs/workshops.md), started by the script with the demo data loaded::

    export PLEKKEN_DATABASE_URL=postgresql+psycopg://plekken:plekken@127.0.0.1:5432/plekken_bench
    python -m benchmarks.bench_workshop [--residents 60] [--walls 5] [--workers 3]

``--url http://host:port`` measures a server that is already running instead (it must hold
the demo data and an account ``bench@example.org`` … see ``prepare``).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

WIJK = "WK026805"  # De Goffert, in the demo data
CENTRE = (5.8633, 51.8276)
ROOT = Path(__file__).resolve().parents[1]


def points_in_wijk(session, count: int, seed: int) -> list[tuple[float, float]]:
    """Random points inside the workshop's wijk, where residents tap."""
    import shapely
    from shapely.geometry import Point

    from plekken import storage

    outline = storage.wijk_outline(session, WIJK).geom
    shapely.prepare(outline)
    rng = random.Random(seed)
    minx, miny, maxx, maxy = outline.bounds
    points: list[tuple[float, float]] = []
    while len(points) < count:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if outline.contains(Point(x, y)):
            points.append((round(x, 6), round(y, 6)))
    return points


def prepare(database_url: str) -> tuple[str, list[tuple[float, float]]]:
    """Migrate, load the demo, add an opbouwwerker and a workshop; return its join code and
    points inside its wijk."""
    from plekken import create_app
    from plekken.db import get_session
    from plekken.services import workshops
    from plekken.services.accounts import create_user, viewer_of

    app = create_app({"DATABASE_URL": database_url})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        session = get_session()
        user = create_user(session, f"bench-{uuid.uuid4().hex[:8]}@example.org",
                           "een lang genoeg wachtwoord", "opbouwwerker", ["GM0268"])  # fmt: skip
        workshop = workshops.create_workshop(
            session, viewer_of(user), wijk=WIJK, title="Benchmark", moderated=False
        )
        code = workshop.code
        points = points_in_wijk(session, 1000, 1)
    app.extensions["plekken_engine"].dispose()
    return code, points


def serve(database_url: str, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "PLEKKEN_DATABASE_URL": database_url, "PLEKKEN_RATE_LIMITS": "off"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "-w", str(workers), "-b", f"127.0.0.1:{port}",
               "--threads", "4", "plekken:create_app()"]  # fmt: skip
    server = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def drawing_png(rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (512, 512), "white")
    draw = ImageDraw.Draw(image)
    points = [(rng.randrange(512), rng.randrange(512)) for _ in range(12)]
    draw.line(points, fill=rng.choice(["black", "red", "blue", "green"]), width=14)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def multipart(fields: dict, png: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                         f"{item}\r\n".encode())  # fmt: skip
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="symbol_image"; '
                 'filename="tekening.png"\r\nContent-Type: image/png\r\n\r\n'.encode())  # fmt: skip
    parts.append(png + f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.posts: list[float] = []
        self.feeds: list[float] = []
        self.errors: list[str] = []
        self.created: list[int] = []

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            getattr(self, kind).append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def resident(base, code, number, places, results, seed, points) -> None:
    rng = random.Random(seed + number)
    time.sleep(rng.uniform(0, 30))  # people join over the first half minute
    urllib.request.urlopen(f"{base}/w/{code}/plek", timeout=30).read()
    for index in range(places):
        time.sleep(rng.uniform(10, 30))
        fields = {
            "workshop": code, "name": f"Plek {number}-{index}", "quote": "Hier kom ik graag.",
            "story": "Omdat iedereen elkaar hier groet.", "consent": "on",
            "function_types": rng.sample(["functioneel", "verbindend", "ideologisch"], 2),
            "placement": "map", "map_zoom": "16",
        }  # fmt: skip
        fields["lon"], fields["lat"] = rng.choice(points)
        body, content_type = multipart(fields, drawing_png(rng))
        request = urllib.request.Request(f"{base}/api/v1/places", data=body, method="POST",
                                         headers={"Content-Type": content_type})  # fmt: skip
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                answer = json.loads(response.read())
            results.add("posts", time.perf_counter() - start)
            with results.lock:
                results.created.append(answer["id"])
        except urllib.error.HTTPError as exc:
            results.error(f"post: {exc.code} {exc.read()[:200]!r}")
        except (urllib.error.URLError, OSError, KeyError) as exc:
            results.error(f"post: {exc}")


def wall(base, code, stop: threading.Event, results, seen: list) -> None:
    cursor = 0
    while True:
        start = time.perf_counter()
        try:
            url = f"{base}/api/v1/workshops/{code}/places?since={cursor}"
            with urllib.request.urlopen(url, timeout=30) as response:
                answer = json.loads(response.read())
            results.add("feeds", time.perf_counter() - start)
            seen.extend(feature["id"] for feature in answer["features"])
            cursor = answer["cursor"]
        except (urllib.error.URLError, OSError) as exc:
            results.error(f"feed: {exc}")
        if stop.is_set():
            return
        stop.wait(3)


def quantiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return (values[0] if values else float("nan"),) * 2
    return statistics.median(values), statistics.quantiles(values, n=20)[-1]


def run(base, code, points, residents: int, places: int, walls: int, seed: int) -> dict:
    results, stop = Results(), threading.Event()
    seen = [[] for _ in range(walls)]
    wall_threads = [threading.Thread(target=wall, args=(base, code, stop, results, seen[i]))
                    for i in range(walls)]  # fmt: skip
    people = [threading.Thread(target=resident,
                               args=(base, code, n, places, results, seed, points))
              for n in range(residents)]  # fmt: skip
    started = time.perf_counter()
    for thread in wall_threads + people:
        thread.start()
    for thread in people:
        thread.join()
    time.sleep(4)  # one more turn of every wall after the last post
    stop.set()
    for thread in wall_threads:
        thread.join()
    created = set(results.created)
    lost = [len(created - set(ids)) for ids in seen]
    twice = [len(ids) - len(set(ids)) for ids in seen]
    return {"results": results, "lost": lost, "twice": twice,
            "seconds": time.perf_counter() - started}  # fmt: skip


def report(outcome: dict, args) -> str:
    results = outcome["results"]
    post_median, post_p95 = quantiles(results.posts)
    feed_median, feed_p95 = quantiles(results.feeds)
    rows = [
        "| measure | value |", "| --- | --- |",
        f"| residents × places, walls | {args.residents} × {args.places}, {args.walls} |",
        f"| run time | {outcome['seconds']:.0f} s |",
        f"| posts: count, median, p95 | {len(results.posts)}, {post_median * 1000:.0f} ms, "
        f"{post_p95 * 1000:.0f} ms |",
        f"| wall feed: count, median, p95 | {len(results.feeds)}, {feed_median * 1000:.0f} ms, "
        f"{feed_p95 * 1000:.0f} ms |",
        f"| errors | {len(results.errors)} |",
        f"| places lost on a wall (per wall) | {outcome['lost']} |",
        f"| places seen twice on a wall (per wall) | {outcome['twice']} |",
    ]  # fmt: skip
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=60)
    parser.add_argument("--places", type=int, default=3)
    parser.add_argument("--walls", type=int, default=5)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=5077)
    parser.add_argument("--url", help="measure this running server instead of starting one")
    parser.add_argument("--code", help="join code of a workshop on --url")
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    server = None
    if args.url:
        base, code, points = args.url.rstrip("/"), args.code, [CENTRE]
    else:
        database_url = os.environ.get("PLEKKEN_DATABASE_URL")
        if not database_url:
            parser.error("set PLEKKEN_DATABASE_URL (PostGIS) or give --url and --code")
        code, points = prepare(database_url)
        server = serve(database_url, args.port, args.workers)
        base = f"http://127.0.0.1:{args.port}"
    try:
        outcome = run(base, code, points, args.residents, args.places, args.walls, args.seed)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    print(report(outcome, args))
    for line in outcome["results"].errors[:10]:
        print("error:", line)


if __name__ == "__main__":
    main()
