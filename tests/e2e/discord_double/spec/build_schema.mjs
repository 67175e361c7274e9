// Turns the npm package `discord-api-spec` (generated from Discord's OpenAPI description of
// API v10) into one JSON file the double validates requests with:
//   { package, version, defs: {Name: JSON Schema}, operations: [{method, path, path_params,
//     query, body}] }
// `defs` come from the package's Zod schemas (zod's own JSON Schema export); the operations
// (path, method, query parameters, request body) from its `Paths` TypeScript interface,
// which is generated code of a small regular shape parsed below.
//
// Usage (copied next to the node_modules folder the two packages are installed in, so that
// both import the same zod): node build_schema.mjs <output file>
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as schemas from "discord-api-spec/zod";
import * as z from "zod/mini";

const [output] = process.argv.slice(2);
const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "node_modules", "discord-api-spec");
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));

// 1. Component schemas. Objects stay open (zod's z.object): Discord ignores unknown fields.
const registry = z.registry();
for (const [name, schema] of Object.entries(schemas)) {
  if (name.endsWith("Schema") && schema && schema._zod) registry.add(schema, { id: name.slice(0, -6) });
}
const exported = z.toJSONSchema(registry, {
  unrepresentable: "any",
  cycles: "ref",
  io: "input",
  uri: (id) => `#/$defs/${id}`,
});
const defs = {};
for (const [name, schema] of Object.entries(exported.schemas)) {
  const { $schema, $id, ...rest } = schema;
  defs[name] = rest;
}

// 2. Operations, from `export interface Paths { ... }`.
const ts = readFileSync(join(pkgDir, "build", "discord-api-spec.ts"), "utf8");
const start = ts.indexOf("export interface Paths {");
if (start < 0) throw new Error("no Paths interface in discord-api-spec.ts");
const src = ts.slice(start + "export interface Paths ".length).replace(/\/\*[\s\S]*?\*\//g, " ");

const tokens = [];
const tokenRe = /\s*("(?:[^"\\]|\\.)*"|[A-Za-z_$][\w$]*|-?\d+(?:\.\d+)?|\[\]|[{}()[\];:?|&,<>])/y;
for (let m; (m = tokenRe.exec(src)); ) tokens.push(m[1]);
let pos = 0;
const peek = () => tokens[pos];
const take = (want) => {
  const tok = tokens[pos++];
  if (want !== undefined && tok !== want) throw new Error(`expected ${want}, got ${tok} at ${pos}`);
  return tok;
};

// A TypeScript type → {kind, ...}; only what the generated Paths interface uses.
function parseUnion() {
  if (peek() === "|") take();
  const parts = [parsePostfix()];
  while (peek() === "|" || peek() === "&") {
    if (take() === "&") throw new Error("intersection types are not expected in Paths");
    parts.push(parsePostfix());
  }
  return parts.length === 1 ? parts[0] : { kind: "union", parts };
}
function parsePostfix() {
  let type = parsePrimary();
  while (peek() === "[]") {
    take();
    type = { kind: "array", items: type };
  }
  return type;
}
function parsePrimary() {
  const tok = take();
  if (tok === "{") {
    const members = [];
    let additional = null;
    while (peek() !== "}") {
      if (peek() === "[") {
        // an index signature: [key: string]: T
        take("[");
        take();
        take(":");
        take("string");
        take("]");
        take(":");
        additional = parseUnion();
        if (peek() === ";" || peek() === ",") take();
        continue;
      }
      let key = take();
      if (key.startsWith('"')) key = JSON.parse(key);
      const optional = peek() === "?";
      if (optional) take();
      take(":");
      members.push({ key, optional, type: parseUnion() });
      if (peek() === ";" || peek() === ",") take();
    }
    take("}");
    return { kind: "object", members, additional };
  }
  if (tok === "(") {
    const inner = parseUnion();
    take(")");
    return inner;
  }
  if (tok === "[") {
    const items = [];
    while (peek() !== "]") {
      items.push(parseUnion());
      if (peek() === ",") take();
    }
    take("]");
    return { kind: "tuple", items };
  }
  if (tok.startsWith('"')) return { kind: "const", value: JSON.parse(tok) };
  if (/^-?\d/.test(tok)) return { kind: "const", value: Number(tok) };
  return { kind: "name", name: tok };
}

function toSchema(type) {
  switch (type.kind) {
    case "union": {
      const parts = type.parts.filter((p) => !(p.kind === "name" && p.name === "undefined"));
      return parts.length === 1 ? toSchema(parts[0]) : { anyOf: parts.map(toSchema) };
    }
    case "array":
      return { type: "array", items: toSchema(type.items) };
    case "const":
      return { const: type.value };
    case "tuple":
      return { type: "array", prefixItems: type.items.map(toSchema) };
    case "object": {
      const properties = {};
      const required = [];
      for (const m of type.members) {
        properties[m.key] = toSchema(m.type);
        if (!m.optional) required.push(m.key);
      }
      const schema = { type: "object", properties, required };
      if (type.additional) schema.additionalProperties = toSchema(type.additional);
      return schema;
    }
    case "name": {
      const builtin = {
        string: { type: "string" },
        number: { type: "number" },
        boolean: { type: "boolean" },
        null: { type: "null" },
        unknown: {},
        any: {},
        never: { not: {} },
      }[type.name];
      if (builtin) return builtin;
      if (!(type.name in defs)) throw new Error(`type ${type.name} has no schema`);
      return { $ref: `#/$defs/${type.name}` };
    }
  }
  throw new Error(`unknown type kind ${type.kind}`);
}

const member = (obj, key) => obj.members.find((m) => m.key === key);
const absent = (t) => !t || (t.type.kind === "name" && ["never", "undefined"].includes(t.type.name));

const paths = parsePrimary();
const operations = [];
for (const pathMember of paths.members) {
  for (const op of pathMember.type.members) {
    const params = member(op.type, "parameters").type;
    const fields = (key) => {
      const m = member(params, key);
      if (absent(m)) return {};
      return Object.fromEntries(
        m.type.members.map((p) => [p.key, { schema: toSchema(p.type), required: !p.optional }]),
      );
    };
    const body = member(op.type, "requestBody");
    operations.push({
      method: op.key.toUpperCase(),
      path: pathMember.key,
      path_params: fields("path"),
      query: fields("query"),
      body: absent(body) ? null : toSchema(body.type),
    });
  }
}

writeFileSync(
  output,
  JSON.stringify({ package: pkg.name, version: pkg.version, license: pkg.license, defs, operations }),
);
console.log(`${output}: ${operations.length} operations, ${Object.keys(defs).length} schemas (${pkg.name} ${pkg.version})`);
