import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A real forward proxy (Debian's tinyproxy) on 127.0.0.1, started for a test, with its request log. */
export interface ForwardProxy {
  /** `http://127.0.0.1:<port>` (no credentials). */
  readonly origin: string;
  /** The proxy URL as a client sets it in HTTP(S)_PROXY, with the credentials when it requires some. */
  readonly url: string;
  /** The requests it forwarded ("GET http://host:port/path") and tunnels it opened ("CONNECT host:port"). */
  requests(): string[];
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** Starts tinyproxy (installed by scripts/proxy-local.sh, idempotent); with `auth`, it requires Basic credentials. */
export async function startForwardProxy(auth?: { user: string; password: string }): Promise<ForwardProxy> {
  const bin = execFileSync("bash", [join(__dirname, "../../scripts/proxy-local.sh"), "path"], { encoding: "utf8" }).trim();
  const dir = mkdtempSync(join(tmpdir(), "fwd-proxy-"));
  chmodSync(dir, 0o777); // tinyproxy drops to nobody and writes its log here
  const log = join(dir, "log");
  const port = await freePort();
  const lines = [`Port ${port}`, "Listen 127.0.0.1", "Timeout 120", `LogFile "${log}"`, "LogLevel Connect", "MaxClients 64", "Allow 127.0.0.1", "User nobody", "Group nogroup", "DisableViaHeader Yes"];
  if (auth !== undefined) lines.push(`BasicAuth ${auth.user} ${auth.password}`);
  writeFileSync(join(dir, "conf"), `${lines.join("\n")}\n`);
  const child: ChildProcess = spawn(bin, ["-d", "-c", join(dir, "conf")], { stdio: "ignore" });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (await accepts(port)) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`tinyproxy did not start: ${existsSync(log) ? readFileSync(log, "utf8") : "no log"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    origin,
    url: auth === undefined ? origin : `http://${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@127.0.0.1:${port}`,
    requests: () =>
      readFileSync(log, "utf8")
        .split("\n")
        .map((line) => /Request \(file descriptor \d+\): (\S+) (\S+) HTTP/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => `${m[1] ?? ""} ${m[2] ?? ""}`),
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
