"""The tray icon's look, drawn with Pillow so no image files ship: one picture per state.

Colour says what automation does (green: auto-reply on, grey: off, amber:
paused); a hollow ring instead of a filled disc says the browser extension is
not connected; a red badge counts conversations waiting for a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

SIZE = 64
GREEN = (46, 157, 87, 255)
GREY = (128, 134, 142, 255)
AMBER = (224, 161, 0, 255)
RED = (214, 48, 49, 255)
WHITE = (255, 255, 255, 255)


@dataclass(frozen=True, slots=True)
class IconState:
    """Everything the picture depends on; equal states draw equal pictures."""

    auto: bool
    paused: bool
    connected: bool
    escalations: int

    def key(self) -> tuple[bool, bool, bool, int]:
        """Cache key: badge counts above nine all look like "9+"."""
        return (self.auto, self.paused, self.connected, min(self.escalations, 10))


def _colour(state: IconState) -> tuple[int, int, int, int]:
    if state.paused:
        return AMBER
    return GREEN if state.auto else GREY


def _badge_font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def draw(state: IconState) -> Image.Image:
    """A 64x64 RGBA picture of the state."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    colour = _colour(state)
    box = (4, 4, SIZE - 4, SIZE - 4)
    if state.connected:
        pen.ellipse(box, fill=colour)
        bubble = WHITE
    else:
        pen.ellipse(box, outline=colour, width=7)
        bubble = colour
    # a speech bubble: the product is about chat
    pen.rounded_rectangle((18, 20, 46, 38), radius=5, fill=bubble)
    pen.polygon([(24, 37), (24, 46), (32, 37)], fill=bubble)
    if state.paused:
        pen.rectangle((26, 24, 29, 34), fill=colour if state.connected else WHITE)
        pen.rectangle((35, 24, 38, 34), fill=colour if state.connected else WHITE)
    if state.escalations > 0:
        text = "9+" if state.escalations > 9 else str(state.escalations)
        pen.ellipse((SIZE - 30, 0, SIZE, 30), fill=RED, outline=WHITE, width=2)
        pen.text((SIZE - 15, 15), text, fill=WHITE, font=_badge_font(18), anchor="mm")
    return image


class IconCache:
    """Draws each state once; the tray refreshes often and most refreshes change nothing."""

    def __init__(self) -> None:
        self._images: dict[tuple[bool, bool, bool, int], Image.Image] = {}

    def get(self, state: IconState) -> Image.Image:
        key = state.key()
        if key not in self._images:
            self._images[key] = draw(state)
        return self._images[key]
