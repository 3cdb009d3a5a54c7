// Written by `npm run docs` (scripts/render-cli-docs.ts) from the commands' definitions: what `blastmap --help` says of
// each command, so that the help loads none of their modules (cli/command-modules.ts). Do not edit.
export const COMMAND_MANIFEST: readonly { name: string; term: string; description: string }[] = [
  {
    "name": "import",
    "term": "import",
    "description": "import exports into the graph snapshot (all files or nothing)"
  },
  {
    "name": "collect",
    "term": "collect [options] <platform>",
    "description": "call a platform's admin API and write the raw responses into <workspace>/exports/<source>/<tenant>/ (docs/collect.md)"
  },
  {
    "name": "export",
    "term": "export [options] <format>",
    "description": "write the graph, or what some nodes reach, for BloodHound CE (OpenGraph), Gephi (GEXF, GraphML) or as native JSON/NDJSON"
  },
  {
    "name": "radius",
    "term": "radius [options] <nodes...>",
    "description": "blast radius of compromised nodes (an App, Credential, Identity or vendor Platform), by id or exact name"
  },
  {
    "name": "demo",
    "term": "demo [options]",
    "description": "load the bundled demo company (datasets/demo) and brief the compromise of its riskiest connector"
  },
  {
    "name": "schema",
    "term": "schema [options]",
    "description": "print the JSON Schema of the native format (JSON, YAML and NDJSON inventories)"
  },
  {
    "name": "paths",
    "term": "paths [options] <from...>",
    "description": "lateral movement out of the sources' platforms, ranked by what lies beyond each bridge; or, with --to, every shortest path to one node"
  },
  {
    "name": "plan",
    "term": "plan [options] <nodes...>",
    "description": "what to revoke first: choke points of the blast radius and a greedy plan of cuts, each with the score it removes"
  },
  {
    "name": "respond",
    "term": "respond [options] <nodes...>",
    "description": "assume breach: the containment plan for a compromise that began at --since (contain, rotate what was harvested, cut, hunt, clean up)"
  },
  {
    "name": "whatif",
    "term": "whatif [options] <sources...>",
    "description": "blast radius of compromised nodes with mitigations applied, and what changes (nothing is written)"
  },
  {
    "name": "exposure",
    "term": "exposure [options] <target>",
    "description": "who reaches a target (e.g. a crown jewel): every identity, role, app and credential whose compromise gets there, at which level and how"
  },
  {
    "name": "rank",
    "term": "rank [options]",
    "description": "blast radius of every App (and optionally every Credential), riskiest first"
  },
  {
    "name": "findings",
    "term": "findings [options]",
    "description": "governance findings: leaked secrets, privileged NHIs and the vendors that reach them, open OIDC trusts, shared or cross-environment credentials, no owner, stale, not rotated, no expiry, admin or unused scopes; each says where to act"
  },
  {
    "name": "review",
    "term": "review [options] [proposal]",
    "description": "review gate for a new or changed integration: the authority it adds, checked against a policy (exit 1 on a violation)"
  },
  {
    "name": "serve",
    "term": "serve [options]",
    "description": "the web UI: search, simulate a compromise, follow paths, toggle cuts and watch the radius shrink (127.0.0.1 by default)"
  },
  {
    "name": "neo4j",
    "term": "neo4j",
    "description": "keep the graph in a Neo4j database: push a snapshot to it, pull it back, inspect or clear it (docs/neo4j.md)"
  },
  {
    "name": "generate",
    "term": "generate [options]",
    "description": "generate a seeded synthetic enterprise graph (same seed, same graph) as native NDJSON or a snapshot"
  },
  {
    "name": "replay",
    "term": "replay [options] [name]",
    "description": "replay a public incident (datasets/incidents/<name>): brief its blast radius and check it against what really happened (exit 1 if an expectation fails)"
  },
  {
    "name": "diff",
    "term": "diff [options] <old> <new>",
    "description": "what changed between two graphs: apps, credentials, grants, memberships, trusts, scope expansion, new paths to crown jewels, App scores and findings"
  },
  {
    "name": "history",
    "term": "history [options]",
    "description": "earlier states of the graph snapshot, newest first (each import keeps the one it replaces), for --graph @-1 or blastmap diff"
  },
  {
    "name": "verify",
    "term": "verify [options] <plan>",
    "description": "verified revocation: check each step of a plan or containment plan (its JSON) against a fresh import; exit 1 when a step is still live"
  },
  {
    "name": "completion",
    "term": "completion <shell>",
    "description": "print a shell completion script: source <(blastmap completion bash), or zsh; fish: > ~/.config/fish/completions/blastmap.fish"
  }
];
