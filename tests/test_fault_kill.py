"""A real server killed with SIGKILL while places are being written, then started again:
every place whose 201 reached a client is stored whole (function types and image included),
none is half-written, and SQLite's file passes ``PRAGMA integrity_check``."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import text

from plekken import create_app, migrate, storage
from plekken.db import get_session
from tests.conftest import close_app
from tests.factories import toy_areas

pytestmark = pytest.mark.slow
WRITERS = 6
LOAD_SECONDS = 1.5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(database_url: str, port: int, instance: Path, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "PLEKKEN_DATABASE_URL": database_url,
        "PLEKKEN_INSTANCE_PATH": str(instance),
        "PLEKKEN_BIND": f"127.0.0.1:{port}",
        "PLEKKEN_WORKERS": "1",
        "PLEKKEN_THREADS": "4",
        "PLEKKEN_TILE_LAYERS": "[]",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:plekken.server",
            "--log-level",
            "warning",
            "--access-logfile",
            "/dev/null",
        ],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    raise AssertionError("server did not start; see its log")


def _multipart(fields: dict, image: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="symbol_image"; '
        f'filename="s.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
        + image
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _png(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (shade, 100, 200)).save(out, "PNG")
    return out.getvalue()


class Writers:
    """Threads posting places until told to stop; keeps what each 201 acknowledged."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/api/v1/places"
        self.acknowledged: list[dict] = []
        self.stop = threading.Event()
        self._lock = threading.Lock()

    def _post(self, n: int) -> None:
        name = f"plek {uuid.uuid4().hex[:10]}"
        types = ["verbindend", "ideologisch"] if n % 2 else ["functioneel"]
        fields = {
            "lon": 5.801 + (n % 37) / 1000,
            "lat": 51.81,
            "name": name,
            "function_types": ",".join(types),
            "consent": "1",
        }
        with_image = n % 3 == 0
        if with_image:
            body, kind = _multipart(fields, _png(n % 256))
        else:
            body, kind = (
                json.dumps(
                    {**fields, "function_types": types, "consent": True, "symbol_icon": "bankje"}
                ).encode(),
                "application/json",
            )
        request = urllib.request.Request(self.url, data=body, headers={"Content-Type": kind})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                feature = json.load(response)
        except (OSError, urllib.error.HTTPError, ValueError):
            time.sleep(0.05)  # the server is away: try again in a moment
            return  # no acknowledgement: the place may or may not be stored
        with self._lock:
            self.acknowledged.append(
                {
                    "id": feature["properties"]["id"],
                    "name": name,
                    "types": types,
                    "image": with_image,
                }
            )

    def run(self, offset: int) -> None:
        n = offset
        while not self.stop.is_set():
            self._post(n)
            n += WRITERS

    def __enter__(self):
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(WRITERS)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def _check_stored(app, acknowledged: list[dict]) -> None:
    """Every acknowledged place is stored with its name, function types and image."""
    engine = app.extensions["plekken_engine"]
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT p.id, p.name, p.symbol_image_id, i.png, t.function_type FROM places p "
            "LEFT JOIN symbol_images i ON i.id = p.symbol_image_id "
            "LEFT JOIN place_function_types t ON t.place_id = p.id"
        )).all()  # fmt: skip
    stored: dict[int, dict] = {}
    for place_id, name, _image, png, function_type in rows:
        place = stored.setdefault(place_id, {"name": name, "types": set(), "png": png})
        place["types"].add(function_type)
    for place in acknowledged:
        found = stored[place["id"]]
        assert found["name"] == place["name"]
        assert found["types"] == set(place["types"])
        assert (found["png"] or b"").startswith(b"\x89PNG") == place["image"]


def test_kill_9_during_writes_loses_no_acknowledged_place(database_url, backend, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True})
    try:
        migrate.upgrade(app.extensions["plekken_engine"])
        with app.app_context():
            storage.upsert_areas(get_session(), toy_areas(), source="toy")
            get_session().commit()
        port = _free_port()
        with open(tmp_path / "server.log", "ab") as log:
            server = _start_server(database_url, port, tmp_path, log)
            with Writers(port) as writers:
                time.sleep(LOAD_SECONDS)
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
                before_kill = len(writers.acknowledged)
                server = _start_server(database_url, port, tmp_path, log)
                time.sleep(LOAD_SECONDS / 2)
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        assert before_kill > 0 and len(writers.acknowledged) > before_kill
        _check_stored(app, writers.acknowledged)
        _check_whole(app, backend)
    finally:
        close_app(app)


def _check_whole(app, backend: str) -> None:
    """No place without function types, and no image reference without its image."""
    engine = app.extensions["plekken_engine"]
    with engine.connect() as conn:
        untyped = conn.execute(
            text(
                "SELECT count(*) FROM places p WHERE NOT EXISTS "
                "(SELECT 1 FROM place_function_types t WHERE t.place_id = p.id)"
            )
        ).scalar_one()
        dangling = conn.execute(
            text(
                "SELECT count(*) FROM places p WHERE p.symbol_image_id IS NOT NULL AND NOT EXISTS "
                "(SELECT 1 FROM symbol_images i WHERE i.id = p.symbol_image_id)"
            )
        ).scalar_one()
        assert (untyped, dangling) == (0, 0)
        if backend == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
