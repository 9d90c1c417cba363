import fc from "fast-check";
import type { JsonSchema } from "./fuzz-world.js";

// JSON Schema (as @hono/zod-openapi writes it into /openapi.json) → fast-check arbitraries for
// valid values, and → requests that the schema itself says must be refused.

export const SEED = 20_260_118;

type JsonType = "string" | "number" | "integer" | "boolean" | "null" | "object" | "array";

/** A JSON token spliced into a body as written (`1e999`, a 10,000-level array), not as a value. */
export class Raw {
  constructor(readonly text: string) {}
}

/** Serializes a value that may hold Raw tokens. */
export function toJson(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Raw) {
      raws.push(v.text);
      return `__RAW_${raws.length - 1}__`;
    }
    return v;
  });
  return (text ?? "").replace(/"__RAW_(\d+)__"/g, (_m, index: string) => raws[Number(index)] ?? "");
}

/** The JSON types a schema accepts, or "any" for a free-form value. */
export function typesOf(schema: JsonSchema): Set<JsonType> | "any" {
  const members = schema.oneOf ?? schema.anyOf;
  if (members) {
    const all = new Set<JsonType>();
    for (const member of members) {
      const types = typesOf(member);
      if (types === "any") return "any";
      for (const type of types) all.add(type);
    }
    return all;
  }
  const out = new Set<JsonType>();
  if (schema.type !== undefined) {
    for (const type of [schema.type].flat()) out.add(type as JsonType);
  } else if (schema.enum) {
    for (const value of schema.enum) out.add(jsonTypeOf(value));
  } else if (schema.const !== undefined) {
    out.add(jsonTypeOf(schema.const));
  } else if (schema.properties) {
    out.add("object");
  } else if (schema.items) {
    out.add("array");
  } else {
    return "any";
  }
  if (out.has("number")) out.add("integer");
  return out;
}

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (Number.isInteger(value)) return "integer";
  return typeof value as JsonType;
}

// ---------------------------------------------------------------------------------------------
// Valid values

type ArbOptions = {
  /** Every optional property present (so each one can be mutated in place). */
  allKeys?: boolean;
  /** Free strings from every code point, NUL and lone surrogates included, plus known troublemakers. */
  hostile?: boolean;
};

const SAFE_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const safeString = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...SAFE_CHARS), minLength: Math.max(1, min), maxLength: Math.max(1, min, max) });

/** Strings that have broken services before. */
export const HOSTILE_STRINGS = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff\ud800",
  "\u202eevil",
  "\ufeffbom",
  "e\u0301\u0301\u0301",
  "𝟘𝟙𝟚 👩‍👩‍👧‍👦",
  "'; drop table recaps; --",
  "\u0024{jndi:ldap://x}",
  "<script>alert(1)</script>",
  "%00%ff",
  "\\u0000",
  "null",
  "  ",
  "\r\n\t",
];

function plainString(schema: JsonSchema, options: ArbOptions): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 40, 40);
  if (!options.hostile) return safeString(min, max);
  return fc.oneof(
    fc.string({ unit: "binary", minLength: min, maxLength: Math.max(min, max) }),
    fc.constantFrom(...HOSTILE_STRINGS),
    safeString(min, max).map((s) => `${s}\u0000`),
  );
}

const EXAMPLE_PATTERNS: Record<string, string[]> = {
  "^[A-Z]{3}$": ["EUR", "USD", "SEK"],
  "^#[0-9a-fA-F]{6}$": ["#112233", "#AbCdEf"],
  "^\\d{4}-Q[1-4]$": ["2025-Q1", "2025-Q4"],
};

