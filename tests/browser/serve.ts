/**
 * A minimal static file server for the built site (dist/), bound to 127.0.0.1: what any static host does,
 * including Framework's clean URLs (/rfm serves rfm.html). Used by the browser tests and the benchmarks.
 * HTTP/1.1 by default; over HTTP/2 (TLS, with the key and certificate given) for the pages benchmark, as
 * static hosts serve a site: one connection for every module, not six at a time.
 */
import {createReadStream, existsSync, statSync} from "node:fs";
import {createServer, type IncomingMessage, type ServerResponse} from "node:http";
import {createSecureServer, type Http2ServerRequest, type Http2ServerResponse} from "node:http2";
import {extname, join, normalize, resolve} from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".csv": "text/csv; charset=utf-8",
  ".parquet": "application/octet-stream",
  ".arrow": "application/vnd.apache.arrow.file",
  ".svg": "image/svg+xml",
  ".png": "image/png"
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

function resolveFile(root: string, pathname: string): string | null {
  const path = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, "");
  const candidates = [join(root, path), join(root, `${path}.html`), join(root, path, "index.html")];
  for (const file of candidates) {
    if (!file.startsWith(root)) continue;
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return null;
}

/** A key and certificate (PEM) to serve over HTTP/2 with TLS. */
export interface Http2Options {
  key: Buffer | string;
  cert: Buffer | string;
}

export function serve(dir = "dist", port = 0, {http2}: {http2?: Http2Options} = {}): Promise<StaticServer> {
  const root = resolve(dir);
  const handle = (request: IncomingMessage | Http2ServerRequest, response: ServerResponse | Http2ServerResponse) => {
    const {pathname} = new URL(request.url ?? "/", "http://127.0.0.1");
    const file = resolveFile(root, pathname);
    if (!file) {
      response.writeHead(404, {"content-type": "text/plain"});
      response.end("not found");
      return;
    }
    response.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": statSync(file).size
    });
    createReadStream(file).pipe(response);
  };
  const server = http2 ? createSecureServer({key: http2.key, cert: http2.cert}, handle) : createServer(handle);
  return new Promise((resolvePromise) => {
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const actual = typeof address === "object" && address ? address.port : port;
      resolvePromise({
        url: `${http2 ? "https" : "http"}://127.0.0.1:${actual}`,
        close: () => new Promise((done) => server.close(() => done()))
      });
    });
  });
}

// `tsx tests/browser/serve.ts [dir] [port]` serves the built site by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await serve(process.argv[2] ?? "dist", Number(process.argv[3] ?? 3000));
  console.error(`serving ${process.argv[2] ?? "dist"} at ${s.url}`);
}
