#!/usr/bin/env python3
# Copied from the project's shared tools (../shared/tools), this line added, so the tests carry it.
"""Run Ace by DAISY (the publishing industry's EPUB accessibility checker) on one EPUB and
print one JSON line: {"ran": bool, "outcome": ..., "violations": {"impact": count},
"rules": {"rule (impact)": count}}.
Needs: npm i -g @daisy/ace with ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1,
and apt's chromium; runs `ace-puppeteer` with PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium."""
import collections, json, os, shutil, subprocess, sys, tempfile

def main(epub):
    exe = shutil.which("ace-puppeteer") or shutil.which("ace")
    if not exe or not os.path.exists("/usr/bin/chromium"):
        print(json.dumps({"ran": False, "why": "ace-puppeteer or chromium missing"}))
        return
    out = tempfile.mkdtemp(prefix="ace-")
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH="/usr/bin/chromium")
    r = subprocess.run([exe, "-f", "-s", "-o", out, epub], capture_output=True, text=True, env=env, timeout=900)
    rp = os.path.join(out, "report.json")
    if not os.path.exists(rp):
        print(json.dumps({"ran": False, "why": (r.stderr or r.stdout).strip()[-200:]}))
        return
    rep = json.load(open(rp))
    imp, rules = collections.Counter(), collections.Counter()
    for a in rep.get("assertions", []):
        for b in a.get("assertions", []):
            t = b["earl:test"]
            imp[t["earl:impact"]] += 1
            rules[f"{t['dct:title']} ({t['earl:impact']})"] += 1
    shutil.rmtree(out, ignore_errors=True)
    print(json.dumps({"ran": True, "outcome": rep["earl:result"]["earl:outcome"], "violations": dict(imp), "rules": dict(rules)}))

if __name__ == "__main__":
    main(sys.argv[1])