function stringArb(schema: JsonSchema, options: ArbOptions): fc.Arbitrary<unknown> {
  const max = schema.maxLength ?? 200;
  switch (schema.format) {
    case "uuid":
      return fc.uuid({ version: 4 });
    case "email":
      return safeString(1, 12).map((local) => `${local.toLowerCase()}@example.test`);
    case "date-time":
      return fc.integer({ min: 60_000, max: 20 * 86_400_000 }).map((ago) => new Date(Date.now() - ago).toISOString());
    case "uri":
      return fc.webUrl({ validSchemes: ["https"] }).filter((url) => url.length <= max);
  }
  if (schema.pattern) {
    const known = EXAMPLE_PATTERNS[schema.pattern];
    if (known) return fc.constantFrom(...known);
    try {
      const regex = new RegExp(schema.pattern);
      return fc
        .stringMatching(regex)
        .filter((s) => s.length >= (schema.minLength ?? 0) && s.length <= Math.min(max, 60) && regex.test(s));
    } catch {
      return fc.constant(typeof schema.example === "string" ? schema.example : "x");
    }
  }
  return plainString(schema, options);
}

function numberArb(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lowerExclusive = typeof schema.exclusiveMinimum === "number";
  const upperExclusive = typeof schema.exclusiveMaximum === "number";
  const min = (lowerExclusive ? (schema.exclusiveMinimum as number) : schema.minimum) ?? -1e6;
  const max = (upperExclusive ? (schema.exclusiveMaximum as number) : schema.maximum) ?? 1e6;
  if (integer) {
    return fc.integer({
      min: Math.ceil(lowerExclusive ? min + 1 : min),
      max: Math.min(Math.floor(upperExclusive ? max - 1 : max), Number.MAX_SAFE_INTEGER),
    });
  }
  return fc.double({ min, max, minExcluded: lowerExclusive, maxExcluded: upperExclusive, noNaN: true });
}

/** Values the schema accepts (up to what JSON Schema can say: zod refinements may still refuse some). */
export function validArb(schema: JsonSchema, options: ArbOptions = {}, depth = 0): fc.Arbitrary<unknown> {
  const members = schema.oneOf ?? schema.anyOf;
  if (members) return fc.oneof(...members.map((member) => validArb(member, options, depth)));
  if (schema.enum) {
    const values = schema.enum.filter((value) => value !== null);
    return fc.constantFrom(...(values.length ? values : schema.enum));
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  const types = typesOf(schema);
  if (types === "any") return fc.jsonValue({ maxDepth: 2 });
  const type = [...types].find((candidate) => candidate !== "null") ?? "null";
  switch (type) {
    case "string":
      return stringArb(schema, options);
    case "integer":
      return numberArb(schema, !types.has("number"));
    case "number":
      return numberArb(schema, false);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const item = validArb(schema.items ?? {}, options, depth + 1);
      const minLength = Math.max(schema.minItems ?? 0, options.allKeys ? 1 : 0);
      return fc.array(item, { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 3, 3)) });
    }
    default:
      return objectArb(schema, options, depth);
  }
}

function objectArb(schema: JsonSchema, options: ArbOptions, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0) {
    return fc.dictionary(safeString(1, 10), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
  }
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [name, validArb(property, options, depth + 1)]),
  );
  return options.allKeys ? fc.record(model) : fc.record(model, { requiredKeys: schema.required ?? [] });
}

/** One deterministic sample of an arbitrary. */
export function sampleOne<T>(arb: fc.Arbitrary<T>, salt = 0): T {
  const [value] = fc.sample(arb, { seed: SEED + salt, numRuns: 1 });
  return value as T;
}

/** `count` of `list`, chosen and ordered by the seed and `salt` (all of it when it is that short). */
export function pick<T>(list: readonly T[], count: number, salt: number): T[] {
  if (list.length <= count) return [...list];
  return sampleOne(fc.shuffledSubarray([...list], { minLength: count, maxLength: count }), salt);
}

/** True when a string schema (a path or query parameter) refuses `value`. */
export function refuses(schema: JsonSchema, value: string): boolean {
  if (schema.enum) return !schema.enum.includes(value);
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return true;
  if (schema.minLength !== undefined && value.length < schema.minLength) return true;
  if (schema.pattern && !new RegExp(schema.pattern).test(value)) return true;
  if (schema.format === "uuid")
    return !/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(value);
  return false;
}

