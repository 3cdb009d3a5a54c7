// blastmap's blast radius inside Neo4j: the level- and time-aware breadth-first search of engine/analysis/reach.ts,
// run next to the data in one call instead of one query per hop. Same rules as the memory store:
//  - states are (node, level); a state is kept only when it raises the node's best level, so a node is expanded at
//    most three times and the first time a node reaches a level is the fewest hops that level needs;
//  - an edge of kind K may be used when K is traversed (the caller's rules), the level held on its source is at
//    least K's `requires`, and it carries none of the enforced conditions; it grants K's `grants` level (0: the
//    level held);
//  - a node is usable at the analysis instant when created <= at < end, where end is its expiry, its revocation
//    (revoked), never (disabled), extended through the credentials that mint it (MINTS-like kinds, `renewing`);
//    an unusable node the search gets to is dormant, with the best level it would have given;
//  - the edges leaving a node are visited in the order they were pushed (`seq`, then `key`), the frontier in queue
//    order, so the witness edges (the first that gave each state) are the memory store's.
// Returns one row per state in queue order (the node's properties and window on its first row, the witness edge
// on every row but the sources'), then one row per dormant node.
package dev.blastmap.neo4j;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.ResourceIterable;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

public class Reach {
  /** The label every blastmap node carries and the properties the store writes (engine/store/neo4j/cypher.ts). */
  static final Label NODE = Label.label("BlastmapNode");
  static final String ID = "id";
  static final String SEQ = "seq";
  static final String KEY = "key";
  static final String CONDITIONS = "conditions";
  /** Minting chains longer than this are not followed (engine/store/windows.ts). */
  static final int MAX_CHAIN = 8;

  @Context public Transaction tx;

  public static class Row {
    /** `state` or `dormant`. */
    public String kind;
    public String id;
    public long level;
    public long hops;
    /** The witness edge: its source's id, the level held there, its type and properties (null for a source). */
    public String viaFrom;
    public long viaLevel;
    public String viaKind;
    public Map<String, Object> viaEdge;
    /** The node's properties and usable window, on the first row that names the node (null after). */
    public Map<String, Object> node;
    public Double windowFrom;
    public Double windowUntil;
  }

  /** Per traversed kind: level required on the source, level granted (0: the level held). */
  private static final class Rule {
    final int requires;
    final int grants;
    Rule(int requires, int grants) { this.requires = requires; this.grants = grants; }
  }

  private static final class Dormant {
    int level;
    int hops;
    long viaRel;
    int viaLevel;
  }

  private static final class Candidate {
    final Relationship rel;
    final long target;
    final int grant;
    double seq;
    String key;
    Candidate(Relationship rel, long target, int grant) { this.rel = rel; this.target = target; this.grant = grant; }
  }

  /** What one call keeps: windows already computed, the minting kinds, the analysis instant. */
  private static final class Windows {
    final Map<Long, double[]> known = new HashMap<>();
    final RelationshipType[] renewing;
    final double at;
    Windows(RelationshipType[] renewing, double at) { this.renewing = renewing; this.at = at; }
  }

  @Procedure(name = "blastmap.reach", mode = Mode.READ)
  @Description("blastmap.reach(sources, config): blastmap's blast radius from these node ids, with levels, hops, witness edges and dormant nodes.")
  public Stream<Row> reach(@Name("sources") List<String> sources, @Name("config") Map<String, Object> config) {
    double at = number(config.get("at"), Double.NaN);
    if (Double.isNaN(at)) throw new IllegalArgumentException("blastmap.reach: config.at (milliseconds since the epoch) is required");
    double maxDepth = number(config.get("maxDepth"), Double.POSITIVE_INFINITY);
    int startLevel = (int) number(config.get("startLevel"), 3);
    Map<String, Rule> rules = new HashMap<>();
    Object rawRules = config.get("rules");
    if (rawRules instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        List<?> pair = (List<?>) entry.getValue();
        rules.put((String) entry.getKey(), new Rule((int) number(pair.get(0), 3), (int) number(pair.get(1), 0)));
      }
    }
    List<String> enforce = strings(config.get("enforce"));
    Windows windows = new Windows(strings(config.get("renewing")).stream().map(RelationshipType::withName).toArray(RelationshipType[]::new), at);

    Map<Long, Integer> level = new HashMap<>();
    // The queue of states, with the witness of each: the relationship that gave it (-1 for a source), the level
    // held on that relationship's source, and the hop count.
    long[] queueNode = new long[16];
    int[] queueLevel = new int[16];
    long[] queueRel = new long[16];
    int[] queueHeld = new int[16];
    int[] queueHops = new int[16];
    int tail = 0;
    Map<Long, Dormant> dormant = new LinkedHashMap<>();

