import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Answer,
  changedTables,
  createWorld,
  fillPath,
  inPool,
  type JsonSchema,
  knownValidBody,
  loadOpenApi,
  type Operation,
  operationsOf,
  problemFault,
  type Recap,
  recapsFor,
  send,
  snapshot,
  type World,
} from "./fuzz-world.js";
import {
  baseBodies,
  clone,
  DEEP_ARRAY,
  DEEP_OBJECT,
  fieldsOf,
  INVALID_JSON,
  pick,
  refuses,
  SEED,
  sampleOne,
  toJson,
  typesOf,
  unknownKeyArb,
  validArb,
  violations,
  withValue,
  wrongTypeArb,
  wrongTypedValues,
} from "./schema-fuzz.js";

// Every operation in /openapi.json gets requests built from its own schemas and broken on purpose:
// wrong types, missing and unknown fields, values past every limit, 10,000 levels of nesting,
// bodies over the size limit, text that is not JSON, the wrong content type, path parameters that
// are not ids, query parameters with bad values, junk If-Match and Idempotency-Key headers. Each
// must be refused with problem+json, never a 5xx, and the whole batch must leave every table (and
// pg-boss's jobs) as it was. fast-check draws the random parts from a fixed seed.

/** Operations the fuzz may skip, with the reason. A skipped operation without one fails the test. */
const SKIPPED_OPERATIONS: Record<string, string> = {};

let world: World;
let operations: Operation[];

beforeAll(async () => {
  world = await createWorld();
  operations = operationsOf(await loadOpenApi(world.t.app));
}, 120_000);
afterAll(async () => {
  await world?.close();
});

type Expect = "refused" | "any";
type Case = {
  op: Operation;
  label: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  contentType?: string;
  /** "refused": a 4xx problem; "any": anything but a 5xx (a 4xx still as a problem). */
  expect: Expect;
  status?: number;
  /** Sends the recap's current ETag as If-Match, so a hostile value reaches the use case. */
  ifMatchOf?: Recap;
};

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json$/;
const jsonMediaType = (op: Operation) => Object.keys(op.body?.content ?? {}).find((type) => JSON_TYPE.test(type));
const bodyLimitFor = (path: string) =>
  path === "/v1/events" ? world.t.deps.config.eventsBodyLimitBytes : world.t.deps.config.bodyLimitBytes;

/** A body that passes validation where one is known; the schema's own sample otherwise. */
function validBody(op: Operation): unknown {
  const known = knownValidBody(world, op.operationId);
  if (known !== undefined) return known;
  const type = jsonMediaType(op);
  const schema = type ? op.body?.content[type] : undefined;
  return schema ? sampleOne(validArb(schema)) : undefined;
}

/** Path parameter values the parameter's schema refuses (an unknown id for a uuid, which is a 404). */
function badPathValues(op: Operation, name: string, salt: number): { label: string; value: string }[] {
  const schema = op.parameters.find((p) => p.name === name && p.in === "path")?.schema ?? {};
  const broken = violations(schema)
    .filter(({ value }) => typeof value === "string" && value !== "")
    .map(({ label, value }) => ({ label, value: encodeURIComponent(value as string) }));
  const odd = [
    { label: "a quote and SQL", raw: "' or 1=1 --" },
    { label: "dot segments", raw: "../../etc" },
    { label: "a NUL", raw: "a\u0000b" },
    { label: "a broken percent escape", raw: "%FF%FE", encoded: "%FF%FE" },
    { label: "only spaces", raw: "   " },
  ]
    .filter(({ raw }) => refuses(schema, raw))
    .map(({ label, raw, encoded }) => ({ label, value: encoded ?? encodeURIComponent(raw) }));
  const values = [...pick(broken, 2, salt), ...pick(odd, 2, salt + 1)];
  values.push({ label: "10,000 characters", value: "a".repeat(10_000) });
  if (schema.format === "uuid") {
    values.push({ label: "an unknown uuid", value: sampleOne(fc.uuid({ version: 4 }), salt) });
  }
  return values;
}

