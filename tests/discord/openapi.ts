/**
 * Validates request bodies against Discord's official OpenAPI 3.1 description of its v10 HTTP API
 * (discord/discord-api-spec, specs/openapi.json; MIT, vendored with its license in
 * tests/fixtures/discord-openapi/). The fake Discord checks every body the bot sends, so a body
 * Discord would reject (an embed title over 256 characters, a label over 80, an unknown field in a
 * closed object) fails the test that produced it.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

interface Operation {
  requestBody?: { content: Record<string, { schema?: unknown }> };
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
}

const SPEC_ID = 'discord-openapi';
const spec = JSON.parse(
  readFileSync(new URL('../fixtures/discord-openapi/openapi.json', import.meta.url), 'utf8'),
) as Spec;

// The spec's own formats: snowflakes are decimal strings or integers; the others are not checked.
const snowflake = /^(0|[1-9][0-9]{0,19})$/;
const ajv = new Ajv2020({
  strict: false,
  allErrors: true,
  logger: false,
  formats: {
    snowflake: { type: 'string', validate: (s: string) => snowflake.test(s) },
    'date-time': true,
    int32: true,
    int64: true,
    uri: true,
    double: true,
    nonce: true,
  },
});
ajv.addKeyword('x-discord-union');
ajv.addSchema(spec as object, SPEC_ID);

/** Path templates as regular expressions: `/channels/{channel_id}/messages` → `^/channels/[^/]+/messages$`. */
const templates = Object.keys(spec.paths)
  .map((template) => ({
    template,
    re: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    // Literal segments win over parameters (`/messages/@original` before `/messages/{message_id}`).
    params: (template.match(/\{/g) ?? []).length,
  }))
  .sort((a, b) => a.params - b.params);

const compiled = new Map<string, ValidateFunction | null>();

function validatorFor(method: string, path: string): ValidateFunction | null | undefined {
  const found = templates.find((t) => t.re.test(path));
  if (!found) return undefined;
  const key = `${method} ${found.template}`;
  if (compiled.has(key)) return compiled.get(key);
  const op = spec.paths[found.template]?.[method.toLowerCase()];
  // Multipart bodies carry the JSON part as payload_json, validated against the JSON schema.
  const schema = op?.requestBody?.content['application/json']?.schema;
  const pointer = [
    'paths',
    found.template,
    method.toLowerCase(),
    'requestBody',
    'content',
    'application/json',
  ]
    .map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1')))
    .join('/');
  const fn = schema ? ajv.compile({ $ref: `${SPEC_ID}#/${pointer}/schema` }) : null;
  compiled.set(key, fn);
  return fn;
}

/**
 * Problems with a request body per Discord's spec, as readable lines ("POST /channels/{id}/messages:
 * /embeds/0/title must NOT have more than 256 characters"); empty when valid. A route the spec does
 * not describe is itself a problem; a route without a request body accepts no body.
 */
export function requestBodyProblems(method: string, path: string, body: unknown): string[] {
  if (body === undefined) return [];
  const validate = validatorFor(method, path);
  if (validate === undefined) return [`${method} ${path}: not a route in Discord's OpenAPI spec`];
  if (validate === null) return [`${method} ${path}: Discord's spec has no request body for this route`];
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (e) =>
      `${method} ${path}: ${e.instancePath || '/'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
  );
}