/** The schema's bodies to mutate: one per oneOf branch, each with every property present. */
export function baseBodies(schema: JsonSchema, salt = 0): { branch: JsonSchema; body: unknown }[] {
  const branches = schema.oneOf ?? schema.anyOf ?? [schema];
  return branches.map((branch, index) => ({
    branch,
    body: sampleOne(validArb(branch, { allKeys: true }), salt + index),
  }));
}

// ---------------------------------------------------------------------------------------------
// Values the schema refuses

const WRONG_TYPED: { type: JsonType; value: unknown }[] = [
  { type: "string", value: "fuzz" },
  { type: "integer", value: 7 },
  { type: "number", value: 12.5 },
  { type: "boolean", value: true },
  { type: "null", value: null },
  { type: "object", value: { nested: "object" } },
  { type: "array", value: ["fuzz"] },
];

/** An arbitrary of values of a JSON type the schema does not accept. */
export function wrongTypeArb(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const types = typesOf(schema);
  if (types === "any") return undefined;
  const options: fc.Arbitrary<unknown>[] = [];
  if (!types.has("string")) options.push(fc.string({ maxLength: 20 }));
  if (!types.has("integer")) options.push(fc.integer());
  if (!types.has("number"))
    options.push(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)));
  if (!types.has("boolean")) options.push(fc.boolean());
  if (!types.has("null")) options.push(fc.constant(null));
  if (!types.has("object"))
    options.push(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }));
  if (!types.has("array")) options.push(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));
  return options.length ? fc.oneof(...options) : undefined;
}

/** Fixed values of every JSON type the schema does not accept. */
export function wrongTypedValues(schema: JsonSchema): unknown[] {
  const types = typesOf(schema);
  if (types === "any") return [];
  return WRONG_TYPED.filter(({ type }) =>
    type === "number" ? !types.has("number") : type === "integer" ? !types.has("integer") : !types.has(type),
  ).map(({ value }) => value);
}

const PATTERN_BREAKERS = ["", " ", "a b", "ÄÖ", "\u0000", "x".repeat(300), "A", "1", "#", "-", "é", "/", "Q"];
const FORMAT_BREAKERS: Record<string, string[]> = {
  uuid: ["not-a-uuid", "00000000-0000-0000-0000-00000000000g", "{b5a0f6f0-1111-4111-8111-111111111111}"],
  email: ["not-an-email", "a@", "@b.c", "a b@c.d"],
  "date-time": ["2024-02-30T25:61:00Z", "yesterday", "2024-01-01", "2024-01-01T00:00:00"],
  uri: ["not a url", "ht!tp://x", "//no-scheme"],
};

/** Values of the right type that break one of the schema's constraints, each labelled. */
export function violations(schema: JsonSchema): { label: string; value: unknown }[] {
  const out: { label: string; value: unknown }[] = [];
  const types = typesOf(schema);
  if (types === "any") return out;
  if (schema.enum) {
    const options = new Set(schema.enum);
    for (const value of [
      "zz-not-an-option",
      String(schema.enum[0] ?? "").toUpperCase(),
      ` ${String(schema.enum[0])}`,
    ]) {
      if (!options.has(value)) out.push({ label: "not one of the enum", value });
    }
    return out;
  }
  if (types.has("string")) {
    if (schema.maxLength !== undefined) {
      out.push({ label: "one character too long", value: "a".repeat(schema.maxLength + 1) });
      out.push({ label: "far too long (200 kB)", value: "a".repeat(200_000) });
    }
    if ((schema.minLength ?? 0) > 0) out.push({ label: "empty", value: "" });
    if (schema.pattern) {
      const regex = new RegExp(schema.pattern);
      for (const value of PATTERN_BREAKERS) {
        if (!regex.test(value) && (schema.maxLength === undefined || value.length <= schema.maxLength)) {
          out.push({ label: `breaks the pattern ${schema.pattern}`, value });
        }
      }
    }
    for (const value of (schema.format && FORMAT_BREAKERS[schema.format]) ?? []) {
      out.push({ label: `not a ${schema.format}`, value });
    }
  }
  if (types.has("integer") || types.has("number")) {
    const lowerExclusive = typeof schema.exclusiveMinimum === "number";
    const upperExclusive = typeof schema.exclusiveMaximum === "number";
    if (schema.minimum !== undefined) out.push({ label: "below the minimum", value: schema.minimum - 1 });
    if (lowerExclusive) out.push({ label: "at the exclusive minimum", value: schema.exclusiveMinimum });
    if (schema.maximum !== undefined) out.push({ label: "above the maximum", value: schema.maximum + 1 });
    if (upperExclusive) out.push({ label: "at the exclusive maximum", value: schema.exclusiveMaximum });
    if (!types.has("number")) out.push({ label: "not whole", value: (schema.minimum ?? 0) + 0.5 });
    out.push({ label: "overflows to Infinity", value: new Raw("1e999") });
    out.push({ label: "overflows to -Infinity", value: new Raw("-1e999") });
  }
  if (types.has("array")) {
    if ((schema.minItems ?? 0) > 0) out.push({ label: "an empty array", value: [] });
  }
  return out;
}