/** Query values the schema refuses, as they would appear in a URL. */
function badQueryValues(schema: JsonSchema): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  const types = typesOf(schema);
  if (types !== "any" && (types.has("integer") || types.has("number"))) {
    out.push({ label: "not a number", value: "abc" }, { label: "Infinity", value: "1e999" });
    if (!types.has("number")) out.push({ label: "not whole", value: "1.5" });
    if (schema.minimum !== undefined) out.push({ label: "below the minimum", value: String(schema.minimum - 1) });
    if (schema.maximum !== undefined) out.push({ label: "above the maximum", value: String(schema.maximum + 1) });
    return out;
  }
  return violations(schema)
    .filter(({ value }) => typeof value === "string" && value.trim() !== "")
    .map(({ label, value }) => ({ label, value: encodeURIComponent(value as string) }));
}

const ODD_QUERY_VALUES = [
  ["a NUL", "a%00b"],
  ["a broken escape", "%E0%A4%A"],
  ["invalid UTF-8", "%FF%FE"],
  ["50 kB", "b".repeat(50_000)],
  ["SQL", encodeURIComponent("' or 1=1 --")],
] as const;
const ODD_QUERIES = [
  ["an unknown query parameter", "zzUnknown=1"],
  ["a NUL in a query name", "%00=%00"],
  ["a broken escape in the query", "a=%E0%A4%A"],
  ["a bracketed query parameter", "limit[]=1&state[$ne]=x"],
] as const;
const BAD_IF_MATCH = ["garbage", '"0"', '"99999999999999999999"', 'W/"abc"', '""', '"-1"', "x".repeat(8000)];
const BAD_IDEMPOTENCY_KEYS = ["", " ", "a b", "x".repeat(256), "ä"];
const WRONG_CONTENT_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=zz",
  "application/xml",
  "",
  "application/jsonx",
];
const NOT_NDJSON = ["{", "nope", DEEP_ARRAY.text, '{"account":7}', "", "[]", "null", '{"zzUnknown":1}', "\n\n\n"];

/**
 * The requests that must be refused (and, for GETs, odd ones that may be answered). Where a list
 * of bad values is long, each operation gets a few, chosen by the seed, so that across all
 * operations every value is sent and the batch stays fast.
 */
function casesFor(op: Operation, salt: number): Case[] {
  const cases: Case[] = [];
  const recaps = recapsFor(world, op);
  const first = recaps[0] as Recap;
  const path = fillPath(world, op, first);
  const mediaType = jsonMediaType(op);
  const schema = mediaType ? op.body?.content[mediaType] : undefined;
  const valid = validBody(op);
  const validText = valid === undefined ? undefined : toJson(valid);
  const withValidBody = { body: validText, contentType: validText === undefined ? undefined : mediaType };
  const add = (c: Omit<Case, "op" | "method">) => cases.push({ op, method: op.method, ...withValidBody, ...c });

  // Path parameters that are not what the schema says, with a valid body.
  for (const parameter of op.parameters.filter((p) => p.in === "path")) {
    for (const { label, value } of badPathValues(op, parameter.name, salt)) {
      add({
        label: `path {${parameter.name}} ${label}`,
        path: fillPath(world, op, first, { [parameter.name]: value }),
        expect: "refused",
      });
    }
  }

  // Query parameters: values the schema refuses must be refused; oddities must not break a GET.
  for (const parameter of op.parameters.filter((p) => p.in === "query")) {
    for (const { label, value } of badQueryValues(parameter.schema ?? {})) {
      add({ label: `query ${parameter.name} ${label}`, path: `${path}?${parameter.name}=${value}`, expect: "refused" });
    }
    if (op.method === "GET") {
      for (const [label, value] of pick(ODD_QUERY_VALUES, 2, salt + parameter.name.length)) {
        add({ label: `query ${parameter.name} ${label}`, path: `${path}?${parameter.name}=${value}`, expect: "any" });
      }
    }
  }
  if (op.method === "GET") {
    for (const [label, query] of pick(ODD_QUERIES, 2, salt)) add({ label, path: `${path}?${query}`, expect: "any" });
  }

  // Header parameters (If-Match): junk, with a valid body and a real id, on every recap.
  for (const parameter of op.parameters.filter((p) => p.in === "header")) {
    for (const [index, recap] of recaps.entries()) {
      for (const value of pick(BAD_IF_MATCH, 3, salt + index)) {
        add({
          label: `header ${parameter.name}: ${value.slice(0, 24)}`,
          path: fillPath(world, op, recap),
          headers: { [parameter.name]: value },
          expect: "refused",
        });
      }
    }
  }

  // An Idempotency-Key that is not one: refused before anything runs.
  if (op.method === "POST") {
    for (const value of pick(BAD_IDEMPOTENCY_KEYS, 2, salt)) {
      add({
        label: `Idempotency-Key ${JSON.stringify(value.slice(0, 10))}`,
        path,
        headers: { "idempotency-key": value },
        expect: "refused",
      });
    }
  }

  if (schema && mediaType) cases.push(...jsonBodyCases(op, salt, { path, schema, mediaType, valid, validText }));

  // Bodies in other media types (NDJSON events): lines that are not events.
  for (const [type, other] of Object.entries(op.body?.content ?? {})) {
    const types = typesOf(other);
    if (type === mediaType || types === "any" || !types.has("string")) continue;
    for (const text of NOT_NDJSON) {
      add({
        label: `${type} ${JSON.stringify(text.slice(0, 16))}`,
        path,
        body: text,
        contentType: type,
        expect: "refused",
      });
    }
    const huge = "x".repeat(bodyLimitFor(op.path) + 1);
    add({ label: `${type} over the body limit`, path, body: huge, contentType: type, expect: "refused", status: 413 });
  }

  // Operations without a body still have the body limit.
  if (!op.body && op.method !== "GET") {
    add({
      label: "an unexpected body over the limit",
      path,
      body: "x".repeat(bodyLimitFor(op.path) + 1),
      contentType: "application/json",
      expect: "refused",
      status: 413,
    });
  }
  return cases;
}

