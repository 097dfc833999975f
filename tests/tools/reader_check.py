#!/usr/bin/env python3
# Copied from the project's shared tools (../shared/tools), this line added, so the tests carry it.
"""Open an EPUB's spine documents in a real browser engine (apt's chromium through
Playwright) the way a reading system shows them, and print one JSON line:
  overflow_docs: documents wider than a 600 px column (an image or table that does not fit)
  code_ratio_min: smallest computed font size of code/pre text over the body text size
  night_low_contrast: text elements below 3:1 contrast when the reader forces a dark theme
                      (html/body black background, light text; the book's own colours kept)
  day_low_contrast: the same on the book's own colours
Usage: reader_check.py BOOK.epub [MAX_DOCS]
Needs: `apt-get install -y chromium` and `pip install playwright` (no browser download:
it drives apt's /usr/bin/chromium)."""
import json, os, re, sys, tempfile, zipfile
from playwright.sync_api import sync_playwright

JS = r"""
() => {
  const lum = c => { const m = c.match(/[\d.]+/g); if (!m) return null;
    const [r,g,b,a] = m.map(Number); if (a === 0) return null;
    const f = v => { v/=255; return v <= 0.03928 ? v/12.92 : Math.pow((v+0.055)/1.055, 2.4); };
    return 0.2126*f(r) + 0.7152*f(g) + 0.0722*f(b); };
  const bgOf = el => { for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor; const l = lum(c); if (l !== null) return l; }
    return lum(getComputedStyle(document.body).backgroundColor) ?? 1; };
  let low = 0, samples = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const fg = lum(getComputedStyle(el).color); if (fg === null) continue;
    const bg = bgOf(el); const ratio = (Math.max(fg,bg)+0.05)/(Math.min(fg,bg)+0.05);
    if (ratio < 3) { low++; if (samples.length < 3) samples.push(el.tagName + '.' + el.className + ' ' + ratio.toFixed(2)); }
  }
  const p = document.querySelector('p'); const body = parseFloat(getComputedStyle(p || document.body).fontSize);
  let codeMin = null;
  for (const el of document.querySelectorAll('code, pre, kbd, samp')) {
    const r = parseFloat(getComputedStyle(el).fontSize) / body; if (codeMin === null || r < codeMin) codeMin = r; }
  const w = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  return {overflow: w > window.innerWidth + 1, width: w, low, samples, codeMin};
}
"""

def main(epub, max_docs=400):
    d = tempfile.mkdtemp(prefix="reader-")
    z = zipfile.ZipFile(epub)
    z.extractall(d)
    cont = open(os.path.join(d, "META-INF", "container.xml"), encoding="utf-8").read()
    opf = re.search(r'full-path="([^"]+)"', cont).group(1)
    o = open(os.path.join(d, opf), encoding="utf-8").read()
    items = {m.group(1): m.group(2) for m in re.finditer(r'<item\b[^>]*\bid="([^"]+)"[^>]*\bhref="([^"]+)"', o)}
    items.update({m.group(2): m.group(1) for m in re.finditer(r'<item\b[^>]*\bhref="([^"]+)"[^>]*\bid="([^"]+)"', o)})
    spine = [items[m.group(1)] for m in re.finditer(r'<itemref\b[^>]*\bidref="([^"]+)"', o) if m.group(1) in items]
    base = os.path.dirname(os.path.join(d, opf))
    res = {"docs": 0, "overflow_docs": [], "code_ratio_min": None, "night_low_contrast": 0, "day_low_contrast": 0, "samples": []}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        pg = b.new_page(viewport={"width": 600, "height": 900})
        for href in spine[:max_docs]:
            url = "file://" + os.path.join(base, href)
            res["docs"] += 1
            pg.goto(url)
            day = pg.evaluate(JS)
            pg.add_style_tag(content="html, body { background: #000 !important; color: #eee !important; }")
            night = pg.evaluate(JS)
            if day["overflow"]:
                res["overflow_docs"].append(f"{href} ({day['width']}px)")
            res["day_low_contrast"] += day["low"]
            res["night_low_contrast"] += night["low"]
            if night["samples"] and len(res["samples"]) < 6:
                res["samples"].append(href + ": " + "; ".join(night["samples"]))
            if day["codeMin"] is not None:
                res["code_ratio_min"] = day["codeMin"] if res["code_ratio_min"] is None else min(res["code_ratio_min"], day["codeMin"])
        b.close()
    print(json.dumps(res))

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 400)
