import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A certificate authority made for one test run, and a server certificate it signed for 127.0.0.1. */
export type TestCa = {
  /** The CA's certificate file (PEM): what a broker route's `ca_file` names. */
  caFile: string;
  /** The server's private key and certificate (PEM text), for an HTTPS stub on 127.0.0.1. */
  key: string;
  cert: string;
  /** Removes the files. */
  remove(): void;
};

function openssl(folder: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: folder, stdio: "pipe" });
}

/**
 * Makes a throwaway CA and a certificate for `127.0.0.1` (and `localhost`) signed by it, with the
 * `openssl` command line, in a fresh temporary folder. Nothing is reused between runs.
 */
export function createTestCa(): TestCa {
  const folder = mkdtempSync(join(tmpdir(), "ass-test-ca-"));
  openssl(folder, [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "1",
    "-subj",
    "/CN=ass test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  openssl(folder, [
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=127.0.0.1",
  ]);
  writeFileSync(
    join(folder, "server.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  openssl(folder, [
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "1",
    "-extfile",
    "server.ext",
  ]);
  return {
    caFile: join(folder, "ca.pem"),
    key: readFileSync(join(folder, "server.key"), "utf8"),
    cert: readFileSync(join(folder, "server.pem"), "utf8"),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