/** JSON bodies: each field broken in the ways its schema allows, then the body as a whole. */
function jsonBodyCases(
  op: Operation,
  salt: number,
  at: { path: string; schema: JsonSchema; mediaType: string; valid: unknown; validText: string | undefined },
): Case[] {
  const cases: Case[] = [];
  const { path, schema, mediaType } = at;
  let n = 0;
  const add = (label: string, body: string, extra: Partial<Case> = {}) => {
    // Every other POST carries a fresh Idempotency-Key: a refused request must not store one.
    const idempotency =
      op.method === "POST" && n++ % 2 === 0 ? { "idempotency-key": `fuzz-${randomUUID()}` } : undefined;
    cases.push({
      op,
      method: op.method,
      label,
      path,
      body,
      contentType: mediaType,
      expect: "refused",
      ...(idempotency ? { headers: idempotency } : {}),
      ...extra,
    });
  };
  const mutate = (label: string, value: unknown) => add(`body ${label}`, toJson(value));
  let hugeFieldDone = false;
  let deepFields = 0;
  for (const [branchIndex, { branch, body: base }] of baseBodies(schema, salt).entries()) {
    for (const [index, field] of fieldsOf(branch, base).entries()) {
      const where = field.path.join(".");
      const fieldSalt = salt * 100 + branchIndex * 10 + index;
      for (const value of pick(wrongTypedValues(field.schema), 1, fieldSalt)) {
        mutate(`${where} wrong type ${JSON.stringify(value)}`, withValue(base, field.path, value));
      }
      const arb = wrongTypeArb(field.schema);
      if (arb) mutate(`${where} random wrong type`, withValue(base, field.path, sampleOne(arb, fieldSalt)));
      for (const { label, value } of violations(field.schema)) {
        if (label.startsWith("far too long")) {
          if (hugeFieldDone) continue;
          hugeFieldDone = true;
        }
        mutate(`${where} ${label}`, withValue(base, field.path, value));
      }
      if (field.required) mutate(`${where} missing`, withValue(base, field.path, undefined, true));
      const inner = getAt(base, field.path);
      if (field.schema.additionalProperties === false && inner && typeof inner === "object" && !Array.isArray(inner)) {
        mutate(`${where} with an unknown field`, withValue(base, field.path, { ...clone(inner), zzUnknown: 1 }));
      }
      if (field.path.length === 1 && !acceptsNestedArrays(field.schema) && deepFields++ < 2) {
        mutate(`${where} nested 10,000 deep`, withValue(base, field.path, DEEP_ARRAY));
      }
    }
    if (branch.additionalProperties === false) {
      const known = (k: string) => k in (branch.properties ?? {}) || k === "__proto__";
      const key = sampleOne(
        unknownKeyArb.filter((k) => !known(k)),
        salt + branchIndex,
      );
      mutate(`with the unknown field ${JSON.stringify(key)}`, { ...(base as object), [key]: 1 });
    }
  }
  for (const value of pick([[], "text", 1, true, null], 2, salt)) mutate(`as ${JSON.stringify(value)}`, value);
  mutate("as a 10,000-level array", DEEP_ARRAY);
  if (!schema.properties?.a) mutate("as a 10,000-level object", DEEP_OBJECT);
  for (const text of pick(INVALID_JSON, 4, salt)) {
    add(`invalid JSON ${JSON.stringify(text.slice(0, 20))}`, text, { status: 400 });
  }
  const cut = at.validText ?? "{}";
  for (const end of fc.sample(fc.integer({ min: 1, max: Math.max(1, cut.length - 1) }), {
    seed: SEED + salt,
    numRuns: 2,
  })) {
    add(`JSON cut at ${end}`, cut.slice(0, end), { status: 400 });
  }
  for (const type of pick(WRONG_CONTENT_TYPES, 2, salt)) {
    add(`content type ${JSON.stringify(type)}`, at.validText ?? "{}", {
      contentType: type,
      ...(op.body?.required ? { status: 415 } : {}),
    });
  }
  add("over the body limit", hugeBody(schema, at.valid, bodyLimitFor(op.path)), { status: 413 });
  return cases;
}

