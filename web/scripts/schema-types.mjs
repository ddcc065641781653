// Generates the TypeScript types of the wire formats from core's JSON Schemas, so that the UI's
// event and snapshot types cannot drift from what the server sends:
//   core/.../event/event.schema.json      -> src/main/ts/api/generated/event.ts
//   core/.../state/run-state.schema.json  -> src/main/ts/api/generated/runState.ts
// event.ts also gets EVENT_TYPES, the event types the schema lists. The output is not checked in
// (.gitignore); the npm scripts that read the sources (build, typecheck, test, dev) run this first.
// A file is rewritten only when its text changes. Usage: node scripts/schema-types.mjs
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const resources = join(web, '..', 'core', 'src', 'main', 'resources', 'dev', 'orchestra');
const out = join(web, 'src', 'main', 'ts', 'api', 'generated');

const targets = [
  { schema: join(resources, 'event', 'event.schema.json'), file: join(out, 'event.ts'), eventTypes: true },
  { schema: join(resources, 'state', 'run-state.schema.json'), file: join(out, 'runState.ts'), eventTypes: false },
];

function banner(schemaPath) {
  const from = relative(web, schemaPath).split('\\').join('/');
  return `/* Generated from ${from} by scripts/schema-types.mjs (json-schema-to-typescript). Do not edit: change the schema. */`;
}

/** The `type` constants of the event schema's oneOf entries, in the schema's order. */
function eventTypes(schema) {
  return schema.oneOf.map((entry) => {
    const name = entry.$ref.replace('#/definitions/', '');
    const type = schema.definitions[name]?.properties?.type?.const;
    if (typeof type !== 'string') throw new Error(`event.schema.json: ${entry.$ref} has no properties.type.const`);
    return type;
  });
}

for (const t of targets) {
  let schema;
  try {
    schema = JSON.parse(readFileSync(t.schema, 'utf8'));
  } catch (e) {
    console.error(`cannot read the schema ${t.schema}: ${e.message}`);
    process.exit(1);
  }
  let ts = await compile(schema, schema.title, {
    bannerComment: banner(t.schema),
    additionalProperties: false,
    style: { singleQuote: true, printWidth: 120 },
  });
  if (t.eventTypes) {
    const list = eventTypes(schema)
      .map((type) => `  '${type}',`)
      .join('\n');
    ts += `\n/** Every event type the schema describes, in its order. */\nexport const EVENT_TYPES = [\n${list}\n] as const satisfies readonly RunEvent['type'][];\n`;
  }
  mkdirSync(dirname(t.file), { recursive: true });
  if (!existsSync(t.file) || readFileSync(t.file, 'utf8') !== ts) {
    writeFileSync(t.file, ts);
    console.log(`wrote ${relative(web, t.file)} from ${relative(web, t.schema)}`);
  }
}
