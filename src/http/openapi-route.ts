/**
 * GET /openapi.json: the connector's own contract (spec/connector.openapi.yaml), parsed once at
 * start so a broken spec fails the start rather than the first request, and served as JSON.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import YAML from 'yaml';
import { projectRoot } from '../paths';

export function connectorSpecPath(): string {
  return join(projectRoot(), 'spec', 'connector.openapi.yaml');
}

/** Reads and parses the spec; throws when it is missing or not an OpenAPI 3 document. */
export function loadConnectorSpec(path: string = connectorSpecPath()): Record<string, unknown> {
  const document: unknown = YAML.parse(readFileSync(path, 'utf8'));
  if (
    typeof document !== 'object' ||
    document === null ||
    typeof (document as { openapi?: unknown }).openapi !== 'string'
  ) {
    throw new Error(`${path} is not an OpenAPI document`);
  }
  return document as Record<string, unknown>;
}

export function openApiRouter(document: Record<string, unknown>): Router {
  const router = express.Router();
  const json = JSON.stringify(document);
  router.get('/', (_req, res) => {
    res.type('application/json').send(json);
  });
  return router;
}
