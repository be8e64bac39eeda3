"""How every browser run starts Chromium, for the browser tests and the benchmark alike."""

# Every host but 127.0.0.1 fails to resolve, so a request to another origin cannot succeed
# unnoticed. The tests add --headless; Lighthouse passes its own.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

# The Content-Security-Policy the site is built to run under (see docs/about.md#csp).
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
