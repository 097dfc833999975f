#!/usr/bin/env python3
"""folio's own check of the dark palette: opens an EPUB's spine documents in apt's chromium
(through Playwright) with `prefers-color-scheme: dark`, as reading systems that honour it do,
and prints one JSON line: {"docs": n, "low": count of text elements under 4.5:1 against
their own background, "samples": [...]}.
Usage: dark_scheme_check.py BOOK.epub
Needs: `apt-get install -y chromium` and `pip install playwright` (no browser download)."""
import json, os, re, sys, tempfile, zipfile
from playwright.sync_api import sync_playwright

# The contrast of every element with its own text against the nearest background set
# on it or an ancestor; the page itself is the dark canvas a reader in dark mode shows.
JS = r"""
() => {
  const parse = c => { const m = c.match(/[\d.]+/g); if (!m) return null;
    const [r, g, b, a] = m.map(Number); return (a === 0) ? null : [r, g, b]; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c) return c; }
    return [18, 18, 18]; };
  let low = 0, samples = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const fg = parse(getComputedStyle(el).color); if (!fg) continue;
    const a = lum(fg), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) { low++; if (samples.length < 3) samples.push(el.tagName + '.' + el.className + ' ' + ratio.toFixed(2)); }
  }
  return {low, samples};
}
"""

def main(epub):
    d = tempfile.mkdtemp(prefix="dark-")
    zipfile.ZipFile(epub).extractall(d)
    cont = open(os.path.join(d, "META-INF", "container.xml"), encoding="utf-8").read()
    opf = re.search(r'full-path="([^"]+)"', cont).group(1)
    o = open(os.path.join(d, opf), encoding="utf-8").read()
    items = {m.group(1): m.group(2) for m in re.finditer(r'<item\b[^>]*\bid="([^"]+)"[^>]*\bhref="([^"]+)"', o)}
    items.update({m.group(2): m.group(1) for m in re.finditer(r'<item\b[^>]*\bhref="([^"]+)"[^>]*\bid="([^"]+)"', o)})
    spine = [items[m.group(1)] for m in re.finditer(r'<itemref\b[^>]*\bidref="([^"]+)"', o) if m.group(1) in items]
    base = os.path.dirname(os.path.join(d, opf))
    res = {"docs": 0, "low": 0, "samples": []}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        pg = b.new_page(viewport={"width": 600, "height": 900}, color_scheme="dark")
        for href in spine:
            pg.goto("file://" + os.path.join(base, href))
            # A reader in dark mode paints its own dark page and light text.
            pg.add_style_tag(content="html, body { background: #121212; color: #e8e8e8; }")
            r = pg.evaluate(JS)
            res["docs"] += 1
            res["low"] += r["low"]
            if r["samples"] and len(res["samples"]) < 6:
                res["samples"].append(href + ": " + "; ".join(r["samples"]))
        b.close()
    print(json.dumps(res))

if __name__ == "__main__":
    main(sys.argv[1])
