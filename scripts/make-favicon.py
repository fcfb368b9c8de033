"""Draw the portal's icon: three white bars rising on the red of the header (a ranking).

Writes static/img/favicon.svg and static/img/favicon.ico (16, 32 and 48 pixels, each drawn
on whole pixels rather than scaled down, so the bars stay sharp at 16). Run it again after
changing the drawing: python scripts/make-favicon.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

RED = "#b3121d"  # --accent of static/css/portal.css
WHITE = "#ffffff"
GRID = 16  # the drawing is on a 16 × 16 grid
CORNER = 2
BARS = [(3, 9), (7, 6), (11, 3)]  # (left, top) of each bar, 2 wide, down to 13
BAR_WIDTH, BAR_BOTTOM = 2, 13
STATIC = Path(__file__).resolve().parent.parent / "static" / "img"


def svg():
    bars = "".join(
        f'<rect x="{x}" y="{top}" width="{BAR_WIDTH}" height="{BAR_BOTTOM - top}" fill="{WHITE}"/>'
        for x, top in BARS
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">'
        f'<rect width="{GRID}" height="{GRID}" rx="{CORNER}" fill="{RED}"/>{bars}</svg>\n'
    )


def bitmap(scale):
    size = GRID * scale
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=CORNER * scale, fill=RED)
    for x, top in BARS:
        draw.rectangle(
            (x * scale, top * scale, (x + BAR_WIDTH) * scale - 1, BAR_BOTTOM * scale - 1),
            fill=WHITE,
        )
    return image


def main():
    STATIC.mkdir(parents=True, exist_ok=True)
    (STATIC / "favicon.svg").write_text(svg(), encoding="utf-8")
    images = [bitmap(scale) for scale in (1, 2, 3)]
    images[-1].save(
        STATIC / "favicon.ico",
        format="ICO",
        sizes=[image.size for image in images],
        append_images=images[:-1],
    )
    print("wrote static/img/favicon.svg and static/img/favicon.ico")


if __name__ == "__main__":
    main()