/** A field of a body: where it is and its schema. */
export type Field = { path: (string | number)[]; schema: JsonSchema; required: boolean };

/** Every field in a value shaped by `schema` (objects by property, arrays by their first item). */
export function fieldsOf(schema: JsonSchema, value: unknown, path: (string | number)[] = [], depth = 0): Field[] {
  if (depth > 5) return [];
  const out: Field[] = [];
  if (schema.properties && value && typeof value === "object" && !Array.isArray(value)) {
    for (const [name, property] of Object.entries(schema.properties)) {
      if (!(name in value)) continue;
      const inner = (value as Record<string, unknown>)[name];
      const memberSchema = pickMember(property, inner);
      out.push({ path: [...path, name], schema: property, required: (schema.required ?? []).includes(name) });
      out.push(...fieldsOf(memberSchema, inner, [...path, name], depth + 1));
    }
  }
  if (schema.items && Array.isArray(value) && value.length > 0) {
    const item = pickMember(schema.items, value[0]);
    // An array item is never "required": removing one leaves a shorter, possibly valid, array.
    out.push({ path: [...path, 0], schema: schema.items, required: false });
    out.push(...fieldsOf(item, value[0], [...path, 0], depth + 1));
  }
  return out;
}

/** The member of a oneOf that a value was generated from (the first that could hold it). */
function pickMember(schema: JsonSchema, value: unknown): JsonSchema {
  const members = schema.oneOf ?? schema.anyOf;
  if (!members) return schema;
  return (
    members.find((member) => {
      const types = typesOf(member);
      return types === "any" || types.has(jsonTypeOf(value));
    }) ?? schema
  );
}

export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** A copy of `root` with the value at `path` replaced (or removed, with `remove`). */
export function withValue(root: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const copy = clone(root) as Record<string | number, unknown>;
  let cursor = copy;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (remove) {
    if (Array.isArray(cursor)) cursor.splice(Number(last), 1);
    else delete cursor[last];
  } else cursor[last] = value;
  return copy;
}

/** Keys no schema here knows, for the unknown-field mutations. */
export const unknownKeyArb = fc.oneof(
  fc.constantFrom("zzUnknownField", "__proto__x", "constructor", "tenantId", "id", "isAdmin"),
  fc.string({ minLength: 1, maxLength: 12 }),
);

/** 10,000 levels of nesting, as JSON text. */
export const DEEP_ARRAY = new Raw(`${"[".repeat(10_000)}${"]".repeat(10_000)}`);
export const DEEP_OBJECT = new Raw(`${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`);

/** Bodies that are not JSON at all. */
export const INVALID_JSON = [
  "",
  "{",
  "}",
  '{"a":}',
  "{'a': 1}",
  "[1,]",
  '{"a":1}}',
  '{"a":1,}',
  "nul",
  "NaN",
  "undefined",
  '{"a":"\\x41"}',
  '{"a":"unterminated}',
  "1 2",
  "\u0000",
  '{"a":1}\u0000',
  "/* comment */ {}",
];
