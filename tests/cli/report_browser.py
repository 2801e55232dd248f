#!/usr/bin/env python3
"""report_browser.py [--no-js] REPORT.html [SCREENSHOT.png]: opens a fathom report in
Debian's headless Chromium and drives it over the Chrome DevTools Protocol
(python3-websocket) as a person would: real mouse clicks and keys. Prints one
JSON object of what it saw, for tests/cli/report.bats and `make bench`:

  errors      console errors and uncaught exceptions
  ready, ms   the script ran; milliseconds from navigation to ready
  cells       treemap cells at the top; zoomKey, zoomOut: the zoom path after
              Enter on the largest directory's cell, then Escape; zoom,
              crumbs, zoomCells, zoomTop: after a click on it, then on the
              first breadcrumb
  nest        cells drawn inside another (nested), the deepest level
              (depth), nested cells not inside their parent's rectangle or
              path (outside), cells holding others (parents) and those whose
              name is missing or covered by what they hold (unlabelled)
  nestedDir   [path, zoom path, breadcrumbs] after a click on the first
              directory drawn inside another; nestedFile: the same for the
              first file drawn inside a directory
  colors      per colour scheme: the fills of the hidden parts of the layer
              bars (hidden), their opacity and fill-opacity, the legend's
              swatch, the layer bars' fills (bars), the treemap's (cells)
  layer       #layer-detail's text after a click on the last layer's bar
  sorted      the inefficient table's first path after one click on Path,
              then after a second
  light, dark the page's background colour in each colour scheme
  png         the screenshot's size and distinct byte values (blank: few)

With --no-js the page's scripts are off (Emulation.setScriptExecutionDisabled)
and it prints what is left: {"ready", "tables", "rows", "cells", "errors"}.

Exit status 77 when Chromium cannot start (the test skips), 2 on errors of
this script.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib

try:
    import websocket
except ImportError:
    print("python3-websocket is not installed", file=sys.stderr)
    sys.exit(77)


class Page:
    def __init__(self, ws):
        self.ws = ws
        self.n = 0
        self.events = []

    def call(self, method, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            self.events.append(msg)

    def wait(self, method, timeout=20):
        end = time.time() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                return self.events.pop(i)
        self.ws.settimeout(timeout)
        while time.time() < end:
            msg = json.loads(self.ws.recv())
            if msg.get("method") == method:
                return msg
            self.events.append(msg)
        raise RuntimeError("no " + method)

    def js(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError("%s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

    def click(self, selector):
        box = self.js("(function(){var e=document.querySelector(%s);e.scrollIntoView({block:"
                      "'center'});var r=e.getBoundingClientRect();return [r.x+r.width/2,"
                      "r.y+Math.min(r.height/2,8)];})()" % json.dumps(selector))
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1],
                      button="left", clickCount=1)

    def key(self, name, code):
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=name, code=name,
                      windowsVirtualKeyCode=code, nativeVirtualKeyCode=code)

    def errors(self):
        out = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append(p["exceptionDetails"].get("text", "exception"))
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
            elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                out.append(p["entry"].get("text", ""))
        return out


# the treemap's nesting, as "nest" above
NEST = """(function(){var o={nested:0,depth:0,outside:[],parents:0,unlabelled:[]},e=0.01;
function box(g){return g.querySelector(':scope>rect').getBBox();}
document.querySelectorAll('#treemap .cell').forEach(function(g){
var d=+g.getAttribute('data-depth'),p=g.getAttribute('data-path'),
kids=g.querySelectorAll(':scope>.cell');o.depth=Math.max(o.depth,d);
if(d){o.nested++;var a=box(g),b=box(g.parentNode),pp=g.parentNode.getAttribute('data-path');
if(a.x<b.x-e||a.y<b.y-e||a.x+a.width>b.x+b.width+e||a.y+a.height>b.y+b.height+e||
p.indexOf(pp==='/'?'/':pp+'/')!==0)o.outside.push(p);}
if(kids.length){o.parents++;var t=g.querySelector(':scope>text'),top=Infinity;
kids.forEach(function(k){top=Math.min(top,box(k).y);});
if(!t||!t.textContent||p.split('/').pop().indexOf(t.textContent)!==0||
t.getBBox().y+t.getBBox().height>top+e)o.unlabelled.push(p);}});return o;})()"""

# the computed colours, as "colors" above
COLORS = """(function(){function all(s,f){return Array.prototype.map.call(
document.querySelectorAll(s),function(e){return f(getComputedStyle(e));});}
function uniq(a){return a.filter(function(x,i){return a.indexOf(x)===i;});}
function fill(c){return c.fill;}
return {hidden:uniq(all('#layer-bars rect.hid',fill)),
hiddenOpacity:uniq(all('#layer-bars rect.hid',function(c){return c.opacity+' '+c.fillOpacity;})),
swatch:getComputedStyle(document.querySelector('.legend span')).backgroundColor,
bars:all('#layer-bars rect.bar',fill),cells:uniq(all('#treemap .cell>rect',fill))};})()"""


def png_distinct(data):
    """Distinct byte values of a PNG's decompressed image data."""
    pos, idat = 8, b""
    while pos < len(data):
        n = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    return len(set(zlib.decompress(idat)))