function getAt(root: unknown, path: (string | number)[]): unknown {
  let cursor = root as Record<string | number, unknown> | undefined;
  for (const key of path) cursor = cursor?.[key] as Record<string | number, unknown> | undefined;
  return cursor;
}

function acceptsNestedArrays(schema: JsonSchema): boolean {
  const types = typesOf(schema);
  if (types === "any") return true;
  if (!types.has("array")) return false;
  const items = typesOf(schema.items ?? {});
  return items === "any" || items.has("array");
}

/** A body one byte over the limit: a valid body with its first string field blown up, or junk. */
function hugeBody(schema: JsonSchema, valid: unknown, limit: number): string {
  const field =
    valid === undefined ? undefined : fieldsOf(schema, valid).find((f) => typeof getAt(valid, f.path) === "string");
  if (!field) return `{"padding":"${"x".repeat(limit)}"}`;
  return toJson(withValue(valid, field.path, "x".repeat(limit + 1)));
}

/** Wrong methods on every documented path: 404 or 405, never a handler. */
function wrongMethodCases(): Case[] {
  const byPath = new Map<string, Operation[]>();
  for (const op of operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  return [...byPath.values()].flatMap((ops) => {
    const op = ops[0] as Operation;
    const listed = new Set(ops.map((o) => o.method));
    return ["GET", "PUT", "POST", "PATCH", "DELETE"]
      .filter((method) => !listed.has(method))
      .map((method) => ({
        op,
        label: `method ${method} is not served`,
        method,
        path: fillPath(world, op, world.recaps.published),
        body: "{}",
        contentType: "application/json",
        expect: "refused" as const,
      }));
  });
}

async function run(c: Case): Promise<string | null> {
  let answer: Answer;
  try {
    let headers = c.headers;
    if (c.ifMatchOf) {
      const current = await send(world.t.app, "GET", `/v1/recaps/${c.ifMatchOf.id}`, { key: world.a.key });
      headers = { ...headers, "if-match": current.headers.get("etag") ?? "" };
    }
    answer = await send(world.t.app, c.method, c.path, {
      key: world.a.key,
      ...(headers ? { headers } : {}),
      ...(c.body !== undefined ? { body: c.body } : {}),
      ...(c.contentType !== undefined ? { contentType: c.contentType } : {}),
    });
  } catch (error) {
    return `${c.op.name} — ${c.label}: the request threw ${(error as Error).message}`;
  }
  const fault = problemFault(answer, {
    allowSuccess: c.expect === "any",
    ...(c.status !== undefined ? { status: c.status } : {}),
  });
  return fault ? `${c.method} ${c.path.slice(0, 120)} (${c.op.operationId}) — ${c.label}: ${fault}` : null;
}

describe("every operation in the OpenAPI document, fuzzed", () => {
  it("refuses every broken request with a problem+json 4xx, never a 5xx, and changes no row", async () => {
    const cases = operations.flatMap((op, index) => casesFor(op, index + 1));
    cases.push(...wrongMethodCases());
    const perOperation = new Map(operations.map((op) => [op.name, 0]));
    for (const c of cases) perOperation.set(c.op.name, (perOperation.get(c.op.name) ?? 0) + 1);
    const unexercised = [...perOperation].filter(([name, count]) => count === 0 && !(name in SKIPPED_OPERATIONS));
    expect(unexercised, "operations the fuzz built no request for").toEqual([]);
    expect(
      Object.keys(SKIPPED_OPERATIONS).filter((name) => !perOperation.has(name)),
      "stale skips",
    ).toEqual([]);

    const before = await snapshot(world.t);
    const faults: string[] = [];
    await inPool(cases, 4, async (c) => {
      const fault = await run(c);
      if (fault) faults.push(fault);
    });
    // A refused request may not have left anything behind: no row, no job.
    expect(faults.slice(0, 40), `${faults.length} of ${cases.length} requests`).toEqual([]);
    expect(changedTables(before, await snapshot(world.t))).toEqual([]);
    console.info(`fuzz: ${operations.length} operations, ${cases.length} deterministic requests`);
  }, 120_000);

  it("refuses random schema-derived bodies with one random defect (fast-check property)", async () => {
    const bodyOps = operations.filter((op) => jsonMediaType(op));
    const caseArb = fc.constantFrom(...bodyOps).chain((op) => {
      const schema = op.body?.content[jsonMediaType(op) as string] ?? {};
      return validArb(schema).chain((base) => {
        const fields = fieldsOf(
          schema.oneOf ? (schema.oneOf.find((m) => fieldsOf(m, base).length) ?? schema) : schema,
          base,
        );
        const defects: fc.Arbitrary<{ label: string; body: unknown }>[] = [
          fc.constantFrom<unknown>([], "x", 0, null).map((value) => ({ label: "wrong root type", body: value })),
        ];
        if (schema.additionalProperties === false || schema.oneOf) {
          defects.push(
            unknownKeyArb
              .filter(
                (key) =>
                  key !== "__proto__" &&
                  !Object.hasOwn((base as object) ?? {}, key) &&
                  !(schema.properties && key in schema.properties) &&
                  !schema.oneOf?.some((m) => m.properties && key in m.properties),
              )
              .map((key) => ({
                label: `unknown field ${JSON.stringify(key)}`,
                body: { ...(base as object), [key]: "x" },
              })),
          );
        }
        for (const field of fields) {
          const where = field.path.join(".");
          const wrong = wrongTypeArb(field.schema);
          if (wrong)
            defects.push(
              wrong.map((value) => ({
                label: `${where} = ${JSON.stringify(value)}`,
                body: withValue(base, field.path, value),
              })),
            );
          const broken = violations(field.schema);
          if (broken.length)
            defects.push(
              fc
                .constantFrom(...broken)
                .map(({ label, value }) => ({ label: `${where} ${label}`, body: withValue(base, field.path, value) })),
            );
          if (field.required)
            defects.push(
              fc.constant({ label: `${where} missing`, body: withValue(base, field.path, undefined, true) }),
            );
        }
        return fc.oneof(...defects).map((defect) => ({ op, ...defect }));
      });
    });
    const before = await snapshot(world.t);
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ op, label, body }) => {
        const fault = await run({
          op,
          label,
          method: op.method,
          path: fillPath(world, op, recapsFor(world, op)[0] as Recap),
          body: toJson(body),
          contentType: jsonMediaType(op) as string,
          expect: "refused",
        });
        if (fault) throw new Error(fault);
      }),
      { seed: SEED, numRuns: 250, endOnFailure: true },
    );
    expect(changedTables(before, await snapshot(world.t))).toEqual([]);
  }, 120_000);
});

