"""A site's own look from ``site.yml`` (``brand:``): colours, logo and footer text.

The theme's stylesheet draws everything with CSS custom properties; ``brand_css`` writes the
ones a site sets (``assets/brand.css``, linked after ``site.css``): the primary colour, two
shades made from it, the link colour, and the accent (focus ring, skip link). Before that,
``check_colours`` measures every pair of colours the theme draws with these settings
against WCAG 2.2 AA contrast (4.5:1 for text, 3:1 for the focus ring against the header) and
suggests the nearest shade that passes. ``logo_asset`` reads the logo (SVG or PNG, inside
the site) and refuses an SVG that could run code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: colours of the theme (``site.css``) that a brand does not change
WHITE = "#ffffff"
INK = "#1b1f23"
WASH = "#f3f7f8"
TEXT, NON_TEXT = 4.5, 3.0
LOGO_MAX_BYTES = 512 * 1024
_SVG_DANGER = re.compile(
    r"<\s*script|<\s*foreignObject|\son[a-z]+\s*=|javascript:|<!ENTITY|"
    r"(?:href|src)\s*=\s*[\"']\s*(?:https?:|//|data:)",
    re.I,
)

RGB = tuple[float, float, float]


def parse(colour: str) -> RGB:
    """``#rgb`` or ``#rrggbb`` as three 0..255 numbers."""
    h = colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


