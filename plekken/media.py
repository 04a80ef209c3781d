"""Pictures that residents upload as the symbol of a meaningful place.

A resident may draw their own symbol (for example a round sun whose rays are the paths
into a park), take a photo of it and upload that instead of picking a built-in symbol
from :mod:`plekken.symbols`. :func:`process_symbol_image` checks such an upload and
turns it into a clean, square PNG:

* only PNG, JPEG and WebP are accepted, judged by the decoded content, not the name;
* very large files and decompression bombs are refused before any pixels are decoded;
* the EXIF orientation of phone photos is applied;
* all metadata is dropped (EXIF, GPS position, XMP, text chunks, colour profiles), so a
  photo never reveals where or when it was taken.

Refusals raise :class:`ImageRejected`, which carries a machine code and a plain Dutch
(or English) message for the resident.
"""

from __future__ import annotations

import io
import struct
import threading
import warnings
import zlib

from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = [
    "ACCEPTED_FORMATS",
    "MIN_SIDE",
    "REJECTION_CODES",
    "ImageRejected",
    "process_symbol_image",
]

#: Pillow format names that are accepted. "MPO" is how Pillow names JPEG files with
#: extra "multi-picture" frames, which many phone cameras write.
ACCEPTED_FORMATS: frozenset[str] = frozenset({"PNG", "JPEG", "MPO", "WEBP"})

#: Smallest accepted width and height of an uploaded picture, in pixels.
MIN_SIDE: int = 16

#: Codes of :class:`ImageRejected` -> (Dutch message, English message). Messages may
#: use ``{mb}`` (the byte limit in megabytes) and ``{min_side}``.
REJECTION_CODES: dict[str, tuple[str, str]] = {
    "not_an_image": (
        "Dit bestand is geen afbeelding. Kies een PNG-, JPEG- of WebP-foto.",
        "This file is not an image. Choose a PNG, JPEG or WebP picture.",
    ),
    "unsupported_format": (
        "Dit soort afbeelding kunnen we niet gebruiken. Kies een PNG-, JPEG- of WebP-foto.",
        "This kind of image cannot be used. Choose a PNG, JPEG or WebP picture.",
    ),
    "too_large_file": (
        "Dit bestand is te groot. Het mag hoogstens {mb} MB zijn.",
        "This file is too large. It may be at most {mb} MB.",
    ),
    "too_many_pixels": (
        "Deze afbeelding heeft te veel pixels. Maak hem kleiner en probeer het opnieuw.",
        "This image has too many pixels. Make it smaller and try again.",
    ),
    "too_small": (
        "Deze afbeelding is te klein. Hij moet minstens {min_side} bij {min_side} pixels zijn.",
        "This image is too small. It must be at least {min_side} by {min_side} pixels.",
    ),
}

# Errors that Pillow raises for truncated or corrupt files, while reading the header or
# while decoding the pixels.
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    zlib.error,
    IndexError,
    TypeError,
)

# Brands of ISO media files (the "ftyp" box) that hold still images: HEIC/HEIF, AVIF.
_ISO_IMAGE_BRANDS = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
)

# Image.open() reports a possible decompression bomb with a warning (above
# Image.MAX_IMAGE_PIXELS) or an error (above twice that). The warning is turned into an
# error inside warnings.catch_warnings(), which changes process-wide state; this lock
# keeps two uploads from restoring each other's filters half-way.
_OPEN_LOCK = threading.Lock()