describe("hostile but well-formed input", () => {
  it("never answers 5xx to NUL characters, lone surrogates and other odd text in any field", async () => {
    const faults: string[] = [];
    const cases: Case[] = [];
    for (const op of operations.filter((o) => jsonMediaType(o))) {
      const mediaType = jsonMediaType(op) as string;
      const schema = op.body?.content[mediaType] ?? {};
      const recap = recapsFor(world, op)[0] as Recap;
      const path = fillPath(world, op, recap);
      const ifMatch = op.parameters.some((p) => p.in === "header" && p.name === "if-match") ? { ifMatchOf: recap } : {};
      for (const { branch, body: base } of baseBodies(schema)) {
        for (const field of fieldsOf(branch, base).filter((f) => typeof getAt(base, f.path) === "string")) {
          for (const value of ["a\u0000b", "\ud800", "\u202e\ufeff𝟘"]) {
            cases.push({
              op,
              label: `${field.path.join(".")} = ${JSON.stringify(value)}`,
              method: op.method,
              path,
              body: toJson(withValue(base, field.path, value)),
              contentType: mediaType,
              expect: "any",
              ...ifMatch,
            });
          }
        }
      }
      const valid = validBody(op);
      if (valid !== undefined) {
        cases.push({
          op,
          label: "a byte-order mark before the JSON",
          method: op.method,
          path,
          body: `\ufeff${toJson(valid)}`,
          contentType: mediaType,
          expect: "any",
        });
        const text = toJson(valid);
        for (const evil of ['"__proto__":{"polluted":true}', '"constructor":{"prototype":{"polluted":true}}']) {
          cases.push({
            op,
            label: `prototype pollution ${evil.slice(0, 16)}`,
            method: op.method,
            path,
            body: text === "{}" ? `{${evil}}` : `{${evil},${text.slice(1)}`,
            contentType: mediaType,
            expect: "any",
          });
        }
        cases.push({
          op,
          label: "a +json media type",
          method: op.method,
          path,
          body: toJson(valid),
          contentType: "application/merge-patch+json",
          expect: "any",
        });
      }
    }
    // Free-form properties: as deep as the size limit allows, and NULs in keys and values.
    const now = new Date().toISOString();
    const events = operations.find((op) => op.operationId === "ingestEvents");
    if (events) {
      for (const properties of [
        `{"a":${"[".repeat(4000)}${"]".repeat(4000)}}`,
        '{"a":"\\u0000"}',
        '{"\\u0000":1}',
        '{"a":"\\ud800"}',
        `{"a":${"1".repeat(400)}}`,
      ]) {
        cases.push({
          op: events,
          label: `event properties ${properties.slice(0, 20)}`,
          method: "POST",
          path: "/v1/events",
          body: `{"events":[{"account":"${world.account}","event":"fuzz.event","occurred_at":"${now}","properties":${properties}}]}`,
          contentType: "application/json",
          expect: "any",
        });
      }
      cases.push({
        op: events,
        label: "an NDJSON event with a NUL event_id",
        method: "POST",
        path: "/v1/events",
        body: `{"account":"${world.account}","event":"fuzz.event","occurred_at":"${now}","event_id":"\\u0000"}`,
        contentType: "application/x-ndjson",
        expect: "any",
      });
    }
    // Path parameters with broken escapes where any visible ASCII is allowed.
    for (const op of operations.filter((o) => /\{(externalId|key)\}/.test(o.path))) {
      for (const value of ["%FF%FE", "%E0%A4%A", "%25", "a%00b"]) {
        const name = /\{(externalId|key)\}/.exec(op.path)?.[1] as string;
        cases.push({
          op,
          label: `path ${value}`,
          method: op.method,
          path: fillPath(world, op, world.recaps.published, { [name]: value }),
          body: toJson(validBody(op)),
          contentType: "application/json",
          expect: "any",
        });
      }
    }
    await inPool(cases, 4, async (c) => {
      const fault = await run(c);
      if (fault) faults.push(fault);
    });
    expect(faults.slice(0, 40), `${faults.length} of ${cases.length} requests`).toEqual([]);
    expect(({} as Record<string, unknown>).polluted, "Object.prototype was polluted").toBeUndefined();
  }, 120_000);

  it("never answers 5xx to random valid-shaped bodies full of odd text (fast-check property)", async () => {
    const bodyOps = operations.filter((op) => jsonMediaType(op));
    const caseArb = fc
      .constantFrom(...bodyOps)
      .chain((op) =>
        validArb(op.body?.content[jsonMediaType(op) as string] ?? {}, { hostile: true }).map((body) => ({ op, body })),
      );
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ op, body }) => {
        const fault = await run({
          op,
          label: "random body",
          method: op.method,
          path: fillPath(world, op, recapsFor(world, op)[0] as Recap),
          body: toJson(body),
          contentType: jsonMediaType(op) as string,
          expect: "any",
        });
        if (fault) throw new Error(fault);
      }),
      { seed: SEED, numRuns: 150, endOnFailure: true },
    );
  }, 120_000);
});

