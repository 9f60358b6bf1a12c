"""Static files: the right content types, ETag + If-None-Match -> 304, HEAD, keep-alive, routes,
and no way out of the folder (every traversal spelling gets 404 or 400, never the file)."""
import os

import pytest
from web_helpers import Served, connect, http_get, parse_response, read_until_closed

from kamaelia_lite.net.http import Response, Routes, StaticFiles
from kamaelia_lite.net.http_components import WebServer

SECRET = b"TOP-SECRET-KEY-MATERIAL"


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    (root / "sub").mkdir(parents=True)
    (root / "index.html").write_bytes(b"<!doctype html><p>hello</p>")
    (root / "app.js").write_bytes(b"console.log(1)")
    (root / "style.css").write_bytes(b"body{}")
    (root / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\nxx")
    (root / "sub" / "data.json").write_bytes(b"{}")
    (root / "blob.xyz").write_bytes(b"??")
    (root / ".hidden").write_bytes(SECRET)
    (tmp_path / "secret.txt").write_bytes(SECRET)
    routes = Routes(fallback=StaticFiles(str(root)))
    routes.add("/hello", lambda req: Response(200, b"hi " + req.query.get("n", ["?"])[0].encode()))
    routes.add("/boom", lambda req: 1 / 0)
    server = WebServer(routes)
    with Served(server):
        yield server.port


def test_files_are_served_with_their_content_types(site):
    expect = {"/": "text/html; charset=utf-8", "/index.html": "text/html; charset=utf-8",
              "/app.js": "text/javascript; charset=utf-8", "/style.css": "text/css; charset=utf-8",
              "/pic.png": "image/png", "/sub/data.json": "application/json",
              "/blob.xyz": "application/octet-stream"}
    for path, ctype in expect.items():
        status, hdrs, body = http_get(site, path)
        assert status == 200, path
        assert hdrs["content-type"] == ctype, path
        assert hdrs["x-content-type-options"] == "nosniff"
        assert int(hdrs["content-length"]) == len(body)


def test_etag_gives_304_and_a_changed_tag_gives_the_file(site):
    status, hdrs, body = http_get(site, "/app.js")
    tag = hdrs["etag"]
    assert tag.startswith('"') and tag.endswith('"')
    status, hdrs2, body2 = http_get(site, "/app.js", [("If-None-Match", tag)])
    assert status == 304 and body2 == b"" and hdrs2["etag"] == tag
    status, _, body3 = http_get(site, "/app.js", [("If-None-Match", '"other", %s' % tag)])
    assert status == 304 and body3 == b""
    status, _, body4 = http_get(site, "/app.js", [("If-None-Match", '"stale"')])
    assert status == 200 and body4 == b"console.log(1)"


def test_head_sends_headers_only_and_routes_and_failures_answer(site):
    status, hdrs, body = http_get(site, "/index.html", method="HEAD")
    assert status == 200 and body == b"" and int(hdrs["content-length"]) > 0
    assert http_get(site, "/hello?n=7")[2] == b"hi 7"
    assert http_get(site, "/missing")[0] == 404
    assert http_get(site, "/boom")[0] == 500          # a faulty handler: 500, server goes on
    assert http_get(site, "/hello")[0] == 200


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
    "/..%2fsecret.txt", "/sub/..%5c..%5csecret.txt", "/..\\secret.txt", "//etc/passwd",
    "/.hidden", "/%00index.html", "/index.html%00.png", "/sub/%2e%2e/%2e%2e/secret.txt",
    "/%252e%252e/secret.txt", "/%c0%ae%c0%ae/secret.txt",
])
def test_no_path_leaves_the_folder(site, path):
    s = connect(site)
    try:
        s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode("latin-1"))
        raw = read_until_closed(s)
    finally:
        s.close()
    assert SECRET not in raw
    status = parse_response(raw)[0] if raw else None
    assert status in (400, 404), (path, raw[:80])


def test_keep_alive_serves_pipelined_requests_in_order(site):
    s = connect(site)
    try:
        s.sendall(b"GET /app.js HTTP/1.1\r\nHost: x\r\n\r\nGET /style.css HTTP/1.1\r\nHost: x\r\n\r\n"
                  b"GET /hello?n=3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        raw = read_until_closed(s)
    finally:
        s.close()
    assert raw.count(b"HTTP/1.1 200 OK") == 3
    assert raw.index(b"console.log(1)") < raw.index(b"body{}") < raw.index(b"hi 3")


def test_the_packaged_page_is_small_and_self_contained():
    from kamaelia_lite.surtitles.web_components import PAGE_FOLDER
    files = StaticFiles(PAGE_FOLDER)
    assert set(files.files) >= {"/index.html", "/app.js", "/style.css"}
    assert files.total_bytes() <= 30 * 1024
    for path, (data, _, _) in files.files.items():
        text = data.decode("utf-8")
        for needle in ("http://", "https://", "//fonts", "@import", "cdn"):
            assert needle not in text.lower(), (path, needle)
    html = files.files["/index.html"][0].decode()
    assert 'name="color-scheme" content="dark"' in html
    assert 'aria-live="polite"' in html and 'dir="auto"' in html
    assert os.path.exists(os.path.join(PAGE_FOLDER, "index.html"))
