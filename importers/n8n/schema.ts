// zod schemas of the n8n public REST API answers (/api/v1) the n8n importer reads, with n8n's own field names.
// Credential values are never returned by these endpoints (`GET /credentials` lists metadata only), so never read.
import { z } from 'zod';
import { tenantIdText } from '../common/bounds.ts';
import { apiInstant } from '../common/records.ts';

/** n8n date-times (ISO-8601) become UTC instants. */
export const n8nInstant = apiInstant;

const text = z.string().nullish();
/** Ids are strings in the API; older instances and hand-edited exports write numbers (`"id": 35`). */
const idValue = z.union([z.string().min(1), z.number().int()]).transform((value) => String(value));

/** `GET /api/v1/users` -> `{data[], nextCursor}`: instance users with their global role. */
export const userSchema = z.object({
  id: idValue,
  email: z.string().min(1),
  firstName: text,
  lastName: text,
  isPending: z.boolean().nullish(),
  createdAt: n8nInstant.nullish(),
  updatedAt: n8nInstant.nullish(),
  role: text,
});

/** `GET /api/v1/projects` -> `{data[], nextCursor}`: personal and team projects. */
export const projectSchema = z.object({ id: idValue, name: z.string(), type: text });

/** `GET /api/v1/projects/{projectId}/users` -> `{data[], nextCursor}`: a project's members and their project role. */
export const projectMemberSchema = z.object({
  id: idValue,
  email: text,
  firstName: text,
  lastName: text,
  role: text,
});

/** A project a credential is shared with (`GET /api/v1/credentials` -> `data[].shared[]`). */
const credentialShareSchema = z.object({ id: idValue, name: text, role: text, createdAt: n8nInstant.nullish(), updatedAt: n8nInstant.nullish() });

/** `GET /api/v1/credentials` -> `{data[], nextCursor}`: credential metadata (id, name, type, sharing), never data. */
export const credentialSchema = z.object({
  id: idValue,
  name: z.string(),
  type: z.string().min(1),
  createdAt: n8nInstant.nullish(),
  updatedAt: n8nInstant.nullish(),
  projectId: text,
  shared: z.array(credentialShareSchema).nullish(),
});

/** A credential a workflow node uses: `nodes[].credentials.<credential type>` -> `{id, name}`. */
const credentialRefSchema = z.object({ id: idValue.nullish(), name: text });

/** A workflow node: its type (`n8n-nodes-base.okta`), the resource/operation it performs and the credentials it uses. */
const workflowNodeSchema = z.object({
  id: text,
  name: z.string(),
  type: z.string().min(1),
  typeVersion: z.number().nullish(),
  disabled: z.boolean().nullish(),
  webhookId: text,
  parameters: z.record(z.string(), z.unknown()).nullish(),
  credentials: z.record(z.string(), credentialRefSchema).nullish(),
});

const sharedWorkflowSchema = z.object({
  role: text,
  workflowId: idValue.nullish(),
  projectId: idValue.nullish(),
  project: z.object({ id: idValue.nullish(), name: text, type: text }).nullish(),
});

/** `GET /api/v1/workflows` -> `{data[], nextCursor}`: workflows with their nodes, tags and owning project. */
export const workflowSchema = z.object({
  id: idValue,
  name: z.string(),
  active: z.boolean().nullish(),
  isArchived: z.boolean().nullish(),
  createdAt: n8nInstant.nullish(),
  updatedAt: n8nInstant.nullish(),
  nodes: z.array(workflowNodeSchema),
  tags: z.array(z.object({ id: idValue.nullish(), name: z.string() })).nullish(),
  shared: z.array(sharedWorkflowSchema).nullish(),
  // n8n's instance ids are 64 hex characters; accepted up to 256. The instance is the tenant, part of every node id.
  meta: z.object({ instanceId: tenantIdText.nullish() }).passthrough().nullish(),
});

export type N8nUser = z.output<typeof userSchema>;
export type N8nProject = z.output<typeof projectSchema>;
export type N8nProjectMember = z.output<typeof projectMemberSchema>;
export type N8nCredential = z.output<typeof credentialSchema>;
export type N8nWorkflow = z.output<typeof workflowSchema>;
export type N8nWorkflowNode = N8nWorkflow['nodes'][number];
