import type { FastifyInstance } from "fastify";

/**
 * Fastify's own JSON parser (prototype poisoning refused), except that an empty body is "no
 * body": clients such as the hosted product's SDK and CLI send `Content-Type: application/json`
 * on every request, including deletes, rotations and approval decisions that carry nothing. A
 * route that needs a body still answers 400 through its schema.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if (body === "") {
      done(null, undefined);
      return;
    }
    parseJson(request, String(body), done);
  });
}
