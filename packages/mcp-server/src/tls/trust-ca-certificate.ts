import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { constants } from "node:os";

/** The variable naming a PEM file of CA certificates to trust, for a vault behind a private CA. */
export const CA_CERT_ENV = "ASS_CA_CERT";

/** Thrown when `ASS_CA_CERT` cannot be honoured; says what to fix. */
export class CaCertificateError extends Error {
  override readonly name = "CaCertificateError";
}

/** The process to re-run: `process` in a binary. */
export type ReexecProcess = {
  env: Record<string, string | undefined>;
  execPath: string;
  execArgv: readonly string[];
  argv: readonly string[];
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  removeListener(signal: NodeJS.Signals, listener: () => void): unknown;
};

const FORWARDED: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Honours `ASS_CA_CERT` (a PEM file): Node reads extra trusted CAs only at start-up, from
 * `NODE_EXTRA_CA_CERTS`, so when `ASS_CA_CERT` is set this runs the same command again in a child
 * process with `NODE_EXTRA_CA_CERTS` pointing at the file (the usual public CAs stay trusted),
 * with the same standard streams, passing on signals, and resolves to its exit code. Resolves to
 * null when there is nothing to do (no `ASS_CA_CERT`, or this is already the child).
 *
 * @throws CaCertificateError when the file is not a readable PEM certificate, or when
 * `NODE_EXTRA_CA_CERTS` is set to another file.
 */
export async function reexecTrustingCaCertificate(current: ReexecProcess): Promise<number | null> {
  const file = current.env[CA_CERT_ENV];
  if (file === undefined || file === "") return null;
  const extra = current.env.NODE_EXTRA_CA_CERTS;
  if (extra === file) return null;
  if (extra !== undefined && extra !== "") {
    throw new CaCertificateError(
      `${CA_CERT_ENV} and NODE_EXTRA_CA_CERTS name different files; put all the CA certificates in one PEM file and set only ${CA_CERT_ENV}`,
    );
  }
  checkPemFile(file);
  const child = spawn(current.execPath, [...current.execArgv, ...current.argv.slice(1)], {
    stdio: "inherit",
    env: { ...current.env, NODE_EXTRA_CA_CERTS: file },
  });
  const forward = FORWARDED.map((signal) => {
    const listener = () => child.kill(signal);
    current.on(signal, listener);
    return [signal, listener] as const;
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code, signal) => {
        resolve(code ?? 128 + (signal === null ? 1 : (constants.signals[signal] ?? 1)));
      });
    });
  } finally {
    for (const [signal, listener] of forward) current.removeListener(signal, listener);
  }
}

function checkPemFile(file: string): void {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CaCertificateError(`${CA_CERT_ENV}: cannot read ${file} (${code})`);
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) {
    throw new CaCertificateError(
      `${CA_CERT_ENV}: ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  }
}
