// Layer rules: which way imports may point. Run with `npm run lint:layers` (part of `npm run check`).
// Paths are relative to the repository root (the cruise runs there): src/..., workers/...,
// spec/generated/..., node_modules/<package>/...
// test/unit/layer-rules.test.ts runs this file over a small fixture tree; every rule here needs a
// bad import there that it reports.

// Domain folders: the connector's behaviour and the infrastructure it stands on. They sit below the
// HTTP surface, the CLI and the process assembly.
const DOMAIN = [
  'requests',
  'items',
  'intake',
  'ledger',
  'tenancy',
  'windows',
  'approvals',
  'ticket-updates',
  'reconcile',
  'jobs',
  'clients',
  'redis',
  'observability',
];

// A regex matching any module in one of the given src/ folders.
const inSrc = (folders) => `^src/(${folders.join('|')})/`;

// A regex matching a package, whether it resolved into node_modules (the normal case; also
// type-only imports, which resolve to the package too) or could not be resolved at all (then the
// resolved name is the bare module name). Without the second form an uninstalled package would slip
// past the rule.
const npmPackage = (names) => `^(node_modules/)?(${names.join('|')})(/|$)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'only-processes-import-workers',
      comment:
        'workers/ is the worker process machinery (pool, processor table). Only the process assembly ' +
        '(src/processes/**) wires it in; anything else in src/ importing it drags BullMQ workers into ' +
        'the API process, the CLI or the simulators. Pass what you need in from src/processes instead.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/processes/' },
      to: { path: '^workers/' },
    },
    {
      name: 'no-imports-of-cli',
      comment:
        'src/cli/** is CLI-only (argument parsing, local stacks, console output). Nothing outside ' +
        'src/cli imports it (tests and bench may; they are not part of this cruise). Move shared code ' +
        'down into the layer that owns it.',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'clients-not-to-connector-flow',
      comment:
        'src/clients/** are the ServiceNow and Storware API clients: wire calls, sessions, errors. ' +
        'They may use shared basics (config, errors, logger, observability, spec/generated types) but ' +
        'not the flow that uses them; otherwise a client change ripples through the whole connector ' +
        'and cycles follow.',
      severity: 'error',
      from: { path: '^src/clients/' },
      to: {
        path: inSrc([
          'ops',
          'requests',
          'items',
          'http',
          'intake',
          'ledger',
          'reconcile',
          'ticket-updates',
          'processes',
          'cli',
        ]),
      },
    },
    {
      name: 'express-only-in-http',
      comment:
        'express (and its types and the bull-board express adapter) belongs to the HTTP surface: ' +
        'src/http/**. Domain code takes plain values, not Request/Response. The simulators do not ' +
        'use express (they serve through src/simulators/http-kit.ts on node:http), so they get no ' +
        'exception. Tests and bench are not part of this cruise.',
      severity: 'error',
      from: { pathNot: '^src/http/' },
      to: { path: npmPackage(['express', '@types/express', '@bull-board/express']) },
    },
    {
      name: 'axios-only-in-clients',
      comment:
        'axios lives only in the API clients (src/clients/**), which own timeouts, retries, TLS and ' +
        'error mapping. Anything else calls a client. Tests and bench are not part of this cruise.',
      severity: 'error',
      from: { pathNot: '^src/clients/' },
      to: { path: npmPackage(['axios']) },
    },
    {
      name: 'simulators-not-to-connector-code',
      comment:
        'The simulators stand in for ServiceNow and Storware; if they import connector behaviour a ' +
        'bug can agree with itself on both sides of the wire. An allow-list, so a new connector ' +
        'folder is covered without editing this rule. Allowed besides src/simulators/** (node core, ' +
        'npm packages and spec/generated/** wire types are outside src/ and not restricted): ' +
        'src/catalog/** (the shipped catalog definitions, variable types and sys ids that the ' +
        'ServiceNow simulator serves; imported today by servicenow/index.ts, fixtures.ts, ' +
        'requester.ts), src/items/definitions.ts (the item keys; imported today by ' +
        'servicenow/index.ts, fixtures.ts, requester.ts, requester-routes.ts), src/logger.ts (shared ' +
        'logging, no behaviour; not imported today) and src/paths.ts (repository path constants, ' +
        'e.g. where catalog-items lives; not imported today). Not allowed although shared: ' +
        "src/config/ (the connector's own configuration; the item keys moved out of it) and " +
        "src/errors.ts (the connector's error contract; a simulator answers in the upstream " +
        "system's error shapes). Everything else in src/ and workers/ is connector code: intake, " +
        'requests, items (except definitions.ts), clients, ledger, ticket-updates, reconcile, http, ops, ' +
        'jobs, processes, approvals, tenancy, windows, redis, limits, observability, cli, workers.',
      severity: 'error',
      from: { path: '^src/simulators/' },
      to: {
        path: '^(src|workers)/',
        pathNot: [
          '^src/simulators/',
          '^src/catalog/',
          '^src/items/definitions\\.ts$',
          '^src/logger\\.ts$',
          '^src/paths\\.ts$',
        ],
      },
    },
    {
      name: 'domain-not-to-shell',
      comment:
        'Domain folders (' +
        DOMAIN.join(', ') +
        ') sit below the HTTP surface (src/http), the CLI (src/cli) and the process assembly ' +
        '(src/processes). Importing upward couples behaviour to one way of running it and makes ' +
        'cycles; pass values or callbacks down instead.',
      severity: 'error',
      from: { path: inSrc(DOMAIN) },
      to: { path: inSrc(['http', 'cli', 'processes']) },
    },
    {
      name: 'observability-not-to-domain',
      comment:
        'src/observability/** (metrics, upstream-call events) is used by everyone, the clients ' +
        'included, so it must not import domain code (the other domain folders) or anything above ' +
        'it (ops, http, cli, processes, simulators, workers): every such import is a cycle waiting ' +
        'to happen. Take what you report on as parameters or register it from the caller.',
      severity: 'error',
      from: { path: '^src/observability/' },
      to: {
        path: [
          inSrc(DOMAIN.filter((folder) => folder !== 'observability')),
          inSrc(['ops', 'http', 'cli', 'processes', 'simulators']),
          '^workers/',
        ],
      },
    },
    {
      name: 'no-circular',
      comment:
        'No import cycles anywhere in src/ and workers/, type-only imports included ' +
        '(tsPreCompilationDeps: true keeps them in the graph): a type cycle still means two modules ' +
        'cannot be understood or moved apart, and it becomes a runtime cycle with the next value ' +
        'import. Break it by moving the shared type down to the module both depend on.',
      severity: 'error',
      from: { path: '^(src|workers)/' },
      to: { circular: true },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: for cycles and for every layer rule.
    tsPreCompilationDeps: true,
    // Packages are recorded as dependencies (the express and axios rules need to see them) but not
    // cruised into.
    doNotFollow: { path: 'node_modules' },
    // Build output is never cruised. node_modules is deliberately not excluded here: exclude drops
    // the dependency itself, so the express and axios rules would never fire; doNotFollow above
    // keeps the cruise out of it.
    exclude: { path: '^(dist|coverage)/' },
  },
};