class ImageRejected(ValueError):
    """An uploaded picture that cannot be used as a symbol.

    Parameters
    ----------
    code : str
        Machine code, one of :data:`REJECTION_CODES`: ``"not_an_image"``,
        ``"unsupported_format"``, ``"too_large_file"``, ``"too_many_pixels"`` or
        ``"too_small"``.
    detail : str, optional
        Technical detail for logs (for example the detected format). Never shown to
        residents.
    max_bytes : int, optional
        The byte limit, used in the message for ``"too_large_file"``.

    Attributes
    ----------
    code : str
        The machine code, for the API and for tests.
    detail : str
        The technical detail, or ``""``.

    Examples
    --------
    >>> err = ImageRejected("not_an_image")
    >>> err.code
    'not_an_image'
    >>> err.message("en")
    'This file is not an image. Choose a PNG, JPEG or WebP picture.'
    """

    def __init__(self, code: str, detail: str = "", *, max_bytes: int | None = None) -> None:
        if code not in REJECTION_CODES:
            raise ValueError(f"unknown rejection code {code!r}")
        self.code = code
        self.detail = detail
        self.max_bytes = max_bytes
        text = f"{code}: {self.message('en')}"
        super().__init__(f"{text} ({detail})" if detail else text)

    def message(self, lang: str = "nl") -> str:
        """Return the message for the resident in ``lang`` ("nl" or "en").

        Parameters
        ----------
        lang : str, default "nl"
            ``"en"`` for English; any other value gives plain Dutch.

        Returns
        -------
        str
            One or two short sentences that say what is wrong and what to do.

        Examples
        --------
        >>> ImageRejected("too_large_file", max_bytes=8_000_000).message()
        'Dit bestand is te groot. Het mag hoogstens 8 MB zijn.'
        """
        dutch, english = REJECTION_CODES[self.code]
        template = english if lang == "en" else dutch
        mb = "?"
        if self.max_bytes is not None:
            mb = f"{self.max_bytes / 1_000_000:g}"
            if lang != "en":
                mb = mb.replace(".", ",")
        return template.format(mb=mb, min_side=MIN_SIDE)


def _open_checked(data: bytes, max_pixels: int) -> Image.Image:
    """Open ``data`` lazily (header only) and check its format and pixel count."""
    buffer = io.BytesIO(data)
    try:
        with _OPEN_LOCK, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(buffer, formats=sorted(ACCEPTED_FORMATS - {"MPO"}))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected("too_many_pixels", str(exc)) from None
    except UnidentifiedImageError:
        raise ImageRejected("unsupported_format", _identify(data)) from None
    except _DECODE_ERRORS as exc:
        raise ImageRejected("not_an_image", f"{type(exc).__name__}: {exc}") from None
    if im.format not in ACCEPTED_FORMATS:  # pragma: no cover - Pillow keeps to `formats`
        im.close()
        raise ImageRejected("unsupported_format", str(im.format))
    width, height = im.size
    if width * height > max_pixels:
        im.close()
        raise ImageRejected("too_many_pixels", f"{width}x{height} > {max_pixels} pixels")
    if min(width, height) < MIN_SIDE:
        im.close()
        raise ImageRejected("too_small", f"{width}x{height}")
    return im


