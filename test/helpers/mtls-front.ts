import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Files of a throw-away PKI made with openssl at test time: a CA, a server cert for 127.0.0.1, a client cert. */
export interface TestPki {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A client certificate from another CA: the server must refuse it. */
  readonly strangerCert: string;
  readonly strangerKey: string;
  cleanup(): void;
}

export function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "mtls-"));
  const ssl = (...args: string[]): void => void execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ca = (name: string): void => ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", `/CN=${name}`, "-keyout", `${name}.key`, "-out", `${name}.pem`);
  const leaf = (name: string, issuer: string, ext: string): void => {
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${name}`, "-keyout", `${name}.key`, "-out", `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), ext);
    ssl("x509", "-req", "-in", `${name}.csr`, "-CA", `${issuer}.pem`, "-CAkey", `${issuer}.key`, "-CAcreateserial", "-days", "2", "-extfile", `${name}.ext`, "-out", `${name}.pem`);
  };
  ca("test-ca");
  ca("other-ca");
  leaf("server", "test-ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  leaf("client", "test-ca", "extendedKeyUsage=clientAuth\n");
  leaf("stranger", "other-ca", "extendedKeyUsage=clientAuth\n");
  const at = (file: string): string => join(dir, file);
  return {
    dir,
    ca: at("test-ca.pem"),
    serverCert: at("server.pem"),
    serverKey: at("server.key"),
    clientCert: at("client.pem"),
    clientKey: at("client.key"),
    strangerCert: at("stranger.pem"),
    strangerKey: at("stranger.key"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An HTTPS server on 127.0.0.1 that requires a client certificate of the test CA and forwards to `target`. */
export interface MtlsFront {
  readonly url: string;
  /** The CN of the client certificate of each request it forwarded. */
  readonly clients: string[];
  close(): Promise<void>;
}

export async function startMtlsFront(pki: TestPki, target: string): Promise<MtlsFront> {
  const clients: string[] = [];
  const to = new URL(target);
  const server = https.createServer(
    { key: readFileSync(pki.serverKey), cert: readFileSync(pki.serverCert), ca: readFileSync(pki.ca), requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      clients.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN ?? ""));
      const upstream = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}${to.pathname === "/" ? "" : to.pathname}`,
    clients,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