describe("routes outside the OpenAPI document (pages, share links, files)", () => {
  /** A real value for each route parameter, so the broken ones are the only thing wrong. */
  const realValue = (name: string, route: string): string => {
    const values: Record<string, string> = {
      id: world.recaps.pending.id,
      kind: "linkedin",
      size: "square",
      token: world.previewToken,
      code: world.link.code,
      file: route.startsWith("GET /docs") ? "swagger-ui.css" : `${"0".repeat(64)}.png`,
    };
    const value = values[name];
    if (value === undefined) throw new Error(`${route}: no value for :${name}; add it to realValue in fuzz.test.ts`);
    return value;
  };
  const fill = (route: string, override: Record<string, string> = {}) =>
    route
      .slice(route.indexOf(" ") + 1)
      .replace(/:(\w+)(\{.*\})?/g, (_m, name: string) => override[name] ?? realValue(name, route));

  /** Signing out with a valid form would end the session the rest of the file uses. */
  const NO_VALID_CSRF = new Set(["POST /review/logout"]);

  it("never answers 5xx to broken parameters and form bodies, never redirects off-site, and changes no row", async () => {
    const routes = [
      ...new Set(
        world.t.app.routes
          .filter((r) => r.method !== "ALL" && !r.path.startsWith("/v1/") && r.path !== "/openapi.json")
          .map((r) => `${r.method} ${r.path}`),
      ),
    ];
    expect(routes.length).toBeGreaterThan(15);
    const a = world.sessions.a;
    const cookie = [...a.browser.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("; ");
    const cases: { route: string; path: string; body?: string | Uint8Array; contentType?: string; query?: string }[] =
      [];
    for (const [index, route] of routes.entries()) {
      const method = route.slice(0, route.indexOf(" "));
      const params = [...route.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
      for (const name of params) {
        for (const value of pick(
          ["a".repeat(10_000), "a%00b", "%FF%FE", "..%2F..%2Fetc%2Fpasswd", "%27%20or%201%3D1"],
          3,
          index,
        )) {
          cases.push({ route, path: fill(route, { [name]: value }) });
        }
      }
      cases.push({
        route,
        path: fill(route),
        query: pick(
          [
            "next=https://evil.example/x",
            "next=//evil.example",
            "next=%2F%2Fevil.example",
            "done=%00",
            "theme=%FF",
            "state=' or 1=1",
          ],
          2,
          index,
        ).join("&"),
      });
      if (method !== "POST") continue;
      const csrf = NO_VALID_CSRF.has(route) ? "forged" : a.csrf;
      const limit = world.t.deps.config.bodyLimitBytes;
      const forms: [string | Uint8Array, string][] = [
        [
          new URLSearchParams({
            _csrf: csrf,
            version: "x",
            reason: "a\u0000b",
            instructions: "\ud800",
            headline: "𝟘".repeat(500),
            approve: "nope:1",
            hide: "x",
          }).toString(),
          "application/x-www-form-urlencoded",
        ],
        [
          Buffer.concat([Buffer.from(`_csrf=${csrf}&version=x&reason=`), Buffer.from([0xc3, 0x28, 0xff])]),
          "application/x-www-form-urlencoded",
        ],
        [
          '--zz\r\nContent-Disposition: form-data; name="version"\r\n\r\n1\r\n--zz--',
          "multipart/form-data; boundary=other",
        ],
        ['{"version": 1, "_csrf": "x"}', "application/json"],
        [`version=${"9".repeat(400)}&${"a[b]".repeat(2000)}=1`, "application/x-www-form-urlencoded"],
        ["x".repeat(limit + 1), "application/x-www-form-urlencoded"],
      ];
      for (const [body, contentType] of forms) cases.push({ route, path: fill(route), body, contentType });
    }
    const faults: string[] = [];
    const check = async (c: (typeof cases)[number]) => {
      const method = c.route.slice(0, c.route.indexOf(" "));
      const path = c.query ? `${c.path}?${c.query}` : c.path;
      const answer = await send(world.t.app, method, path, {
        headers: { cookie },
        ...(c.body !== undefined ? { body: c.body } : {}),
        ...(c.contentType ? { contentType: c.contentType } : {}),
      });
      const where = `${c.route} (${path.slice(0, 80)}${c.contentType ? `, ${c.contentType}` : ""})`;
      if (answer.status >= 500) faults.push(`${where}: ${answer.status} ${answer.text.slice(0, 120)}`);
      const location = answer.headers.get("location");
      // The share redirect sends visitors to the tenant's signup page by design; nothing else leaves.
      if (location && !c.route.startsWith("GET /r/") && !/^\/(?![/\\])/.test(location)) {
        faults.push(`${where}: redirects off-site to ${location}`);
      }
    };
    // Broken parameters and broken forms change nothing; odd queries on real parameters are real
    // visits (a click is counted, a preview rendered), so they run after the row check.
    const before = await snapshot(world.t);
    await inPool(
      cases.filter((c) => !c.query),
      4,
      check,
    );
    expect(changedTables(before, await snapshot(world.t))).toEqual([]);
    await inPool(
      cases.filter((c) => c.query),
      4,
      check,
    );
    // Those visits' clicks are buffered: write them now, not in the middle of a later row check.
    await world.t.deps.clicks.flush();
    expect(faults.slice(0, 40), `${faults.length} of ${cases.length} requests`).toEqual([]);
  }, 60_000);
});

// Request.json() would decode bad bytes as U+FFFD and store text nobody sent; the strictUtf8
// middleware (src/platform/http/strict-utf8.ts) refuses such bodies first.
describe("bodies that are not UTF-8", () => {
  it("refuses invalid UTF-8 in a JSON body with 400 and changes no row", async () => {
    const before = await snapshot(world.t);
    const faults: string[] = [];
    for (const op of operations) {
      const mediaType = jsonMediaType(op);
      const valid = validBody(op);
      if (!mediaType || valid === undefined) continue;
      const schema = op.body?.content[mediaType] ?? {};
      const field = fieldsOf(schema, valid).find((f) => typeof getAt(valid, f.path) === "string");
      const marked = field ? withValue(valid, field.path, "MARK") : { ...(valid as object), zz: "MARK" };
      const [head = "", tail = ""] = toJson(marked).split("MARK");
      const body = Buffer.concat([Buffer.from(head), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(tail)]);
      for (const recap of recapsFor(world, op)) {
        const etag = (await send(world.t.app, "GET", `/v1/recaps/${recap.id}`, { key: world.a.key })).headers.get(
          "etag",
        );
        const headers: Record<string, string> =
          etag && op.parameters.some((p) => p.name === "if-match") ? { "if-match": etag } : {};
        const answer = await send(world.t.app, op.method, fillPath(world, op, recap), {
          key: world.a.key,
          headers,
          body,
          contentType: mediaType,
        });
        const fault = problemFault(answer, { status: 400 });
        if (fault) faults.push(`${op.name}: ${fault}`);
      }
    }
    expect(faults).toEqual([]);
    expect(changedTables(before, await snapshot(world.t))).toEqual([]);
  }, 60_000);
});