def to_hex(rgb: RGB) -> str:
    """Three 0..255 numbers as ``#rrggbb``."""
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def mix(colour: str, other: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0..1) of the way towards ``other``."""
    a, b = parse(colour), parse(other)
    return to_hex(tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.2 definition)."""

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in parse(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass(frozen=True)
class Palette:
    """Every colour the theme takes from the brand settings."""

    primary: str
    accent: str

    @property
    def dark(self) -> str:
        """The menu bar and button hover: the primary colour, darker."""
        return mix(self.primary, "#000000", 0.3)

    @property
    def wash(self) -> str:
        """Light backgrounds (home page banner, contact box): the primary colour, faint."""
        return mix(self.primary, WHITE, 0.88)

    @property
    def link(self) -> str:
        """Links: the primary colour, a little darker."""
        return mix(self.primary, "#000000", 0.12)


@dataclass(frozen=True)
class Pair:
    """Two colours the theme draws together, and what a reader sees there."""

    setting: str  # "primary" or "accent": the setting to change when the pair fails
    what: str  # plain words
    fg: Callable[[Palette], str]
    bg: Callable[[Palette], str]
    minimum: float


PAIRS: tuple[Pair, ...] = (
    Pair("primary", "white text on the header and buttons", lambda p: WHITE,
         lambda p: p.primary, TEXT),
    Pair("primary", "white text on the menu bar", lambda p: WHITE, lambda p: p.dark, TEXT),
    Pair("primary", "links on the white page", lambda p: p.link, lambda p: WHITE, TEXT),
    Pair("primary", "links in the footer", lambda p: p.link, lambda p: WASH, TEXT),
    Pair("primary", "links in the contact box", lambda p: p.link, lambda p: p.wash, TEXT),
    Pair("primary", "text in the contact box", lambda p: INK, lambda p: p.wash, TEXT),
    Pair("accent", "dark text on the skip link", lambda p: INK, lambda p: p.accent, TEXT),
    Pair("accent", "the focus ring on the header", lambda p: p.accent, lambda p: p.primary,
         NON_TEXT),
)  # fmt: skip


@dataclass(frozen=True)
class Failure:
    """A pair of colours without enough contrast, and a shade of the setting that passes."""

    pair: Pair
    fg: str
    bg: str
    ratio: float
    suggestion: str | None
    #: an accent colour to use with the suggested primary one, when the accent must change too
    also_accent: str | None = None
    #: True when the suggested primary colour fixes this accent pair by itself
    fixed_by_primary: bool = False


def failures(palette: Palette, setting: str | None = None) -> list[tuple[Pair, float]]:
    """The pairs (of one setting, or all) below their minimum, with their ratios."""
    out = []
    for pair in PAIRS:
        if setting is not None and pair.setting != setting:
            continue
        ratio = contrast(pair.fg(palette), pair.bg(palette))
        if ratio < pair.minimum - 1e-9:
            out.append((pair, ratio))
    return out


def _with(palette: Palette, setting: str, colour: str) -> Palette:
    if setting == "primary":
        return Palette(colour, palette.accent)
    return Palette(palette.primary, colour)


def suggest(palette: Palette, setting: str) -> str | None:
    """The nearest darker or lighter shade of ``setting``'s colour with which all of its
    pairs pass (in steps of 1% towards black or white), or None."""
    colour = getattr(palette, setting)
    for step in range(1, 101):
        for target in ("#000000", WHITE):
            candidate = mix(colour, target, step / 100)
            if not failures(_with(palette, setting, candidate), setting):
                return candidate
    return None


def check_colours(primary: str, accent: str) -> list[Failure]:
    """Every failing pair of the theme with these colours, each with a suggested shade of
    its setting. The primary colour's shade is found first; the accent's is found against
    that shade, so taking every suggestion at once passes. When only the suggested primary
    would make the accent fail, the primary's failures also name an accent that goes with it.
    """
    palette = Palette(to_hex(parse(primary)), to_hex(parse(accent)))
    found = failures(palette)
    if not found:
        return []
    fixed_primary = palette.primary
    if any(pair.setting == "primary" for pair, _ in found):
        fixed_primary = suggest(palette, "primary") or palette.primary
    against = Palette(fixed_primary, palette.accent)
    fixed_accent = palette.accent
    if failures(against, "accent"):
        fixed_accent = suggest(against, "accent") or palette.accent
    shades = {"primary": fixed_primary, "accent": fixed_accent}
    out = []
    for pair, ratio in found:
        shade: str | None = shades[pair.setting]
        if shade == getattr(palette, pair.setting):
            shade = None
        also = None
        if pair.setting == "primary" and fixed_accent != palette.accent:
            also = fixed_accent
        by_primary = shade is None and fixed_primary != palette.primary
        out.append(
            Failure(pair, pair.fg(palette), pair.bg(palette), ratio, shade, also, by_primary)
        )
    return out


def colour_problems(primary: str, accent: str) -> list[tuple[str, str, str]]:
    """One ``(setting, message, hint)`` per brand colour with failing pairs, in plain words:
    each pair with its ratio and the minimum, then the shade to use instead."""
    found = check_colours(primary, accent)
    out = []
    for setting, value in (("primary", primary), ("accent", accent)):
        mine = [f for f in found if f.pair.setting == setting]
        if not mine:
            continue
        pairs = "; ".join(
            f"{f.pair.what}: {f.ratio:.2f} to 1 ({f.fg} on {f.bg}), needs {f.pair.minimum:g} to 1"
            for f in mine
        )
        message = (
            f'brand.{setting}: "{value}" does not stand out enough for everyone to see '
            f"(WCAG 2.2 AA contrast): {pairs}"
        )
        first = mine[0]
        if first.fixed_by_primary:
            hint = "the shade suggested for brand.primary fixes this too"
        elif first.suggestion is None:
            hint = "choose a much darker or lighter colour"
        else:
            hint = f'try "{first.suggestion}", the nearest shade of it that passes'
            if first.also_accent:
                hint += f', with accent "{first.also_accent}"'
            elif setting == "accent" and any(f.pair.setting == "primary" for f in found):
                hint += " with the primary colour suggested for brand.primary"
        out.append((setting, message, hint))
    return out


def brand_css(primary: str, accent: str) -> bytes:
    """``assets/brand.css``: the theme's custom properties for these colours."""
    p = Palette(to_hex(parse(primary)), to_hex(parse(accent)))
    return (
        "/* Made by sitegen from the brand: settings in site.yml; edit those, not this file. */\n"
        ":root {\n"
        f"  --brand: {p.primary};\n"
        f"  --brand-dark: {p.dark};\n"
        f"  --brand-wash: {p.wash};\n"
        f"  --link: {p.link};\n"
        f"  --focus: {p.accent};\n"
        "}\n"
    ).encode("ascii")


def brand_assets(root: Path, primary: str, accent: str, logo: str | None) -> dict[str, bytes]:
    """The files a brand adds under ``assets/``: ``brand.css`` and the logo (when set and
    usable; ``site.yml`` checks report why not)."""
    files = {"assets/brand.css": brand_css(primary, accent)}
    if logo and logo_problem(root, logo) is None:
        files["assets/" + logo_name(logo)] = (root / logo).read_bytes()
    return files


def logo_name(logo: str) -> str:
    """The logo's name under ``assets/``: ``logo.svg`` or ``logo.png``."""
    return "logo" + Path(logo).suffix.lower()


def logo_problem(root: Path, logo: str) -> str | None:
    """Why the logo file cannot be used (plain words), or None when it can."""
    rel = Path(logo)
    if rel.is_absolute() or ".." in rel.parts:
        return f'brand.logo: "{logo}" must be a file inside the site folder'
    if rel.suffix.lower() not in (".svg", ".png"):
        return f'brand.logo: "{logo}" must be an SVG or PNG file (.svg or .png)'
    path = root / rel
    if path.is_symlink() or not path.is_file():
        return f'brand.logo: there is no file "{logo}" in the site folder'
    data = path.read_bytes()
    if len(data) > LOGO_MAX_BYTES:
        return f'brand.logo: "{logo}" is {len(data) // 1024} KB; a logo must be 512 KB at most'
    if rel.suffix.lower() == ".png":
        if not data.startswith(b"\x89PNG\r\n\x1a\n"):
            return f'brand.logo: "{logo}" is not a PNG image'
        return None
    text = data.decode("utf-8", "replace")
    if "<svg" not in text[:4096]:
        return f'brand.logo: "{logo}" is not an SVG image'
    if _SVG_DANGER.search(text):
        return (
            f'brand.logo: "{logo}" has a script, event handler or link to another site; '
            "save it as a plain SVG without them"
        )
    return None
