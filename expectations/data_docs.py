"""Make a built Great Expectations Data Docs site render offline.

GX's pages load bootstrap, jQuery, Font Awesome, bootstrap-table and friends from public CDNs, show a
logo from a vendor bucket and end with a newsletter form. On a locked-down university share they would
render unstyled, with empty tables and blank icons. `make_offline` copies the files kept in
`data_docs_vendor/` (unmodified npm releases, licences beside them) into the site's `static/vendor/`,
points every page at the copies by a relative path, uses the site's own logo, and drops the footer.
Knows nothing of Dagster.
"""

import os
import re
import shutil
from pathlib import Path

VENDOR = Path(__file__).with_name("data_docs_vendor")
VENDOR_FOLDER = "static/vendor"

# Every remote file GX 1.24's templates load, and the local copy that replaces it (under static/vendor).
CDN_FILES = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/bootstrap.min.js",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "bootstrap-dark/bootstrap-prefers-dark.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": (
        "bootstrap-table/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
        "bootstrap-table/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
        "bootstrap-table/bootstrap-table-filter-control.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker/bootstrap-datepicker.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker/bootstrap-datepicker.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome-free/css/all.min.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js/popper.min.js",
}

# Charts need Vega; LEAP's suites draw none, so the three scripts (about 1 MB) are dropped, not kept.
_VEGA = re.compile(r'\s*<script src="https://cdn\.jsdelivr\.net/npm/vega[^"]*"></script>')
# Subresource hashes name the CDN's bytes, and `crossorigin` blocks a script read from file://.
_INTEGRITY = re.compile(r'\s+(?:integrity="[^"]*"|crossorigin="[^"]*")')
_LOGO = re.compile(r'src="https://great-expectations-web-assets\.[^"]*/logo-long\.png[^"]*"')
_NEWSLETTER = re.compile(r"\s*<footer>\s*<p>[^<]*newsletter.*?</footer>", re.DOTALL | re.IGNORECASE)
_REMOTE = re.compile(r'<(?:link|script|img)\b[^>]*\b(?:href|src)="(https?://[^"]+)"', re.IGNORECASE)


def make_offline(site: Path) -> list[str]:
    """Rewrite every page of the Data Docs site at `site` to load only local files; returns the remote
    stylesheets, scripts or images still referenced (none with the GX version LEAP pins)."""
    shutil.copytree(VENDOR, site / VENDOR_FOLDER, dirs_exist_ok=True)
    remaining: set[str] = set()
    for page in sorted(site.rglob("*.html")):
        root = Path(os.path.relpath(site, page.parent)).as_posix()
        text = rewrite(page.read_text(encoding="utf-8"), root)
        page.write_text(text, encoding="utf-8")
        remaining.update(_REMOTE.findall(text))
    return sorted(remaining)


def rewrite(html: str, root: str) -> str:
    """One page's text with its CDN links replaced by paths relative to the site root `root`."""
    html = _VEGA.sub("", html)
    html = _INTEGRITY.sub("", html)
    for url, local in CDN_FILES.items():
        html = html.replace(f'"{url}"', f'"{root}/{VENDOR_FOLDER}/{local}"')
    html = _LOGO.sub(f'src="{root}/static/images/logo-long.png"', html)
    return _NEWSLETTER.sub("", html)
