// The reports as a library: each analysis result rendered as the CLI prints it (text, Markdown, HTML, SARIF).
// Only the renderers and their options; the pieces they are built from stay internal.
export { renderRadiusText, renderRadiusMarkdown, type BriefOptions } from './brief.ts';
export { renderRadiusHtml, renderPlanHtml, renderFindingsHtml } from './html.ts';
export { renderPathsText, renderPathsMarkdown, renderChokePointsText, renderPlanText, renderPlanMarkdown, type PathsRenderOptions, type PlanRenderOptions } from './plan.ts';
export { renderRespondText, renderRespondMarkdown, renderRespondHtml } from './respond.ts';
export { renderWhatIfText, renderWhatIfMarkdown, type WhatIfRenderOptions } from './whatif.ts';
export { renderExposureText, renderExposureMarkdown, type ExposureRenderOptions } from './exposure.ts';
export { renderRankText, renderRankMarkdown, type RankRenderOptions } from './rank.ts';
export { renderFindingsText, renderFindingsMarkdown, findingsSarif, type FindingsSarifLog } from './findings.ts';
export { renderReviewText, renderReviewMarkdown, type ReviewReportOptions } from './review.ts';
export { reviewSarif, type SarifLog, type SarifOptions } from './sarif.ts';
export { renderDiffText, renderDiffMarkdown, renderDiffHtml, type DiffRenderOptions } from './diff.ts';
export { renderVerifyText, renderVerifyMarkdown, renderVerifyHtml, type VerifyRenderOptions } from './verify.ts';
export { renderReplayText, renderReplayMarkdown, type ReplayRenderOptions } from './replay.ts';
export { PLAIN, type TextStyle } from './style.ts';
