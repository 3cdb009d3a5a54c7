// The API's wire types and schemas as the UI uses them (one import path for the browser code).
export * from '../../../engine/api/schemas.ts';
export type { Mitigation } from '../../../engine/analysis/mitigations.ts';
export type { PathStepView } from '../../../engine/analysis/radius.ts';
export type { Level } from '../../../engine/schema/index.ts';
export { RESPOND_PHASES, type RespondPhase } from '../../../engine/analysis/respond.ts';
