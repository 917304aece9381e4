#!/usr/bin/env python3
"""Draw the integration's brand images (icon and logo) from code.

Why a script: the images are an original design that anyone can regenerate, tweak and review
as a diff instead of an opaque binary; and the output is deterministic (same Pillow, same
bytes). Since Home Assistant 2026.3 a custom integration ships its own images in
``custom_components/switchbot_automation/brand/``:

* ``icon.png`` 256x256 and ``icon@2x.png`` 512x512 (square, trimmed),
* ``logo.png`` 128 px high and ``logo@2x.png`` 256 px high (landscape, trimmed),
* ``dark_logo.png`` / ``dark_logo@2x.png``: the logo with light lettering for dark themes.

The motif: a thermometer whose mercury sits between two marks (the integration keeps a room
between two temperatures), a flame for heating and a snowflake for cooling, on a rounded
square in a blue gradient. Everything is drawn at 4x and scaled down for anti-aliasing.
The lettering uses Pillow's bundled font (Aileron), so no system font is needed.

Run with the project's environment, which has Pillow (a Home Assistant dependency)::

    .venv/bin/python scripts/draw_brand [--out DIR]
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
import sys

try:
    from PIL import Image, ImageDraw, ImageFilter, ImageFont
except ImportError:  # run by a Python without Pillow, e.g. through the shebang
    sys.exit("draw_brand needs Pillow: run it as .venv/bin/python scripts/draw_brand")

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "custom_components" / "switchbot_automation" / "brand"
SUPERSAMPLE = 4

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]

# Palette: a calm blue background, warm orange for heat, icy white-blue for cold.
BACKGROUND_TOP: RGB = (56, 189, 248)  # sky
BACKGROUND_BOTTOM: RGB = (30, 64, 175)  # deep blue
GLASS: RGBA = (255, 255, 255, 255)
GLASS_INSIDE: RGBA = (219, 234, 254, 255)
MERCURY: RGBA = (249, 115, 22, 255)
MERCURY_LIGHT: RGBA = (253, 186, 116, 255)
FLAME_OUTER: RGBA = (251, 146, 60, 255)
FLAME_INNER: RGBA = (254, 215, 170, 255)
SNOW: RGBA = (224, 242, 254, 255)
MARK: RGBA = (255, 255, 255, 235)
SHADOW: RGBA = (15, 23, 42, 90)
TEXT_LIGHT_THEME: RGBA = (30, 41, 59, 255)
TEXT_LIGHT_THEME_SUB: RGBA = (71, 85, 105, 255)
TEXT_DARK_THEME: RGBA = (241, 245, 249, 255)
TEXT_DARK_THEME_SUB: RGBA = (203, 213, 225, 255)


class Canvas:
    """An RGBA image with drawing helpers in unit coordinates (0..1 of the side)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.image = Image.new("RGBA", (size, size), (0, 0, 0, 0))

    def px(self, value: float) -> float:
        """Unit length to pixels."""
        return value * self.size

    def layer(self) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        """A transparent layer the size of the canvas, to be composited with ``paste``."""
        layer = Image.new("RGBA", (self.size, self.size), (0, 0, 0, 0))
        return layer, ImageDraw.Draw(layer)

    def paste(self, layer: Image.Image) -> None:
        """Composite a layer over the canvas."""
        self.image = Image.alpha_composite(self.image, layer)


def vertical_gradient(size: int, top: RGB, bottom: RGB) -> Image.Image:
    """A square gradient from ``top`` to ``bottom``, slightly tilted for liveliness."""
    mask = Image.linear_gradient("L").rotate(-20, resample=Image.Resampling.BICUBIC, expand=True)
    side = mask.size[0]
    crop = int(side * 0.18)
    mask = mask.crop((crop, crop, side - crop, side - crop)).resize((size, size))
    return Image.composite(
        Image.new("RGB", (size, size), bottom), Image.new("RGB", (size, size), top), mask
    ).convert("RGBA")


def rounded_square_mask(size: int, radius: float) -> Image.Image:
    """An ``L`` mask of a rounded square covering the whole canvas."""
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size - 1, size - 1), radius=radius, fill=255)
    return mask


