"""Tests for uploaded symbol pictures (plekken.media) and built-in symbols (plekken.symbols)."""

from __future__ import annotations

import io
import random
import struct
import sys
import warnings
import xml.etree.ElementTree as ET
import zlib

import pytest
from PIL import Image, ImageCms

from plekken.media import REJECTION_CODES, ImageRejected, process_symbol_image
from plekken.symbols import (
    DEFAULT_ICON,
    ICONS,
    SYMBOLS_DIR,
    icon_label,
    icon_path,
    is_icon,
)

SVG_NS = "{http://www.w3.org/2000/svg}"
RED = (220, 30, 30)
BLUE = (30, 60, 200)

# --------------------------------------------------------------------------------------
# helpers


def _encode(im: Image.Image, fmt: str, **params) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()


def _noisy(width: int, height: int, seed: int = 1) -> Image.Image:
    """An RGB image that does not compress well, so truncation hits the pixel data."""
    return Image.frombytes(
        "RGB", (width, height), random.Random(seed).randbytes(width * height * 3)
    )


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _bomb_png(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of ``width`` x ``height`` that is only a few kB.

    Decoding it would take width * height bytes of memory (Pillow stores mode "1" with
    one byte per pixel).
    """
    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _png_chunk_types(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    types, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        types.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return types


def _rejected(data: bytes, **kwargs) -> ImageRejected:
    with pytest.raises(ImageRejected) as info:
        process_symbol_image(data, **kwargs)
    return info.value


def _open_png(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    assert im.format == "PNG"
    im.load()
    return im


def _assert_clean_png(data: bytes) -> None:
    """The PNG carries pixels only: no EXIF, GPS, XMP, text or colour profile."""
    assert set(_png_chunk_types(data)) <= {b"IHDR", b"IDAT", b"IEND"}
    for marker in (b"Exif", b"eXIf", b"GPS", b"XML:com.adobe.xmp", b"iCCP", b"tEXt", b"iTXt"):
        assert marker not in data
    im = _open_png(data)
    assert im.info == {}
    assert not im.getexif()
    assert not im.getexif().get_ifd(0x8825)


# --------------------------------------------------------------------------------------
# photo with EXIF, GPS, XMP and orientation


@pytest.fixture
def phone_jpeg() -> bytes:
    """A 120 x 60 JPEG as stored by a phone: red top stripe, orientation 6, GPS, XMP."""
    im = Image.new("RGB", (120, 60), BLUE)
    im.paste(RED, (0, 0, 120, 20))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to display
    exif[0x010F] = "Phonemaker"
    exif[0x0132] = "2024:05:04 10:11:12"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 50.0, 33.5)
    gps[3] = "E"
    gps[4] = (5.0, 51.0, 8.25)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    data = _encode(im, "JPEG", quality=95, exif=exif, xmp=xmp)
    # The input really carries what must be removed.
    src = Image.open(io.BytesIO(data))
    assert src.getexif()[0x0112] == 6
    assert src.getexif().get_ifd(0x8825)[1] == "N"
    assert "xmp" in src.info and b"Exif" in data
    return data


def test_jpeg_with_exif_and_gps_becomes_clean_square_png(phone_jpeg: bytes) -> None:
    out = process_symbol_image(phone_jpeg)
    assert out.startswith(b"\x89PNG\r\n\x1a\n")
    im = _open_png(out)
    assert im.size == (256, 256)
    assert im.mode == "RGBA"
    _assert_clean_png(out)


def test_exif_orientation_is_applied(phone_jpeg: bytes) -> None:
    im = _open_png(process_symbol_image(phone_jpeg))
    # Displayed upright the photo is 60 x 120: scaled to 128 x 256, centred at x 64..192.
    # The stored top stripe (rows 0..20 of 60) ends up on the right (x 149..192).
    assert im.getpixel((10, 128))[3] == 0  # transparent padding left
    assert im.getpixel((245, 128))[3] == 0  # and right
    r, g, b, a = im.getpixel((180, 128))
    assert a == 255 and r > 180 and b < 90  # red, on the right
    r, g, b, a = im.getpixel((90, 128))
    assert a == 255 and b > 150 and r < 90  # blue body on the left
    r, g, b, a = im.getpixel((128, 3))
    assert a == 255 and b > 150  # the full height is used: nothing at top is padding


def test_wide_picture_is_padded_not_cropped() -> None:
    im = Image.new("RGB", (200, 50), BLUE)
    im.paste(RED, (0, 0, 10, 50))  # a red band at the far left must survive
    out = _open_png(process_symbol_image(_encode(im, "PNG"), size=100))
    assert out.size == (100, 100)
    assert out.getpixel((50, 5))[3] == 0  # padding above
    assert out.getpixel((50, 95))[3] == 0  # padding below
    assert out.getpixel((1, 50))[:3][0] > 180  # left band still there
    assert out.getpixel((99, 50))[3] == 255


def test_icc_profile_and_text_chunks_are_dropped() -> None:
    from PIL import PngImagePlugin

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    meta = PngImagePlugin.PngInfo()
    meta.add_text("Author", "Jan de Vries")
    meta.add_text("Location", "Bottendaal, Nijmegen", zip=True)
    src = _encode(Image.new("RGB", (40, 40), RED), "PNG", icc_profile=srgb, pnginfo=meta)
    assert b"iCCP" in src and b"tEXt" in src
    out = process_symbol_image(src, size=64)
    _assert_clean_png(out)
    assert b"Jan de Vries" not in out and b"Bottendaal" not in out
    assert _open_png(out).getpixel((32, 32))[:3] == pytest.approx(RED, abs=3)


# --------------------------------------------------------------------------------------
# accepted and refused formats


def test_webp_accepted() -> None:
    src = _encode(Image.new("RGBA", (64, 32), (*RED, 255)), "WEBP", lossless=True)
    out = process_symbol_image(src, size=32)
    im = _open_png(out)
    assert im.size == (32, 32)
    assert im.getpixel((16, 16)) == (*RED, 255)
    assert im.getpixel((16, 2))[3] == 0
    _assert_clean_png(out)


def test_png_palette_with_transparency_accepted() -> None:
    im = Image.new("P", (32, 32), 0)
    im.putpalette([255, 255, 255, *RED])
    im.paste(1, (8, 8, 24, 24))
    src = _encode(im, "PNG", transparency=0)
    out = _open_png(process_symbol_image(src, size=32))
    assert out.getpixel((0, 0))[3] == 0
    assert out.getpixel((16, 16)) == (*RED, 255)


def test_small_picture_is_scaled_up_to_size() -> None:
    out = _open_png(process_symbol_image(_encode(Image.new("RGB", (16, 16), RED), "PNG")))
    assert out.size == (256, 256)
    assert out.getpixel((0, 0)) == (*RED, 255)


def test_multi_picture_jpeg_from_phone_accepted() -> None:
    # Many phone cameras write JPEGs with extra frames; Pillow calls them "MPO".
    first, second = Image.new("RGB", (48, 48), RED), Image.new("RGB", (48, 48), BLUE)
    src = _encode(first, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(src)).format == "MPO"
    out = _open_png(process_symbol_image(src, size=48))
    assert out.getpixel((24, 24))[:3] == pytest.approx(RED, abs=12)


def test_cmyk_jpeg_accepted() -> None:
    src = _encode(Image.new("CMYK", (40, 40), (0, 0, 0, 0)), "JPEG")
    out = _open_png(process_symbol_image(src, size=40))
    assert out.getpixel((20, 20))[3] == 255


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_refused(fmt: str) -> None:
    err = _rejected(_encode(Image.new("RGB", (40, 40), RED), fmt))
    assert err.code == "unsupported_format"


def test_format_is_judged_by_content_not_name() -> None:
    gif = _encode(Image.new("RGB", (40, 40), RED), "GIF")
    # Whatever the upload was called, a GIF stays a GIF.
    assert _rejected(gif).code == "unsupported_format"


@pytest.mark.parametrize(
    "data",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle r="4"/></svg>',
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64,
    ],
    ids=["svg", "heic"],
)
def test_svg_and_heic_refused_as_unsupported(data: bytes) -> None:
    assert _rejected(data).code == "unsupported_format"


@pytest.mark.parametrize(
    "data",
    [
        random.Random(7).randbytes(4096),
        b"Dit is geen afbeelding maar een boodschappenlijstje.\nmelk\nbrood\n",
        b"",
        b"\x89PNG\r\n\x1a\n",
        b"\xff\xd8\xff",
    ],
    ids=["random", "text", "empty", "png-signature-only", "jpeg-start-only"],
)
def test_non_images_refused(data: bytes) -> None:
    assert _rejected(data).code == "not_an_image"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_truncated_file_refused(fmt: str) -> None:
    data = _encode(_noisy(200, 200), fmt)
    assert _rejected(data[: len(data) // 2]).code == "not_an_image"


def test_corrupt_png_data_refused() -> None:
    data = bytearray(_encode(_noisy(100, 100), "PNG"))
    start = data.index(b"IDAT") + 4
    data[start + 100 : start + 400] = random.Random(3).randbytes(300)
    assert _rejected(bytes(data)).code == "not_an_image"


# --------------------------------------------------------------------------------------
# size limits


def test_too_large_file_refused() -> None:
    data = _encode(_noisy(100, 100), "PNG")
    err = _rejected(data, max_bytes=len(data) - 1)
    assert err.code == "too_large_file"
    assert process_symbol_image(data, max_bytes=len(data))  # exactly at the limit is fine


def test_too_large_file_refused_with_default_limit() -> None:
    # Never even looked at: the size is checked first.
    assert _rejected(b"\x00" * 8_000_001).code == "too_large_file"


def _max_rss_mb() -> float:
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024


@pytest.mark.parametrize(
    ("width", "height", "max_pixels"),
    [
        (20_000, 20_000, 40_000_000),  # above twice Image.MAX_IMAGE_PIXELS: Pillow's error
        (10_000, 10_000, 200_000_000),  # above Image.MAX_IMAGE_PIXELS: Pillow's warning
        (7_000, 7_000, 40_000_000),  # below Pillow's limits, above ours
    ],
    ids=["pillow-error", "pillow-warning", "own-limit"],
)
@pytest.mark.skipif(sys.platform == "win32", reason="uses the resource module")
def test_decompression_bomb_refused_without_decoding(
    width: int, height: int, max_pixels: int
) -> None:
    bomb = _bomb_png(width, height)
    assert len(bomb) < 200_000
    before = _max_rss_mb()
    limit_before = Image.MAX_IMAGE_PIXELS
    filters_before = list(warnings.filters)
    with warnings.catch_warnings():
        # Refused even where the application ignores warnings.
        warnings.simplefilter("ignore")
        err = _rejected(bomb, max_pixels=max_pixels)
    assert err.code == "too_many_pixels"
    assert _max_rss_mb() - before < 30  # decoding would need 49 to 400 MB
    assert limit_before == Image.MAX_IMAGE_PIXELS  # no global change leaks
    assert warnings.filters == filters_before


def test_too_small_refused() -> None:
    assert _rejected(_encode(Image.new("RGB", (15, 15), RED), "PNG")).code == "too_small"
    assert _rejected(_encode(Image.new("RGB", (300, 10), RED), "PNG")).code == "too_small"
    assert process_symbol_image(_encode(Image.new("RGB", (16, 16), RED), "PNG"))


def test_large_jpeg_is_decoded_at_reduced_size() -> None:
    src = _encode(Image.new("RGB", (4000, 3000), BLUE), "JPEG", quality=80)
    im = _open_png(process_symbol_image(src))
    assert im.size == (256, 256)
    assert im.getpixel((128, 128))[2] > 150
    assert im.getpixel((128, 5))[3] == 0  # 4:3 picture, padding above


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError):
        process_symbol_image(b"x", size=0)


# --------------------------------------------------------------------------------------
# messages


def test_messages_dutch_by_default_english_on_request() -> None:
    err = ImageRejected("not_an_image")
    assert err.message() == "Dit bestand is geen afbeelding. Kies een PNG-, JPEG- of WebP-foto."
    assert err.message("en") == "This file is not an image. Choose a PNG, JPEG or WebP picture."
    for code in REJECTION_CODES:
        err = ImageRejected(code, max_bytes=8_000_000)
        assert err.code == code
        nl, en = err.message(), err.message("en")
        assert nl and en and nl != en
        assert "{" not in nl + en
    assert "8 MB" in ImageRejected("too_large_file", max_bytes=8_000_000).message()
    assert "2,5 MB" in ImageRejected("too_large_file", max_bytes=2_500_000).message("nl")
    assert "2.5 MB" in ImageRejected("too_large_file", max_bytes=2_500_000).message("en")
    assert "16 bij 16" in ImageRejected("too_small").message()


def test_rejection_is_a_value_error_with_code() -> None:
    err = _rejected(b"niets")
    assert isinstance(err, ValueError)
    assert err.code == "not_an_image"
    with pytest.raises(ValueError):
        ImageRejected("no_such_code")


# --------------------------------------------------------------------------------------
# built-in symbols


def test_icon_set() -> None:
    assert len(ICONS) == 18
    assert DEFAULT_ICON in ICONS
    assert icon_label("zon") == "Zon"
    assert icon_label("winkelmand", "en") == "Shopping basket"
    assert is_icon("paden") and not is_icon("../etc/passwd") and not is_icon(None)
    with pytest.raises(KeyError):
        icon_path("../media")
    svgs = {p.stem for p in SYMBOLS_DIR.glob("*.svg")}
    assert svgs == set(ICONS)  # no missing and no stray files


@pytest.mark.parametrize("key", sorted(ICONS))
def test_icon_svg(key: str) -> None:
    path = icon_path(key)
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 64 64"
    assert root.get("width") == "64" and root.get("height") == "64"
    title = root.find(f"{SVG_NS}title")
    assert title is not None and title.text == ICONS[key][0]
    lowered = text.lower()
    assert "<script" not in lowered
    assert 'href="http' not in lowered
    assert "href=" not in lowered and "url(" not in lowered  # nothing external at all
    assert "<text" not in lowered and "<image" not in lowered and "<foreignobject" not in lowered
    for element in root.iter():
        assert not any(name.lower().startswith("on") for name in element.attrib)
    # White background disc and the dark drawing colour.
    disc = root.find(f"{SVG_NS}circle")
    assert disc is not None and disc.get("fill") == "#ffffff"
    colours = {
        value.lower()
        for element in root.iter()
        for attr in ("fill", "stroke")
        if (value := element.get(attr)) and value != "none"
    }
    assert "#1f2937" in colours
    assert len(colours - {"#ffffff", "#1f2937"}) <= 1  # at most one accent colour
