"""A picture CAPTCHA drawn here, for public forms a robot might hammer (the public status
check after repeated misses; security goal S4). No outside service, no download: five
digits drawn by Pillow with its own font, each tilted and shifted, over crossing lines and
dots. The digits live in the visitor's session, are good for one try only and for
`LIFETIME` at most; the picture is served by its own URL (never inline, so the page's
Content-Security-Policy needs no `data:` images)."""

from __future__ import annotations

import io
import secrets
import time
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SESSION_KEY = "captcha"
DIGITS = 5
LIFETIME = 300  # seconds between drawing the picture and the answer
SIZE = (200, 64)


def challenge_new(session: Any) -> None:
    """Draw new digits for this session (the picture URL then shows them)."""
    digits = "".join(secrets.choice("23456789") for _ in range(DIGITS))  # no 0/1: like O/l
    session[SESSION_KEY] = {"digits": digits, "at": time.time()}


def challenge_solved(session: Any, typed: str) -> bool:
    """Whether `typed` is this session's digits. The digits are used up either way, so each
    try needs a new picture."""
    stored = session.pop(SESSION_KEY, None)
    if not isinstance(stored, dict) or time.time() - float(stored.get("at", 0)) > LIFETIME:
        return False
    answer = "".join(ch for ch in typed if ch.isdigit())
    return secrets.compare_digest(answer, str(stored.get("digits", "")))


def challenge_png(session: Any) -> bytes:
    """The picture of this session's digits (new digits when it has none)."""
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        challenge_new(session)
        stored = session[SESSION_KEY]
    return _draw(str(stored["digits"]))


def _draw(digits: str) -> bytes:
    rng = secrets.SystemRandom()
    width, height = SIZE
    image = Image.new("RGB", SIZE, (246, 246, 240))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        draw.line(
            [(rng.randint(0, width), rng.randint(0, height)) for _ in range(2)],
            fill=(rng.randint(90, 170),) * 3,
            width=2,
        )
    font = ImageFont.load_default(size=38)
    step = (width - 20) // len(digits)
    for i, digit in enumerate(digits):
        glyph = Image.new("RGBA", (step + 14, height), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((6, 6), digit, font=font, fill=(30, 40, 90, 255))
        glyph = glyph.rotate(rng.uniform(-28, 28), resample=Image.Resampling.BICUBIC)
        image.paste(glyph, (10 + i * step + rng.randint(-3, 3), rng.randint(-6, 4)), glyph)
    for _ in range(160):
        draw.point((rng.randint(0, width - 1), rng.randint(0, height - 1)), fill=(60, 60, 60))
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
