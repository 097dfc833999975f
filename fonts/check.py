#!/usr/bin/env python3
"""Verify the vendored fonts: static, outline (not colour bitmap), features, coverage.

Usage: pip install fonttools && python3 fonts/check.py
Exits non-zero if a font misses something its role needs.
"""
import os
import sys

from fontTools.ttLib import TTFont

HERE = os.path.dirname(os.path.abspath(__file__))

# file -> (role, features that must exist, characters that must be covered)
PUNCT = "\u201c\u201d\u2018\u2019\u2013\u2014\u2026\u00d7\u00a0"
LATIN1 = "".join(chr(c) for c in range(0xC0, 0x100))
LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
FONTS = {
    "eb-garamond/EBGaramond-Regular.ttf": ("body regular", {"kern", "liga"}, LATIN + PUNCT + LATIN1),
    "eb-garamond/EBGaramond-Italic.ttf": ("body italic", {"kern", "liga"}, LATIN + PUNCT + LATIN1),
    "eb-garamond/EBGaramond-Bold.ttf": ("body bold", {"kern", "liga"}, LATIN + PUNCT + LATIN1),
    "eb-garamond/EBGaramond-BoldItalic.ttf": ("body bold italic", {"kern", "liga"}, LATIN + PUNCT + LATIN1),
    "source-sans-3/SourceSans3-Regular.ttf": ("heading sans regular", {"kern", "liga"}, LATIN + PUNCT + LATIN1),
    "source-sans-3/SourceSans3-Bold.ttf": ("heading sans bold", {"kern", "liga"}, LATIN + PUNCT + LATIN1),
    "jetbrains-mono/JetBrainsMono-Regular.ttf": ("code regular", set(), LATIN + PUNCT + LATIN1 + "{}[]<>|~`\\"),
    "jetbrains-mono/JetBrainsMono-Bold.ttf": ("code bold", set(), LATIN + PUNCT + LATIN1 + "{}[]<>|~`\\"),
    "dejavu/DejaVuSans.ttf": ("fallback symbols", set(), "\u2190\u2192\u2191\u2193\u21d2\u2713\u2717\u26a0\u2500\u2502\u2212\u2264\u2265\u2260\u221e"),
    "noto-emoji/NotoEmoji-Regular.ttf": ("fallback emoji (monochrome)", set(), "\U0001F4DD\U0001F600\U0001F44D\U0001F680\u2764"),
}
SHOW = {
    "\u2190": "\u2190", "\u2192": "\u2192", "\U0001F4DD": "U+1F4DD",
    "\u201c": "\u201c", "\u201d": "\u201d", "\u2019": "\u2019", "\u2014": "\u2014",
    "\u2026": "\u2026", "\u00d7": "\u00d7",
}


def features(font, tag):
    if tag not in font or not font[tag].table.FeatureList:
        return set()
    return {r.FeatureTag for r in font[tag].table.FeatureList.FeatureRecord}


def main():
    bad = 0
    total = 0
    for rel, (role, need_feats, need_chars) in FONTS.items():
        path = os.path.join(HERE, rel)
        size = os.path.getsize(path)
        total += size
        f = TTFont(path)
        cmap = f.getBestCmap()
        outline = "glyf" if "glyf" in f else "CFF2" if "CFF2" in f else "CFF" if "CFF " in f else "none"
        problems = []
        if "fvar" in f:
            problems.append("variable font")
        if outline == "none":
            problems.append("no outlines")
        colour = [t for t in ("CBDT", "CBLC", "sbix", "COLR", "SVG ") if t in f]
        if colour:
            problems.append("colour tables " + ",".join(colour))
        if f["OS/2"].fsType & 0x2:
            problems.append("restricted-licence embedding (fsType)")
        feats = features(f, "GPOS") | features(f, "GSUB")
        missing_feats = need_feats - feats
        if missing_feats:
            problems.append("missing features " + ",".join(sorted(missing_feats)))
        missing = [c for c in need_chars if ord(c) not in cmap]
        if missing:
            problems.append("missing chars " + " ".join("U+%04X" % ord(c) for c in missing))
        covers = " ".join(v for k, v in SHOW.items() if ord(k) in cmap)
        latin1 = sum(ord(c) in cmap for c in LATIN1)
        print(f"{rel:42} {size:>8} B  {role:28} {outline:4} glyphs={f['maxp'].numGlyphs:<5} "
              f"ver={f['name'].getDebugName(5).split(';')[0]}  kern={'kern' in feats} liga={'liga' in feats} "
              f"latin1={latin1}/64  covers: {covers}")
        for p in problems:
            print(f"    PROBLEM: {p}")
        bad += bool(problems)
    print(f"total font bytes: {total} ({total / 1e6:.2f} MB)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