    for (String id : sources) {
      Node node = tx.findNode(NODE, ID, id);
      if (node == null) throw new IllegalArgumentException("blastmap.reach: no node has the id " + id);
      long s = node.getId();
      if (level.getOrDefault(s, 0) >= startLevel) continue;
      if (!usable(windows, node)) {
        Dormant d = new Dormant();
        d.level = startLevel;
        d.hops = 0;
        d.viaRel = -1;
        dormant.put(s, d);
        continue;
      }
      level.put(s, startLevel);
      queueNode[tail] = s;
      queueLevel[tail] = startLevel;
      queueRel[tail] = -1;
      queueHeld[tail] = 0;
      queueHops[tail] = 0;
      tail++;
    }

    int head = 0;
    List<Candidate> candidates = new ArrayList<>();
    for (int depth = 0; head < tail && depth < maxDepth && !rules.isEmpty(); depth++) {
      int depthEnd = tail;
      for (; head < depthEnd; head++) {
        long u = queueNode[head];
        int held = queueLevel[head];
        candidates.clear();
        Node from = tx.getNodeById(u);
        // All outgoing relationships, filtered by the rules: naming the types would look each one up per node.
        try (ResourceIterable<Relationship> rels = from.getRelationships(Direction.OUTGOING)) {
          for (Relationship rel : rels) {
            Rule rule = rules.get(rel.getType().name());
            if (rule == null || held < rule.requires) continue;
            int grant = rule.grants == 0 ? held : rule.grants;
            Node end = rel.getEndNode();
            long v = end.getId();
            if (level.getOrDefault(v, 0) >= grant) continue;
            if (!enforce.isEmpty() && blocked(rel, enforce)) continue;
            // Only blastmap's nodes, as the Cypher path's pattern: a relationship into another graph is not followed.
            if (!end.hasLabel(NODE)) continue;
            candidates.add(new Candidate(rel, v, grant));
          }
        }
        if (candidates.size() > 1) {
          for (Candidate c : candidates) {
            c.seq = number(c.rel.getProperty(SEQ, null), Double.POSITIVE_INFINITY);
            Object key = c.rel.getProperty(KEY, "");
            c.key = key instanceof String text ? text : "";
          }
          candidates.sort((a, b) -> a.seq != b.seq ? Double.compare(a.seq, b.seq) : a.key.compareTo(b.key));
        }
        for (Candidate c : candidates) {
          long v = c.target;
          int grant = c.grant;
          if (level.getOrDefault(v, 0) >= grant) continue;
          if (!usable(windows, c.rel.getEndNode())) {
            Dormant seen = dormant.get(v);
            if (seen == null || seen.level < grant) {
              Dormant d = new Dormant();
              d.level = grant;
              d.hops = depth + 1;
              d.viaRel = c.rel.getId();
              d.viaLevel = held;
              dormant.put(v, d);
            }
            continue;
          }
          level.put(v, grant);
          if (tail == queueNode.length) {
            int size = tail * 2;
            queueNode = java.util.Arrays.copyOf(queueNode, size);
            queueLevel = java.util.Arrays.copyOf(queueLevel, size);
            queueRel = java.util.Arrays.copyOf(queueRel, size);
            queueHeld = java.util.Arrays.copyOf(queueHeld, size);
            queueHops = java.util.Arrays.copyOf(queueHops, size);
          }
          queueNode[tail] = v;
          queueLevel[tail] = grant;
          queueRel[tail] = c.rel.getId();
          queueHeld[tail] = held;
          queueHops[tail] = depth + 1;
          tail++;
        }
      }
    }

