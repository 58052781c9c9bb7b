// Runs the `clv` command as a user would (node bin/clv.mjs), for the CLI tests.
import {spawn} from "node:child_process";
import {fileURLToPath} from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function clv(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/clv.mjs", ...args], {cwd: ROOT, env: {...process.env, TZ: "UTC", ...env}});
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({code, stdout, stderr}));
  });
}
