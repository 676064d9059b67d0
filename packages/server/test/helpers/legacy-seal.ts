// Values sealed as the code before key ids did (envelope format 1: no key id, no secret id in
// the additional data), for tests of the upgrade from a vault that code wrote.
import { createCipheriv, randomBytes } from "node:crypto";
import { deriveKey } from "../../src/crypto/keys.js";

export function sealFormat1(
  masterKey: Buffer,
  binding: { tenantId: string; path: string; version: number },
  plaintext: string,
): Buffer {
  const aad = Buffer.concat(
    ["agentsecretstore/secret/v1", binding.tenantId, binding.path, String(binding.version)].flatMap(
      (field) => {
        const bytes = Buffer.from(field, "utf8");
        const length = Buffer.alloc(4);
        length.writeUInt32BE(bytes.length);
        return [length, bytes];
      },
    ),
  );
  const wrappingKey = deriveKey(masterKey, "secret-wrap");
  const dataKey = randomBytes(32);
  const wrapIv = randomBytes(12);
  const wrapper = createCipheriv("aes-256-gcm", wrappingKey, wrapIv).setAAD(aad);
  const wrappedKey = Buffer.concat([wrapper.update(dataKey), wrapper.final()]);
  const valueIv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", dataKey, valueIv).setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([
    Buffer.from([1]),
    wrapIv,
    wrappedKey,
    wrapper.getAuthTag(),
    valueIv,
    cipher.getAuthTag(),
    ciphertext,
  ]);
}
