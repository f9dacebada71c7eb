#!/usr/bin/env python3
"""Open a report.html in headless Chromium and check that it renders as intended.

Drives Debian's Chromium over the DevTools protocol (websocket-client from PyPI) and checks,
in the browser, what a static check of the file cannot:

- the page loads with no request but the page itself (nothing fetched), no console error
  and no Content-Security-Policy violation;
- at 1280 px the page does not overflow sideways (wide tables scroll in their own box);
- every chart (inline SVG) is laid out with a non-zero size;
- every article shows one mark per hit of hits.csv that is drawn (frames and scare quotes
  are counted, not marked), each with a hover text naming the lexicon entry, and the browser
  nested the marks where the page put them (the counts are taken from the browser's DOM);
- the styles apply: advocacy and neutral hits have their colours, removed page chrome is
  struck through, quotations are in italics.

Usage: check_report_html.py REPORT_DIR [--chromium PATH] [--screenshot PNG]
REPORT_DIR holds report.html and the hits.csv of the same run. Exit status 0 when every
check passes, 1 otherwise (each failure is printed).
"""

import argparse
import base64
import csv
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # websocket-client


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="framescope-chromium-")
        self.port = free_port()
        # The flags keep Chromium from reaching out to the network on its own (closed here).
        self.proc = subprocess.Popen(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--window-size=1280,900",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={self.port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 30
        targets = None
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=2) as r:
                    targets = json.load(r)
                if any(t.get("type") == "page" for t in targets):
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            self.close()
            raise SystemExit(f"Chromium ({chromium}) did not open its DevTools port in 30 s")
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_for(self, event, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any(e["method"] == event for e in self.events):
                return
            msg = json.loads(self.ws.recv())
            if "method" in msg:
                self.events.append(msg)
        raise RuntimeError(f"no {event} within {timeout} s")

    def js(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def expected_marks(hits_csv):
    counts = {}
    with open(hits_csv, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lex = row["lexicon"]
            if lex.startswith("frames.") or lex == "advocacy.scare_quotes":
                continue
            counts[row["article_id"]] = counts.get(row["article_id"], 0) + 1
    return counts


PAGE_FACTS = r"""
(() => {
  const articles = [...document.querySelectorAll('article.doc')].map(a => {
    const marks = [...a.querySelectorAll('mark.hit')];
    return {
      id: a.dataset.id,
      declared: Number(a.dataset.hits),
      distinct: new Set(marks.map(m => m.dataset.hit)).size,
      untitled: marks.filter(m => !(m.title || '').includes('entry \u201c')).length,
      textHeight: a.querySelector('div.text').getBoundingClientRect().height,
    };
  });
  const svgs = [...document.querySelectorAll('svg')].map(s => {
    const r = s.getBoundingClientRect();
    return [r.width, r.height];
  });
  const style = (sel, prop) => {
    const el = document.querySelector(sel);
    return el ? getComputedStyle(el)[prop] : null;
  };
  return {
    title: document.title,
    ready: document.readyState,
    scrollWidth: document.documentElement.scrollWidth,
    // the outermost elements that stick out on the right, to say where an overflow is
    wide: [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
      .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
      .slice(0, 5)
      .map(e => `${e.tagName.toLowerCase()}.${e.className} in #${(e.closest('section') || {}).id}`),
    innerWidth: window.innerWidth,
    sections: [...document.querySelectorAll('section[id]')].map(s => s.id),
    articles,
    svgs,
    advBg: style('mark.hit.adv', 'backgroundColor'),
    neuBg: style('mark.hit.neu', 'backgroundColor'),
    removed: style('del.removed', 'textDecorationLine'),
    quote: style('span.quote', 'fontStyle'),
  };
})()
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("report_dir", type=pathlib.Path)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument("--screenshot", type=pathlib.Path, help="save a PNG of the top of the page here")
    args = ap.parse_args()
    page = (args.report_dir / "report.html").resolve()
    hits = args.report_dir / "hits.csv"
    for p in (page, hits):
        if not p.is_file():
            raise SystemExit(f"{p}: not found (run `framescope analyze ... --report-html` first)")
    url = page.as_uri()
    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    b = Browser(args.chromium)
    try:
        b.call("Network.enable")
        b.call("Page.enable")
        b.call("Runtime.enable")
        b.call("Log.enable")
        b.events.clear()
        b.call("Page.navigate", url=url)
        b.wait_for("Page.loadEventFired")
        facts = b.js(PAGE_FACTS)
        requests = [e["params"]["request"]["url"] for e in b.events if e["method"] == "Network.requestWillBeSent"]
        errors = [
            e["params"]["entry"].get("text", "")
            for e in b.events
            if e["method"] == "Log.entryAdded" and e["params"]["entry"].get("level") == "error"
        ] + [
            str(e["params"]["exceptionDetails"].get("text"))
            for e in b.events
            if e["method"] == "Runtime.exceptionThrown"
        ] + [
            e["params"]["args"][0].get("value", "")
            for e in b.events
            if e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] == "error"
        ]
        if args.screenshot:
            shot = b.call(
                "Page.captureScreenshot",
                format="png",
                clip={"x": 0, "y": 0, "width": 1280, "height": 1700, "scale": 1},
                captureBeyondViewport=True,
            )
            args.screenshot.write_bytes(base64.b64decode(shot["data"]))
            print(f"screenshot: {args.screenshot}")
    finally:
        b.close()

    check(facts["ready"] == "complete", f"the page loaded (readyState {facts['ready']})")
    check(facts["title"].startswith("framescope report"), f"title: {facts['title']!r}")
    check(requests == [url], f"no request but the page itself: {requests}")
    check(not errors, f"no console error or policy violation: {errors}")
    check(
        facts["scrollWidth"] <= facts["innerWidth"],
        f"no sideways overflow at {facts['innerWidth']} px (content {facts['scrollWidth']} px; {facts['wide']})",
    )
    wanted = ["scorecard", "indices", "attribution", "terms", "frames", "differences", "articles"]
    check(all(s in facts["sections"] for s in wanted), f"every section: {facts['sections']}")
    check(
        len(facts["svgs"]) >= 5 and all(w > 0 and h > 0 for w, h in facts["svgs"]),
        f"{len(facts['svgs'])} charts, each laid out with a size",
    )
    expected = expected_marks(hits)
    check(len(facts["articles"]) > 0, f"{len(facts['articles'])} articles shown")
    for a in facts["articles"]:
        want = expected.get(a["id"], 0)
        check(
            a["distinct"] == want == a["declared"],
            f"article {a['id']}: {a['distinct']} hits marked in the browser, {want} drawn hits in hits.csv",
        )
        check(a["untitled"] == 0, f"article {a['id']}: every mark's hover names its entry")
        check(a["textHeight"] > 0, f"article {a['id']}: its text is laid out")
    check(facts["advBg"] == "rgb(250, 219, 216)", f"advocacy hits coloured: {facts['advBg']}")
    check(facts["neuBg"] == "rgb(213, 245, 227)", f"neutral hits coloured: {facts['neuBg']}")
    check(facts["removed"] is not None and "line-through" in facts["removed"], f"removed chrome struck through: {facts['removed']}")
    check(facts["quote"] == "italic", f"quotations in italics: {facts['quote']}")
    if failures:
        print(f"{len(failures)} checks failed", file=sys.stderr)
        return 1
    print("report.html renders as intended")
    return 0


if __name__ == "__main__":
    sys.exit(main())
