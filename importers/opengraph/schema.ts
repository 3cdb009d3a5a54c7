// zod schemas of BloodHound's OpenGraph payload (bloodhound.specterops.io/opengraph: node and edge JSON schemas),
// checked one element at a time so a file of millions of nodes is validated while it streams.
import { z } from 'zod';

const primitive = z.union([z.string(), z.number(), z.boolean()]);

/**
 * Property values: primitives or arrays of primitives, never objects (the spec's rule). Nulls, which some
 * collectors write for "unknown", are accepted and dropped; mixed arrays are accepted (our format holds them).
 */
export const openGraphPropertyValue = z.union([primitive, z.array(primitive), z.null()]);

export const openGraphProperties = z.record(z.string(), openGraphPropertyValue).nullable().optional();

export const openGraphNodeSchema = z.object({
  id: z.string().min(1).max(2048),
  // The spec allows at most 3 kinds (the first picks the icon); more are accepted here and all are kept.
  kinds: z.array(z.string().min(1).max(256)).min(1),
  properties: openGraphProperties,
});

const propertyMatcher = z.object({
  key: z.string().min(1),
  operator: z.literal('equals'),
  value: primitive,
});

/** One end of an edge: by node id (default), by `name` (deprecated), or by property matchers, optionally kind-filtered. */
export const openGraphEndpointSchema = z
  .object({
    match_by: z.enum(['id', 'name', 'property']).optional(),
    value: z.string().optional(),
    kind: z.string().optional(),
    property_matchers: z.array(propertyMatcher).min(1).optional(),
  })
  .superRefine((endpoint, ctx) => {
    if (endpoint.match_by === 'property') {
      if (!endpoint.property_matchers) ctx.addIssue({ code: 'custom', path: ['property_matchers'], message: 'property_matchers when match_by is "property"', input: undefined });
      if (endpoint.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'no value when match_by is "property"', input: endpoint.value });
    } else {
      if (endpoint.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `a value (the node ${endpoint.match_by === 'name' ? 'name' : 'id'})`, input: undefined });
      if (endpoint.property_matchers !== undefined) ctx.addIssue({ code: 'custom', path: ['property_matchers'], message: 'no property_matchers unless match_by is "property"', input: endpoint.property_matchers });
    }
  });

export const openGraphEdgeSchema = z.object({
  kind: z.string().regex(/^[A-Za-z0-9_]+$/, { message: 'an edge kind of letters, digits and underscores' }),
  start: openGraphEndpointSchema,
  end: openGraphEndpointSchema,
  properties: openGraphProperties,
});

/** `metadata` accepts only `source_kind`. */
export const openGraphMetadataSchema = z.object({ source_kind: z.string().min(1).optional() }).strict();

export type OpenGraphNodeInput = z.output<typeof openGraphNodeSchema>;
export type OpenGraphEdgeInput = z.output<typeof openGraphEdgeSchema>;
export type OpenGraphEndpointInput = z.output<typeof openGraphEndpointSchema>;