def thermometer(canvas: Canvas, cx: float, top: float, bulb_y: float) -> None:
    """Glass tube and bulb, mercury up to the middle of the band, and the two band marks."""
    outer_half, outer_bulb = 0.085, 0.145
    inner_half, inner_bulb = 0.042, 0.088
    level = 0.455
    band = (0.36, 0.55)

    def shape(draw: ImageDraw.ImageDraw, half: float, bulb: float, y0: float, fill: RGBA) -> None:
        px = canvas.px
        draw.rounded_rectangle(
            (px(cx - half), px(y0), px(cx + half), px(bulb_y)), radius=px(half), fill=fill
        )
        draw.ellipse(
            (px(cx - bulb), px(bulb_y - bulb), px(cx + bulb), px(bulb_y + bulb)), fill=fill
        )

    shadow, draw = canvas.layer()
    shape(draw, outer_half, outer_bulb, top, SHADOW)
    shadow = shadow.transform(
        shadow.size, Image.Transform.AFFINE, (1, 0, -canvas.px(0.012), 0, 1, -canvas.px(0.02))
    ).filter(ImageFilter.GaussianBlur(canvas.px(0.02)))
    canvas.paste(shadow)

    glass, draw = canvas.layer()
    shape(draw, outer_half, outer_bulb, top, GLASS)
    shape(draw, inner_half, inner_bulb, top + 0.043, GLASS_INSIDE)
    shape(draw, inner_half, inner_bulb, level, MERCURY)
    px = canvas.px
    # A highlight on the bulb gives the glass some volume.
    draw.ellipse(
        (
            px(cx - inner_bulb * 0.55),
            px(bulb_y - inner_bulb * 0.6),
            px(cx - inner_bulb * 0.05),
            px(bulb_y - inner_bulb * 0.1),
        ),
        fill=MERCURY_LIGHT,
    )
    # The two marks of the comfort band, left of the tube.
    for y in band:
        draw.rounded_rectangle(
            (px(cx - outer_half - 0.11), px(y - 0.014), px(cx - outer_half - 0.03), px(y + 0.014)),
            radius=px(0.014),
            fill=MARK,
        )
    canvas.paste(glass)


Point = tuple[float, float]

# A flame in a unit box (y down): a round belly, a tip leaning right and a small lick on the
# left, as cubic Bezier segments (control, control, end) starting from the tip.
FLAME_START: Point = (0.56, 0.0)
FLAME_SEGMENTS: tuple[tuple[Point, Point, Point], ...] = (
    ((0.60, 0.20), (0.96, 0.36), (0.96, 0.64)),
    ((0.96, 0.86), (0.76, 1.0), (0.50, 1.0)),
    ((0.24, 1.0), (0.04, 0.86), (0.04, 0.64)),
    ((0.04, 0.48), (0.12, 0.36), (0.22, 0.28)),
    ((0.22, 0.40), (0.28, 0.47), (0.36, 0.49)),
    ((0.30, 0.30), (0.44, 0.14), (0.56, 0.0)),
)


def bezier_outline(
    start: Point, segments: tuple[tuple[Point, Point, Point], ...], steps: int = 48
) -> list[Point]:
    """Sample a closed path of cubic Bezier segments into polygon points."""
    points = [start]
    current = start
    for c1, c2, end in segments:
        for index in range(1, steps + 1):
            t = index / steps
            u = 1 - t
            points.append(
                (
                    u**3 * current[0]
                    + 3 * u * u * t * c1[0]
                    + 3 * u * t * t * c2[0]
                    + t**3 * end[0],
                    u**3 * current[1]
                    + 3 * u * u * t * c1[1]
                    + 3 * u * t * t * c2[1]
                    + t**3 * end[1],
                )
            )
        current = end
    return points


def flame(canvas: Canvas, cx: float, cy: float, height: float) -> None:
    """Heating: an orange flame with a light core, centred on (cx, cy)."""
    layer, draw = canvas.layer()
    px = canvas.px
    outline = bezier_outline(FLAME_START, FLAME_SEGMENTS)
    width = height * 0.78
    # The core is a smaller copy resting just above the bottom of the outer flame.
    for scale, lift, colour in ((1.0, 0.0, FLAME_OUTER), (0.52, 0.1, FLAME_INNER)):
        w, h = width * scale, height * scale
        top = cy + height / 2 - height * lift - h
        draw.polygon([(px(cx - w / 2 + x * w), px(top + y * h)) for x, y in outline], fill=colour)
    canvas.paste(layer)