def _identify(data: bytes) -> str:
    """Name the format of data that is not PNG, JPEG or WebP, or refuse it.

    Returns the format name when ``data`` is some other kind of image, so the caller can
    report "unsupported_format"; raises ``ImageRejected("not_an_image")`` otherwise.
    """
    head = data[:512]
    # Formats Pillow does not read, but that people do upload: iPhone photos (HEIC),
    # AVIF and drawings made in a vector editor.
    if head[4:8] == b"ftyp" and head[8:12] in _ISO_IMAGE_BRANDS:
        return f"ISO media image ({head[8:12].decode('ascii')})"
    if b"<svg" in head.lower():
        return "SVG"
    try:
        with _OPEN_LOCK, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as other:
                return str(other.format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "unknown image format"
    except _DECODE_ERRORS:
        raise ImageRejected("not_an_image", "not recognised as an image") from None


def _fit_square(im: Image.Image, size: int) -> Image.Image:
    """Scale ``im`` (RGBA) to fit a transparent ``size`` x ``size`` square, centred."""
    width, height = im.size
    scale = size / max(width, height)
    new_size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if new_size != im.size:
        im = im.resize(new_size, Image.Resampling.LANCZOS)
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    canvas.paste(im, ((size - new_size[0]) // 2, (size - new_size[1]) // 2))
    return canvas


def _to_srgb_rgba(im: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert ``im`` to RGBA, turning embedded colour profiles into plain sRGB.

    Phone photos often carry a wide-gamut profile (such as Display P3). The profile is
    dropped from the output, so the colours are converted first; when that is not
    possible the pixels are kept as they are.
    """
    if icc_profile and im.mode in ("RGB", "RGBA", "CMYK"):
        try:
            from PIL import ImageCms

            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            target = ImageCms.createProfile("sRGB")
            out_mode = "RGBA" if im.mode == "RGBA" else "RGB"
            converted = ImageCms.profileToProfile(im, source, target, outputMode=out_mode)
            if converted is not None:
                im = converted
        except (ImportError, OSError, ValueError, TypeError):
            pass
    if im.mode != "RGBA":
        im = im.convert("RGBA")
    return im


def process_symbol_image(
    data: bytes,
    *,
    size: int = 256,
    max_bytes: int = 8_000_000,
    max_pixels: int = 40_000_000,
) -> bytes:
    """Check an uploaded symbol picture and return it as a clean, square PNG.

    Parameters
    ----------
    data : bytes
        The uploaded file, as it came in (bytes, bytearray or memoryview).
    size : int, default 256
        Width and height of the returned PNG. The picture is scaled (up or down) to fit,
        centred, keeping its aspect ratio; the rest is transparent. Nothing is cropped.
    max_bytes : int, default 8_000_000
        Larger files are refused with code ``"too_large_file"``.
    max_pixels : int, default 40_000_000
        Pictures with more pixels (width x height, read from the header before any
        decoding) are refused with code ``"too_many_pixels"``. Pillow's own
        decompression-bomb limit (``Image.MAX_IMAGE_PIXELS``) also applies, so values
        above that limit have no effect.

    Returns
    -------
    bytes
        An RGBA PNG of ``size`` x ``size`` pixels without any metadata: no EXIF, no GPS,
        no XMP, no text chunks and no colour profile.

    Raises
    ------
    ImageRejected
        With code ``"too_large_file"``, ``"not_an_image"`` (also for truncated or corrupt
        files), ``"unsupported_format"`` (GIF, BMP, HEIC, SVG, ...),
        ``"too_many_pixels"`` or ``"too_small"`` (narrower or lower than
        :data:`MIN_SIDE` pixels).
    ValueError
        If ``size``, ``max_bytes`` or ``max_pixels`` is not positive.

    Examples
    --------
    >>> from PIL import Image
    >>> buf = io.BytesIO()
    >>> Image.new("RGB", (80, 40), "orange").save(buf, "JPEG")
    >>> png = process_symbol_image(buf.getvalue(), size=64)
    >>> Image.open(io.BytesIO(png)).size
    (64, 64)
    >>> try:
    ...     process_symbol_image(b"hallo")
    ... except ImageRejected as err:
    ...     print(err.code)
    not_an_image
    """
    if size < 1 or max_bytes < 1 or max_pixels < 1:
        raise ValueError("size, max_bytes and max_pixels must be positive")
    data = bytes(data)
    if len(data) > max_bytes:
        raise ImageRejected("too_large_file", f"{len(data)} bytes", max_bytes=max_bytes)
    if not data:
        raise ImageRejected("not_an_image", "empty file")

    im = _open_checked(data, max_pixels)
    try:
        icc_profile = im.info.get("icc_profile")
        if im.format in ("JPEG", "MPO"):
            # Let the JPEG decoder scale down while decoding: much less memory for big
            # photos. The result stays at least `size` pixels in both directions.
            im.draft(im.mode, (size, size))
        im.load()
        try:
            upright = ImageOps.exif_transpose(im)
        except _DECODE_ERRORS:
            # Broken EXIF data: use the picture as stored rather than refuse it.
            upright = im.copy()
        rgba = _to_srgb_rgba(upright, icc_profile)
        square = _fit_square(rgba, size)
    except Image.DecompressionBombError as exc:  # pragma: no cover - checked on open
        raise ImageRejected("too_many_pixels", str(exc)) from None
    except _DECODE_ERRORS as exc:
        raise ImageRejected("not_an_image", f"{type(exc).__name__}: {exc}") from None
    finally:
        im.close()

    square.info.clear()
    out = io.BytesIO()
    square.save(out, format="PNG", optimize=True)
    return out.getvalue()