def main():
    args = sys.argv[1:]
    nojs = bool(args) and args[0] == "--no-js"
    if nojs:
        args = args[1:]
    report = os.path.abspath(args[0])
    shot = args[1] if len(args) > 1 else None
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium is not installed", file=sys.stderr)
        return 77
    profile = tempfile.mkdtemp(prefix="fathom-chromium-")
    proc = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                             "--remote-debugging-port=0", "--user-data-dir=" + profile,
                             "--window-size=1100,900", "--no-first-run", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        end = time.time() + 30
        while url is None and time.time() < end:
            line = proc.stderr.readline()
            if not line:
                break
            m = re.search(r"DevTools listening on (ws://\S+)", line)
            if m:
                url = m.group(1)
        if url is None:
            print("chromium did not start", file=sys.stderr)
            return 77
        port = re.search(r":(\d+)/", url).group(1)
        targets = json.load(urllib.request.urlopen("http://127.0.0.1:%s/json/list" % port))
        page = [t for t in targets if t.get("type") == "page"][0]
        # no Origin header: Chromium refuses a DevTools WebSocket whose Origin
        # it was not told to allow (--remote-allow-origins) with "403
        # Forbidden"; 150 (Debian 12's main archive) refuses even its own
        # http://127.0.0.1:PORT, which python3-websocket sends by default.
        # A request without Origin comes from no web page, and is let in.
        ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30,
                                         suppress_origin=True)
        p = Page(ws)
        for domain in ("Page", "Runtime", "Log"):
            p.call(domain + ".enable")
        if nojs:
            p.call("Emulation.setScriptExecutionDisabled", value=True)
            p.call("Page.navigate", url="file://" + report)
            p.wait("Page.loadEventFired", timeout=60)
            out = {"ready": p.js("document.documentElement.getAttribute('data-ready')"),
                   "tables": p.js("document.querySelectorAll('table').length"),
                   "rows": p.js("document.querySelectorAll('tbody tr').length"),
                   "cells": p.js("document.querySelectorAll('#treemap .cell').length"),
                   "errors": p.errors()}
            ws.close()
            print(json.dumps(out))
            return 0
        t0 = time.time()
        p.call("Page.navigate", url="file://" + report)
        p.wait("Page.loadEventFired", timeout=60)
        while p.js("document.documentElement.getAttribute('data-ready')") != "1":
            if time.time() - t0 > 60:
                break
            time.sleep(0.01)
        out = {"ms": round((time.time() - t0) * 1000)}
        out["ready"] = p.js("document.documentElement.getAttribute('data-ready')") == "1"
        out["cells"] = p.js("document.querySelectorAll('#treemap > .cell').length")
        out["nest"] = p.js(NEST)
        out["zoom0"] = p.js("document.getElementById('treemap').getAttribute('data-zoom')")
        # the largest directory: zoom into it by a click
        biggest = p.js("(function(){var D=JSON.parse(document.getElementById('data')"
                       ".textContent);var k=(D.tree[3]||[]).filter(function(c){return c[3]&&"
                       "c[3].length;});return k.length?'/'+k[0][0]:null;})()")
        out["dir"] = biggest
        if biggest is not None:
            cell = "#treemap .cell[data-path=%s]" % json.dumps(biggest)
            # the keyboard: Enter on the directory's cell, then Escape
            p.js("document.querySelector(%s).focus()" % json.dumps(cell))
            p.key("Enter", 13)
            out["zoomKey"] = p.js("document.getElementById('treemap').getAttribute('data-zoom')")
            p.js("document.querySelector('#treemap .cell').focus()")
            p.key("Escape", 27)
            out["zoomOut"] = p.js("document.getElementById('treemap').getAttribute('data-zoom')")
            # the mouse: a click on it, then the first breadcrumb
            p.click(cell)
            out["zoom"] = p.js("document.getElementById('treemap').getAttribute('data-zoom')")
            out["crumbs"] = p.js("document.querySelectorAll('#crumbs button').length")
            out["zoomCells"] = p.js("document.querySelectorAll('#treemap > .cell').length")
            p.click("#crumbs button")
            out["zoomTop"] = p.js("document.getElementById('treemap').getAttribute('data-zoom')")
        # inside the nesting: a directory, then a file (zooms into its directory)
        for key, sel in (("nestedDir", "#treemap .cell .cell.dir"),
                         ("nestedFile", "#treemap .cell .cell:not(.dir)")):
            where = p.js("(function(){var g=document.querySelector(%s);return g?"
                         "g.getAttribute('data-path'):null;})()" % json.dumps(sel))
            if where is None:
                continue
            p.click("#treemap .cell[data-path=%s]" % json.dumps(where))
            out[key] = [where,
                        p.js("document.getElementById('treemap').getAttribute('data-zoom')"),
                        p.js("document.querySelectorAll('#crumbs button').length")]
            p.click("#crumbs button")
        last = p.js("document.querySelectorAll('#layer-bars .layer').length") - 1
        p.click("#layer-bars .layer[data-layer='%d'] rect.bar" % last)
        out["layer"] = p.js("(function(){var d=document.getElementById('layer-detail');"
                            "return d.hidden?null:d.textContent;})()")
        out["layerIndex"] = last
        if p.js("document.querySelector('#inefficient tbody tr')") is not None:
            first = "document.querySelector('#inefficient tbody tr td.p').textContent"
            p.click("#inefficient th:nth-child(3) button")
            out["sorted"] = [p.js(first)]
            p.click("#inefficient th:nth-child(3) button")
            out["sorted"].append(p.js(first))
        bg = "getComputedStyle(document.body).backgroundColor"
        out["colors"] = {}
        for scheme in ("light", "dark"):
            p.call("Emulation.setEmulatedMedia",
                   features=[{"name": "prefers-color-scheme", "value": scheme}])
            out[scheme] = p.js(bg)
            out["colors"][scheme] = p.js(COLORS)
        p.call("Emulation.setEmulatedMedia",
               features=[{"name": "prefers-color-scheme", "value": "light"}])
        p.js("window.scrollTo(0,0)")
        png = base64.b64decode(p.call("Page.captureScreenshot", format="png")["data"])
        if shot:
            with open(shot, "wb") as f:
                f.write(png)
        out["png"] = [len(png), png_distinct(png)]
        out["errors"] = p.errors()
        ws.close()
        print(json.dumps(out))
        return 0
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, OSError, IndexError, KeyError, websocket.WebSocketException) as e:
        print("report_browser: %s" % e, file=sys.stderr)
        sys.exit(2)
