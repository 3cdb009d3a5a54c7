// The evidence benchmarks (run by test/bench/child.ts): how fast raw CloudTrail logs become the observation store,
// and what `--evidence` adds to the radius of the riskiest connector.
import { reach } from '../../engine/analysis/reach.ts';
import { rankNodes } from '../../engine/analysis/rank.ts';
import { scoreOrder } from '../../engine/analysis/score.ts';
import { evidenceForReach, resolveEvidence } from '../../engine/evidence/report.ts';
import { createStore, encodeStore } from '../../engine/evidence/store.ts';
import type { Observation } from '../../engine/evidence/types.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { importLogFiles } from '../../importers/logs/registry.ts';

const ACTIONS = [['s3.amazonaws.com', 'GetObject', true], ['s3.amazonaws.com', 'PutObject', false], ['sts.amazonaws.com', 'GetCallerIdentity', true], ['iam.amazonaws.com', 'ListUsers', true], ['ec2.amazonaws.com', 'DescribeInstances', true], ['iam.amazonaws.com', 'CreateAccessKey', false]] as const;

/** A CloudTrail log file of `count` events in AWS's S3 delivery format, as one text (200 keys, 50 IPs, 40 buckets). */
export function cloudTrailText(count: number, start = Date.parse('2026-11-01T00:00:00Z')): string {
  const parts: string[] = ['{"Records":['];
  for (let i = 0; i < count; i++) {
    const [source, name, readOnly] = ACTIONS[i % ACTIONS.length]!;
    const key = `AKIABENCH${String(i % 200).padStart(11, '0')}`;
    const record = {
      eventVersion: '1.10',
      userIdentity: { type: 'IAMUser', principalId: `AIDABENCH${i % 200}`, arn: `arn:aws:iam::111122223333:user/svc-${i % 200}`, accountId: '111122223333', accessKeyId: key, userName: `svc-${i % 200}` },
      eventTime: new Date(start + i * 1000).toISOString().replace('.000Z', 'Z'),
      eventSource: source, eventName: name, awsRegion: 'us-east-1',
      sourceIPAddress: `198.51.100.${i % 50}`, userAgent: 'aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux api/s3#1.58.2',
      requestParameters: source === 's3.amazonaws.com' ? { bucketName: `bucket-${i % 40}`, key: `data/${i}.parquet` } : null,
      responseElements: null, requestID: `REQ${i}`, eventID: `bench-${i}`, readOnly, eventType: 'AwsApiCall', managementEvent: source !== 's3.amazonaws.com', recipientAccountId: '111122223333',
      ...(i % 97 === 0 ? { errorCode: 'AccessDenied', errorMessage: 'denied' } : {}),
    };
    parts.push(`${i > 0 ? ',' : ''}${JSON.stringify(record)}`);
  }
  parts.push(']}');
  return parts.join('\n');
}

/** Parse, validate and transform, then build the store and encode it: what `blastmap import logs` does after reading the file. */
export function measureLogImport(count: number, ms: (start: number) => number, cpuMs: (start: NodeJS.CpuUsage) => number): object {
  const text = cloudTrailText(count);
  // Warm-up on a small file: JIT compilation is not part of the import.
  importLogFiles([{ path: 'warm_CloudTrail_x.json', text: cloudTrailText(2000) }]);
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = importLogFiles([{ path: '111122223333_CloudTrail_us-east-1_bench.json', text }]);
  if (!result.ok) throw new Error(`bench: log import failed: ${JSON.stringify(result.issues.slice(0, 3))}`);
  const transformMs = ms(start);
  const store = createStore(result.observations);
  const bytes = encodeStore(store);
  const importMs = ms(start);
  const importCpuMs = cpuMs(cpu);
  return { events: store.count, megabytes: text.length / 1e6, transformMs, importMs, importCpuMs, eventsPerSecond: store.count / (importMs / 1000), eventsPerCpuSecond: store.count / (importCpuMs / 1000), storeBytes: bytes.length };
}

/**
 * The riskiest connector's radius, then the evidence overlay over it: `events` observations whose actors are the
 * radius's credentials (by node id) and whose targets are its resources, half before the window (history), half in it.
 */
export function measureEvidenceOverlay(graph: CompactGraph, at: number, events: number, ms: (start: number) => number, cpuMs: (start: NodeJS.CpuUsage) => number): object {
  const ranked = rankNodes(graph, { at, kinds: ['App'] });
  const source = graph.indexOf.get(ranked[0]!.id)!;
  let start = performance.now();
  let cpu = process.cpuUsage();
  const result = reach(graph, [source], { at });
  scoreOrder(graph, result.level, result.order, [source]);
  const radiusMs = ms(start);
  const radiusCpuMs = cpuMs(cpu);
  const credentials = result.order.filter((v) => graph.nodes[v]!.kind === 'Credential');
  const resources = result.order.filter((v) => graph.nodes[v]!.kind === 'Resource');
  const actors = credentials.length > 0 ? credentials : result.order;
  const targets = resources.length > 0 ? resources : result.order;
  const from = at - 7 * 86_400_000;
  const observations: Observation[] = [];
  for (let i = 0; i < events; i++) {
    const actor = graph.nodes[actors[(i * 7919) % actors.length]!]!;
    const target = graph.nodes[targets[(i * 104_729) % targets.length]!]!;
    const inWindow = i % 2 === 1;
    observations.push({
      at: inWindow ? from + (i % 86_400) * 1000 : from - 86_400_000 - (i % 86_400) * 1000,
      actor: { platform: actor.platform, tenant: actor.tenant, ids: [actor.id] },
      target: { platform: target.platform, tenant: target.tenant, ids: [target.id] },
      action: i % 5 === 0 ? 'CreateAccessKey' : 'GetObject', family: 's3', category: i % 5 === 0 ? 'persistence' : 'read', outcome: i % 13 === 0 ? 'blocked' : 'success',
      ip: `198.51.${inWindow && i % 3 === 0 ? 101 : 100}.${i % 200}`, source: 'aws-cloudtrail', eventId: `e${i}`,
    });
  }
  const store = createStore(observations);
  start = performance.now();
  cpu = process.cpuUsage();
  const evidence = resolveEvidence(graph, store);
  const resolveMs = ms(start);
  const { report } = evidenceForReach(evidence, result, { from, to: at });
  const evidenceMs = ms(start);
  const evidenceCpuMs = cpuMs(cpu);
  return {
    source: ranked[0]!.id, reached: result.order.length, radiusMs, radiusCpuMs, events: store.count, resolveMs, evidenceMs, evidenceCpuMs,
    evidenceOverRadius: evidenceMs / radiusMs, observedNodes: report.totals.nodes.observed, observedEdges: report.totals.edges.observed, hints: report.hints.length,
  };
}
