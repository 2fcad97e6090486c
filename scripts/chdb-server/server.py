"""ClickHouse HTTP interface over an in-process chdb session.

Debian's clickhouse-server is from 2018 (no DateTime64, no {name:Type} parameters), so the local stack runs the modern
engine from PyPI `chdb` and exposes the subset of the HTTP protocol that `@clickhouse/client` and
`@clickhouse/client-web` use. One chdb session holds the persistent data directory; queries run one at a time because
per-request settings and the current database are session state.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import threading
import time
import uuid
import zlib
from base64 import b64decode
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from chdb import session as chdb_session

# URL parameters that configure the HTTP exchange itself; ClickHouse does not treat them as query settings.
HTTP_ONLY_PARAMS = {
    "query",
    "database",
    "default_format",
    "query_id",
    "session_id",
    "session_timeout",
    "session_check",
    "user",
    "password",
    "quota_key",
    "role",
    "compress",
    "decompress",
    "buffer_size",
    "wait_end_of_query",
    "http_wait_end_of_query",
    "enable_http_compression",
    "http_zlib_compression_level",
    "http_native_compression_disable_checksumming_on_decompress",
    "send_progress_in_http_headers",
    "http_headers_progress_interval_ms",
    "http_response_buffer_size",
    "add_http_cors_header",
    "client_protocol_version",
    "cancel_http_readonly_queries_on_client_close",
    # Applied to the shared session, `readonly` would also forbid resetting it afterwards and lock every later request.
    "readonly",
}

SETTING_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ERROR_CODE = re.compile(r"Code:\s*(\d+)")
TRAILING_FORMAT = re.compile(r"\bFORMAT\s+([A-Za-z0-9_]+)\s*;?\s*$", re.IGNORECASE)
INSERT_HEAD = re.compile(r"^\s*INSERT\b", re.IGNORECASE)

CONTENT_TYPES = {
    "JSON": "application/json; charset=UTF-8",
    "JSONCompact": "application/json; charset=UTF-8",
    "JSONStrings": "application/json; charset=UTF-8",
    "JSONEachRow": "application/x-ndjson; charset=UTF-8",
    "JSONCompactEachRow": "application/x-ndjson; charset=UTF-8",
    "JSONStringsEachRow": "application/x-ndjson; charset=UTF-8",
    "CSV": "text/csv; charset=UTF-8; header=absent",
    "CSVWithNames": "text/csv; charset=UTF-8; header=present",
    "TabSeparated": "text/tab-separated-values; charset=UTF-8",
    "TSV": "text/tab-separated-values; charset=UTF-8",
}


class QueryError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def as_clickhouse_error(exc: Exception) -> QueryError:
    text = str(exc).strip()
    match = ERROR_CODE.search(text)
    if match:
        return QueryError(int(match.group(1)), text)
    # chdb raises some errors (bad arguments, closed session) without ClickHouse's code prefix.
    return QueryError(1001, f"Code: 1001. DB::Exception: {text}. (STD_EXCEPTION)")


# Session-wide guards: chdb runs in this process, so one runaway query (a planner loop, a cross join) would otherwise
# take the whole machine's memory and stall every other client behind the lock. A request may still lower or raise
# them with its own settings for that one query.
GUARDS = {"max_memory_usage": "6000000000", "max_execution_time": "300"}
SLOW_QUERY_SECONDS = 10.0


class Engine:
    def __init__(self, path: str) -> None:
        self.session = chdb_session.Session(path)
        self.lock = threading.Lock()
        self.version = self._scalar("SELECT version()")
        self.timezone = self._scalar("SELECT timezone()")
        for name, value in GUARDS.items():
            self._exec(f"SET {name} = {value}")

    def _scalar(self, sql: str) -> str:
        return self.session.query(sql, "TabSeparated").bytes().decode().strip()

    def run(self, sql: str, database: str, settings: dict[str, str], params: dict[str, str], fmt: str):
        with self.lock:
            applied: list[str] = []
            try:
                self._exec(f"USE {quote_identifier(database)}")
                for name, value in settings.items():
                    self._exec(f"SET {name} = {quote_setting(value)}")
                    applied.append(name)
                started = time.monotonic_ns()
                try:
                    result = self.session.query(sql, fmt, params=params or None)
                except Exception as exc:  # chdb raises ChdbError/RuntimeError with ClickHouse's message
                    raise as_clickhouse_error(exc) from exc
                finally:
                    elapsed = (time.monotonic_ns() - started) / 1e9
                    if elapsed > SLOW_QUERY_SECONDS:
                        # Queries are serialized: a slow one is why every other client waited, so name it.
                        print(f"slow query ({elapsed:.1f} s, database {database}): {sql[:2000]}", file=sys.stderr, flush=True)
                return result, time.monotonic_ns() - started
            finally:
                # Settings from one request must not leak into the next: the chdb session is shared.
                for name in applied:
                    try:
                        self.session.query(f"SET {name} = {GUARDS.get(name, 'DEFAULT')}")
                    except Exception as exc:  # keep serving; the log says which setting stayed changed
                        print(f"could not reset setting {name}: {exc}", file=sys.stderr, flush=True)

    def _exec(self, sql: str) -> None:
        try:
            self.session.query(sql)
        except Exception as exc:
            raise as_clickhouse_error(exc) from exc


def quote_identifier(name: str) -> str:
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def quote_setting(value: str) -> str:
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def output_format(sql: str, default: str) -> str:
    if INSERT_HEAD.match(sql):
        return default
    match = TRAILING_FORMAT.search(sql)
    return match.group(1) if match else default


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "chdb-http"
    # Headers and body go out in two writes: with Nagle's algorithm the body waited for the client's delayed ACK, 40 ms
    # on every response with a body (measured: `SELECT 1` p50 50 ms → 7 ms without it).
    disable_nagle_algorithm = True
    engine: Engine

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature from the base class
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._handle(b"")

    def do_POST(self) -> None:
        self._handle(self._read_body())

    def do_OPTIONS(self) -> None:
        # Browser preflight for @clickhouse/client-web; a `*` wildcard would not cover the Authorization header.
        requested = self.headers.get("Access-Control-Request-Headers", "*")
        self._send(
            204,
            b"",
            {
                "Access-Control-Allow-Origin": "*",
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": requested,
                "Access-Control-Max-Age": "86400",
            },
        )

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = self._read_chunked()
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = self.headers.get("Content-Encoding", "").lower()
        if encoding == "gzip":
            return gzip.decompress(body)
        if encoding == "deflate":
            return zlib.decompress(body)
        return body

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()

    def _handle(self, body: bytes) -> None:
        url = urlsplit(self.path)
        if url.path in ("/ping", "/replicas_status"):
            self._send(200, b"Ok.\n", {"Content-Type": "text/plain; charset=UTF-8"})
            return
        if url.path not in ("/", ""):
            self._send(404, b"There is no handle " + url.path.encode() + b"\n", {"Content-Type": "text/plain"})
            return
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        url_sql = query.get("query", "")
        body_sql = body.decode("utf-8")
        sql = f"{url_sql}\n{body_sql}" if url_sql and body_sql else url_sql or body_sql
        if not sql.strip():
            self._send(200, b"Ok.\n", {"Content-Type": "text/plain; charset=UTF-8"})
            return
        query_id = query.get("query_id") or str(uuid.uuid4())
        headers = {
            "X-ClickHouse-Query-Id": query_id,
            "X-ClickHouse-Timezone": self.engine.timezone,
            "X-ClickHouse-Server-Display-Name": "flowforge-chdb",
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Expose-Headers": "*",
        }
        user = self.headers.get("X-ClickHouse-User") or basic_auth_user(self.headers.get("Authorization")) or "default"
        headers["X-ClickHouse-User"] = user
        try:
            settings = {}
            params = {}
            for name, value in query.items():
                if name.startswith("param_"):
                    params[name[len("param_") :]] = value
                elif name not in HTTP_ONLY_PARAMS:
                    if not SETTING_NAME.match(name):
                        raise QueryError(115, f"Code: 115. DB::Exception: Unknown setting '{name}'. (UNKNOWN_SETTING)")
                    settings[name] = value
            fmt = output_format(sql, query.get("default_format") or "TabSeparated")
            result, elapsed_ns = self.engine.run(sql, query.get("database") or "default", settings, params, fmt)
        except QueryError as err:
            headers["X-ClickHouse-Exception-Code"] = str(err.code)
            message = err.message if "(version " in err.message else f"{err.message} (version {self.engine.version})"
            self._send(500, (message + "\n").encode(), {**headers, "Content-Type": "text/plain; charset=UTF-8"})
            return
        data = result.bytes()
        summary = {
            "read_rows": str(result.rows_read()),
            "read_bytes": str(result.bytes_read()),
            "written_rows": str(result.rows_written()),
            "written_bytes": str(result.bytes_written()),
            "total_rows_to_read": str(result.rows_read()),
            "result_bytes": str(len(data)),
            "elapsed_ns": str(elapsed_ns),
        }
        headers["X-ClickHouse-Format"] = fmt
        headers["X-ClickHouse-Summary"] = json.dumps(summary, separators=(",", ":"))
        headers["Content-Type"] = CONTENT_TYPES.get(fmt, "text/plain; charset=UTF-8")
        self._send(200, data, headers)

    def _send(self, status: int, data: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def basic_auth_user(header: str | None) -> str | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        return b64decode(header[6:]).decode().split(":", 1)[0] or None
    except ValueError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--path", required=True, help="chdb data directory (persists databases and tables)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    Handler.engine = Engine(args.path)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    server.verbose = args.verbose  # type: ignore[attr-defined]
    print(f"chdb {Handler.engine.version} serving ClickHouse HTTP on {args.host}:{args.port}", flush=True)
    try:
        server.serve_forever()
    finally:
        Handler.engine.session.close()


if __name__ == "__main__":
    sys.exit(main())
