/**
 * A throwaway PostgreSQL server for tests and benchmarks: Debian's server binaries (package `postgresql`),
 * `initdb` into a temporary folder, listening on 127.0.0.1 only on a free port, trust login for the user
 * `clv`, stopped and deleted by stop() (and when the process exits). PostgreSQL refuses to run as root: as
 * root the folder is handed to the `postgres` user and the server runs as that user (runuser).
 */
import {execFileSync, spawnSync} from "node:child_process";
import {chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {createServer} from "node:net";
import {tmpdir} from "node:os";
import {join} from "node:path";

export interface PgServer {
  port: number;
  url: string;
  /** Runs SQL with psql (client side: `\copy` reads files of this process). */
  psql(sql: string): string;
  stop(): void;
}

/** The bin folder of the newest installed PostgreSQL server, or an error saying what to install. */
export function postgresBin(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) {
    throw new Error("PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: install Debian's postgresql package (apt-get install -y postgresql)");
  }
  return join(root, versions[0], "bin");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export async function startPostgres(): Promise<PgServer> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), "clv-pg-"));
  const data = join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  let owner: {uid: number; gid: number} | null = null;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    owner = {uid, gid};
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const run = (program: string, args: string[]) => {
    const [command, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, program), ...args]] : [join(bin, program), args];
    const result = spawnSync(command, argv, {encoding: "utf-8", cwd: dir});
    if (result.status !== 0) throw new Error(`${program} failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`);
    return result.stdout;
  };
  run("initdb", ["-D", data, "-U", "clv", "-A", "trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const port = await freePort();
  const conf = ["listen_addresses = '127.0.0.1'", `port = ${port}`, `unix_socket_directories = '${dir}'`, "fsync = off", "synchronous_commit = off", "full_page_writes = off", "max_connections = 20", "shared_buffers = 256MB", "work_mem = 64MB"];
  writeFileSync(join(data, "postgresql.auto.conf"), `${conf.join("\n")}\n`);
  if (owner) chownSync(join(data, "postgresql.auto.conf"), owner.uid, owner.gid);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      // already down
    }
    rmSync(dir, {recursive: true, force: true});
  };
  process.once("exit", stop);
  try {
    run("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-w", "-t", "60", "start"]);
  } catch (error) {
    stop();
    throw error;
  }
  const url = `postgresql://clv@127.0.0.1:${port}/postgres`;
  return {
    port,
    url,
    psql(sql: string) {
      const result = spawnSync(join(bin, "psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql], {encoding: "utf-8"});
      if (result.status !== 0) throw new Error(`psql failed: ${result.stderr.trim()}`);
      return result.stdout;
    },
    stop
  };
}