    List<Row> rows = new ArrayList<>(tail + dormant.size());
    Map<Long, String> ids = new HashMap<>();
    for (int q = 0; q < tail; q++) {
      Row row = new Row();
      row.kind = "state";
      describe(row, queueNode[q], ids, windows);
      row.level = queueLevel[q];
      row.hops = queueHops[q];
      via(row, queueRel[q], queueHeld[q], ids);
      rows.add(row);
    }
    for (Map.Entry<Long, Dormant> entry : dormant.entrySet()) {
      if (level.getOrDefault(entry.getKey(), 0) > 0) continue;
      Dormant d = entry.getValue();
      Row row = new Row();
      row.kind = "dormant";
      describe(row, entry.getKey(), ids, windows);
      row.level = d.level;
      row.hops = d.hops;
      via(row, d.viaRel, d.viaLevel, ids);
      rows.add(row);
    }
    return rows.stream();
  }

  /** The node's id; its properties and window the first time it is named. */
  private void describe(Row row, long node, Map<Long, String> ids, Windows windows) {
    String id = ids.get(node);
    if (id != null) {
      row.id = id;
      return;
    }
    Node n = tx.getNodeById(node);
    Map<String, Object> props = n.getAllProperties();
    id = (String) props.get(ID);
    ids.put(node, id);
    row.id = id;
    row.node = props;
    double[] window = window(windows, n, 0);
    row.windowFrom = window[0];
    row.windowUntil = window[1];
  }

  private void via(Row row, long relId, int held, Map<Long, String> ids) {
    if (relId < 0) return;
    Relationship rel = tx.getRelationshipById(relId);
    long from = rel.getStartNode().getId();
    String fromId = ids.get(from);
    if (fromId == null) {
      fromId = (String) rel.getStartNode().getProperty(ID);
      ids.put(from, fromId);
    }
    row.viaFrom = fromId;
    row.viaLevel = held;
    row.viaKind = rel.getType().name();
    row.viaEdge = rel.getAllProperties();
  }

  private static boolean blocked(Relationship rel, List<String> enforce) {
    Object conditions = rel.getProperty(CONDITIONS, null);
    if (conditions instanceof String[] list) {
      for (String condition : list) if (enforce.contains(condition)) return true;
    }
    return false;
  }

  private static boolean usable(Windows windows, Node node) {
    double[] window = window(windows, node, 0);
    return window[0] <= windows.at && windows.at < window[1];
  }

  /**
   * The node's usable window, extended through the credentials that mint it exactly as engine/store/windows.ts
   * does: a minted node not revoked or disabled lives until the later of its own end and its minter's, when the
   * two windows touch. Cached per call.
   */
  private static double[] window(Windows windows, Node node, int depth) {
    long key = node.getId();
    double[] known = windows.known.get(key);
    if (known != null) return known;
    // Its own window (engine/store/compact.ts activeWindow), from one read of the five fields it needs.
    Map<String, Object> fields = node.getProperties("createdAt", "expiresAt", "revoked", "revokedAt", "enabled");
    boolean revoked = Boolean.TRUE.equals(fields.get("revoked"));
    boolean disabled = Boolean.FALSE.equals(fields.get("enabled"));
    double from = instant(fields.get("createdAt"), Double.NEGATIVE_INFINITY);
    double until = instant(fields.get("expiresAt"), Double.POSITIVE_INFINITY);
    if (revoked) until = Math.min(until, instant(fields.get("revokedAt"), Double.NEGATIVE_INFINITY));
    if (disabled) until = Double.NEGATIVE_INFINITY;
    double[] own = new double[] {from, until};
    windows.known.put(key, own);
    RelationshipType[] renewing = windows.renewing;
    if (renewing.length == 0 || depth >= MAX_CHAIN || revoked || disabled || own[1] == Double.POSITIVE_INFINITY) return own;
    List<double[]> minters = new ArrayList<>();
    try (ResourceIterable<Relationship> rels = node.getRelationships(Direction.INCOMING, renewing)) {
      for (Relationship rel : rels) {
        Node minter = rel.getStartNode();
        if (!minter.hasLabel(NODE)) continue;
        minters.add(window(windows, minter, depth + 1));
      }
    }
    // The same passes as the store: extending through one minter can make another's window touch.
    for (boolean changed = true; changed; ) {
      changed = false;
      for (double[] minter : minters) {
        if (minter[0] <= own[1] && minter[1] > own[1]) {
          own[1] = minter[1];
          changed = true;
        }
      }
    }
    return own;
  }

  /**
   * Milliseconds of an ISO-8601 instant (how validated records store dates), a date-time with an offset, or a
   * calendar date (midnight UTC, as JavaScript reads it); the fallback for anything else.
   */
  static double instant(Object value, double fallback) {
    if (!(value instanceof String text)) return fallback;
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (RuntimeException ignored) {
      // not an instant with Z
    }
    try {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (RuntimeException ignored) {
      // no offset
    }
    try {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (RuntimeException ignored) {
      // not a local date-time
    }
    try {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    } catch (RuntimeException ignored) {
      return fallback;
    }
  }

  private static double number(Object value, double fallback) {
    return value instanceof Number n ? n.doubleValue() : fallback;
  }

  private static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) for (Object item : list) if (item instanceof String text) out.add(text);
    return out;
  }
}