def snowflake(canvas: Canvas, cx: float, cy: float, radius: float) -> None:
    """Cooling: a six-armed snowflake with round line ends."""
    layer, draw = canvas.layer()
    px = canvas.px
    width = radius * 0.17

    def stroke(x0: float, y0: float, x1: float, y1: float) -> None:
        draw.line((px(x0), px(y0), px(x1), px(y1)), fill=SNOW, width=round(px(width)))
        for x, y in ((x0, y0), (x1, y1)):
            half = width / 2
            draw.ellipse((px(x - half), px(y - half), px(x + half), px(y + half)), fill=SNOW)

    for arm in range(6):
        angle = math.pi / 2 + arm * math.pi / 3
        dx, dy = math.cos(angle), -math.sin(angle)
        stroke(cx, cy, cx + dx * radius, cy + dy * radius)
        # A V-shaped branch on each arm.
        bx, by = cx + dx * radius * 0.55, cy + dy * radius * 0.55
        for side in (-1, 1):
            branch = angle + side * math.pi / 4
            stroke(
                bx, by, bx + math.cos(branch) * radius * 0.36, by - math.sin(branch) * radius * 0.36
            )
    canvas.paste(layer)


def draw_icon(size: int) -> Image.Image:
    """The square icon at ``size`` pixels, drawn at 4x and scaled down."""
    canvas = Canvas(size * SUPERSAMPLE)
    background = vertical_gradient(canvas.size, BACKGROUND_TOP, BACKGROUND_BOTTOM)
    canvas.image.paste(background, (0, 0), rounded_square_mask(canvas.size, canvas.px(0.22)))
    thermometer(canvas, cx=0.44, top=0.15, bulb_y=0.7)
    flame(canvas, cx=0.735, cy=0.30, height=0.23)
    snowflake(canvas, cx=0.73, cy=0.66, radius=0.105)
    return canvas.image.resize((size, size), Image.Resampling.LANCZOS)


def draw_logo(height: int, *, dark: bool) -> Image.Image:
    """The icon followed by the name on two lines; trimmed to its content.

    The lettering is drawn at 4x and scaled down on its own, then the icon (already
    anti-aliased at the final size) is placed beside it.
    """
    scale = height / 128
    big = SUPERSAMPLE * scale
    stroke = round(1.6 * big)  # a stroke in the text colour turns the regular font semi-bold
    title_font = ImageFont.load_default(size=round(46 * big))
    subtitle_font = ImageFont.load_default(size=round(40 * big))
    title, subtitle = "SwitchBot", "Automation"
    title_box = title_font.getbbox(title, stroke_width=stroke)
    subtitle_box = subtitle_font.getbbox(subtitle)
    text = Image.new(
        "RGBA",
        (math.ceil(max(title_box[2], subtitle_box[2])) + stroke, round(128 * big)),
        (0, 0, 0, 0),
    )
    draw = ImageDraw.Draw(text)
    main_colour = TEXT_DARK_THEME if dark else TEXT_LIGHT_THEME
    draw.text(
        (0, round(18 * big) - title_box[1]),
        title,
        font=title_font,
        fill=main_colour,
        stroke_width=stroke,
        stroke_fill=main_colour,
    )
    draw.text(
        (0, round(72 * big) - subtitle_box[1]),
        subtitle,
        font=subtitle_font,
        fill=TEXT_DARK_THEME_SUB if dark else TEXT_LIGHT_THEME_SUB,
    )
    bbox = text.getbbox()
    if bbox is not None:
        text = text.crop((0, 0, bbox[2], text.height))
    text = text.resize((math.ceil(text.width / SUPERSAMPLE), height), Image.Resampling.LANCZOS)

    gap = round(22 * scale)
    logo = Image.new("RGBA", (height + gap + text.width, height), (0, 0, 0, 0))
    logo.paste(draw_icon(height), (0, 0))
    logo.alpha_composite(text, (height + gap, 0))
    return logo


def save(image: Image.Image, path: Path) -> None:
    """Write an optimised PNG (no timestamps, so the bytes only depend on the drawing)."""
    image.save(path, format="PNG", optimize=True)
    print(f"wrote {path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path}")


def main() -> None:
    """Draw every brand image into the output folder."""
    parser = argparse.ArgumentParser(description="Draw the integration's brand images.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    out: Path = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    save(draw_icon(256), out / "icon.png")
    save(draw_icon(512), out / "icon@2x.png")
    for prefix, dark in (("", False), ("dark_", True)):
        save(draw_logo(128, dark=dark), out / f"{prefix}logo.png")
        save(draw_logo(256, dark=dark), out / f"{prefix}logo@2x.png")


if __name__ == "__main__":
    main()
