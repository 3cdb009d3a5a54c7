// Starts a real Neo4j 5 Community DBMS (embedded, with the Bolt connector) on a loopback port for blastmap's
// tests and local use. Run: java -cp 'scripts/neo4j/lib/*' scripts/neo4j/Launcher.java <dataDir> <port> [password]
// Prints "READY bolt://127.0.0.1:<port>" when Bolt accepts connections, and stops cleanly when standard input
// closes or the process is terminated, so a parent test process that dies never leaves a server behind.
import java.nio.file.Path;
import java.time.Duration;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

public class Launcher {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: Launcher <dataDir> <port> [password]");
      System.exit(2);
    }
    Path home = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    String password = args.length > 2 ? args[2] : null;
    var builder = new DatabaseManagementServiceBuilder(home)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(HttpConnector.enabled, false)
        .setConfig(GraphDatabaseSettings.auth_enabled, password != null)
        .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(10));
    // blastmap's procedure plugin (neo4j-plugin), when the script installed it: -Dblastmap.plugins=<folder>.
    String plugins = System.getProperty("blastmap.plugins");
    if (plugins != null) builder.setConfig(GraphDatabaseSettings.plugin_dir, Path.of(plugins));
    DatabaseManagementService dbms = builder.build();
    GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    if (password != null) {
      GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
      try (var tx = system.beginTx()) {
        tx.execute("ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", java.util.Map.of("password", password));
        tx.commit();
      }
    }
    if (!db.isAvailable(Duration.ofMinutes(2).toMillis())) {
      System.err.println("database did not become available");
      dbms.shutdown();
      System.exit(1);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
    System.out.println("READY bolt://127.0.0.1:" + port);
    System.out.flush();
    // Block until the parent closes our standard input (or dies), then shut down.
    while (System.in.read() != -1) {
      // ignore input
    }
    dbms.shutdown();
    System.exit(0);
  }
}
