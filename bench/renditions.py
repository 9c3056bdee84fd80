"""Renditions benchmark: our render path against plain Pillow, side by side.

Turns a 4000×3000 JPEG (quality 90, photo-like detail) into a 1200-px WebP and
a 400-px JPEG, alternately through articles.photos.renditions.render and through plain
Pillow (open, resize with LANCZOS, save), and prints milliseconds, the ratio
and the PSNR of our output against the plain one.

Target (issue #3): ours ≤ 0.55× plain Pillow, PSNR ≥ 35 dB.
"""

import io
import math
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from PIL import Image, ImageChops, ImageFilter, ImageStat  # noqa: E402

from articles.photos.renditions import RenditionSpec, render  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
TARGET_RATIO = 0.55
TARGET_PSNR = 35.0
OUTPUTS = [(1200, "WEBP", "webp"), (400, "JPEG", "jpg")]


def photo_like_jpeg(size=(4000, 3000)) -> bytes:
    """Fractal structure, soft gradients and sensor-like noise, as quality 90."""
    detail = Image.effect_mandelbrot(size, (-2.2, -1.2, 1.0, 1.2), 160)
    noise = Image.effect_noise(size, 64)
    gradient = Image.linear_gradient("L").resize(size)
    red = ImageChops.add(detail, noise, scale=1.6)
    green = ImageChops.blend(gradient, detail, 0.55)
    blue = ImageChops.blend(noise, gradient.rotate(90, expand=False), 0.6)
    image = Image.merge("RGB", (red, green, blue)).filter(ImageFilter.GaussianBlur(0.5))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def plain_pillow(source: bytes) -> list[bytes]:
    results = []
    for width, pillow_format, _ in OUTPUTS:
        with Image.open(io.BytesIO(source)) as image:
            height = round(width * image.height / image.width)
            resized = image.resize((width, height), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            resized.save(buffer, pillow_format)
            results.append(buffer.getvalue())
    return results


def ours(source: bytes) -> list[bytes]:
    return [
        render(io.BytesIO(source), RenditionSpec("orig", width, extension)).content
        for width, _, extension in OUTPUTS
    ]


def psnr(first: bytes, second: bytes) -> float:
    with Image.open(io.BytesIO(first)) as a, Image.open(io.BytesIO(second)) as b:
        difference = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
        stat = ImageStat.Stat(difference)
        pixels = a.width * a.height
        mse = sum(stat.sum2) / (3 * pixels)
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def main() -> int:
    source = photo_like_jpeg()
    print(f"source: 4000×3000 JPEG q90, {len(source) / 1e6:.1f} MB; {ROUNDS} rounds")
    timings = {"plain": [], "ours": []}
    plain_out = ours_out = None
    for _ in range(ROUNDS):
        for name, function in (("plain", plain_pillow), ("ours", ours)):
            start = time.perf_counter()
            output = function(source)
            timings[name].append((time.perf_counter() - start) * 1000)
            if name == "plain":
                plain_out = output
            else:
                ours_out = output
    plain_ms = statistics.median(timings["plain"])
    ours_ms = statistics.median(timings["ours"])
    ratio = ours_ms / plain_ms
    quality = [psnr(a, b) for a, b in zip(ours_out, plain_out, strict=True)]
    print(f"plain Pillow   {plain_ms:7.1f} ms  (1200-px WebP + 400-px JPEG, median)")
    print(f"renditions     {ours_ms:7.1f} ms")
    print(f"ratio          {ratio:7.2f}×  (target ≤ {TARGET_RATIO})")
    print(
        "PSNR vs plain  "
        + ", ".join(f"{value:.1f} dB" for value in quality)
        + f"  (target ≥ {TARGET_PSNR})"
    )
    ok = ratio <= TARGET_RATIO and min(quality) >= TARGET_PSNR
    print("renditions benchmark:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
