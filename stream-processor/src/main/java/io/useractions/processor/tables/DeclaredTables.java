package io.useractions.processor.tables;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads derived tables declared in YAML, one table per {@code *.yaml} file of a directory:
 *
 * <pre>
 * table: click                 # the table's name
 * actions: [click]             # the action types it holds a row for; omit for every action
 * columns:                     # after action_id, study, participant, session_id, condition, seq, type, client_time
 *   - name: target_id
 *     from: target.id          # a field of the action (see ActionFields)
 *   - name: trial
 *     from: data.trial
 *     type: integer            # for data.PATH and target.attrs.NAME; text if omitted
 * </pre>
 *
 * or a table written in Java ({@link TableDefinition}), which is on only while a file names its class:
 *
 * <pre>
 * java: io.useractions.processor.tables.examples.KeyChordTable
 * </pre>
 *
 * A problem stops with a {@link DefinitionException} naming the file, the line and what is wrong.
 */
public final class DeclaredTables {
    private static final Set<String> TOP_LEVEL = Set.of("table", "actions", "columns", "java");
    private static final Set<String> COLUMN_KEYS = Set.of("name", "from", "type");

    private DeclaredTables() {
    }

    /** The tables declared in the {@code *.yaml} files of {@code directory}, without Java tables. */
    public static List<DerivedTable> load(Path directory) {
        return load(directory, Map.of());
    }

    /**
     * The tables declared in the {@code *.yaml} files of {@code directory}, in file name order; none if it does
     * not exist. A file's {@code java: CLASS} takes the table of that class among {@code javaTables} (the
     * processor's {@link TableDefinition} beans by class name).
     */
    public static List<DerivedTable> load(Path directory, Map<String, TableDefinition> javaTables) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<DerivedTable> tables = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                tables.add(parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8), javaTables));
            }
        } catch (IOException e) {
            throw new DefinitionException(directory + ": cannot read the table definitions: " + e.getMessage());
        }
        return tables;
    }

    /** The table declared by {@code yaml}, read from {@code file}. */
    public static DerivedTable parse(String file, String yaml) {
        return parse(file, yaml, Map.of());
    }

    /** The table declared by {@code yaml}, read from {@code file}; {@code java: CLASS} names one of {@code javaTables}. */
    public static DerivedTable parse(String file, String yaml, Map<String, TableDefinition> javaTables) {
        Node root;
        try (Reader reader = new StringReader(yaml)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new DefinitionException(file + ":" + line + ": not YAML: " + e.getProblem());
        } catch (IOException e) {
            throw new DefinitionException(file + ": " + e.getMessage());
        }
        if (!(root instanceof MappingNode mapping)) {
            throw problem(file, root, "expected a mapping with table, actions and columns (or java)");
        }
        Map<String, NodeTuple> entries = entries(file, mapping, TOP_LEVEL);
        if (entries.containsKey("java")) {
            return javaTable(file, entries, javaTables);
        }
        if (!entries.containsKey("table")) {
            throw problem(file, root, "no 'table:' naming the table");
        }
        Node nameNode = entries.get("table").getValueNode();
        String name = scalar(file, nameNode, "table");
        DerivedTable.Builder table;
        try {
            table = DerivedTable.named(name);
        } catch (IllegalArgumentException e) {
            throw problem(file, nameNode, e.getMessage());
        }
        table.source(file + ":" + line(nameNode));
        if (entries.containsKey("actions")) {
            table.actions(actionTypes(file, entries.get("actions").getValueNode()));
        }
        if (!entries.containsKey("columns")) {
            throw problem(file, root, "no 'columns:' listing the table's columns");
        }
        Node columns = entries.get("columns").getValueNode();
        if (!(columns instanceof SequenceNode list) || list.getValue().isEmpty()) {
            throw problem(file, columns, "'columns' must be a list of columns, each with name and from");
        }
        Set<String> names = new java.util.HashSet<>(DerivedTable.builtInColumns());
        for (Node column : list.getValue()) {
            column(file, column, table, names);
        }
        try {
            return table.build();
        } catch (IllegalArgumentException e) {
            throw problem(file, columns, e.getMessage());
        }
    }

    /** The table of the Java class a file names, checked against the file's {@code table:} if it has one. */
    private static DerivedTable javaTable(String file, Map<String, NodeTuple> entries,
            Map<String, TableDefinition> javaTables) {
        for (String key : List.of("actions", "columns")) {
            if (entries.containsKey(key)) {
                throw problem(file, entries.get(key).getKeyNode(), "'" + key + ":' and 'java:' in one file: a Java "
                        + "table's actions and columns are in its class");
            }
        }
        Node classNode = entries.get("java").getValueNode();
        String className = scalar(file, classNode, "java");
        TableDefinition definition = javaTables.get(className);
        if (definition == null) {
            throw problem(file, classNode, whyNotATable(className));
        }
        DerivedTable table;
        try {
            table = definition.table();
        } catch (IllegalArgumentException e) {
            throw problem(file, classNode, className + ": " + e.getMessage());
        }
        if (entries.containsKey("table")) {
            Node nameNode = entries.get("table").getValueNode();
            String name = scalar(file, nameNode, "table");
            if (!name.equals(table.name())) {
                throw problem(file, nameNode, "table '" + name + "': " + className + " defines the table '"
                        + table.name() + "'");
            }
        }
        return table.withSource(file + ":" + line(classNode) + " (" + className + ")");
    }

    /** Why a class named by {@code java:} is not one of the processor's table definitions. */
    private static String whyNotATable(String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> type;
        try {
            type = Class.forName(className, false, loader == null ? DeclaredTables.class.getClassLoader() : loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return "unknown class '" + className + "': the processor has no such class (a Java table is built into "
                    + "it: ./ual build)";
        }
        if (!TableDefinition.class.isAssignableFrom(type)) {
            return "class '" + className + "' does not implement " + TableDefinition.class.getName();
        }
        return "class '" + className + "' is not a bean of the processor: annotate it @ApplicationScoped";
    }

    private static void column(String file, Node node, DerivedTable.Builder table, Set<String> names) {
        if (!(node instanceof MappingNode mapping)) {
            throw problem(file, node, "a column is a mapping with name, from and optionally type");
        }
        Map<String, NodeTuple> entries = entries(file, mapping, COLUMN_KEYS);
        for (String required : List.of("name", "from")) {
            if (!entries.containsKey(required)) {
                throw problem(file, node, "a column without '" + required + ":'");
            }
        }
        Node nameNode = entries.get("name").getValueNode();
        String name = scalar(file, nameNode, "name");
        if (!DerivedTable.isValidName(name)) {
            throw problem(file, nameNode, "column name '" + name
                    + "': use lower case letters, digits and underscores, starting with a letter");
        }
        if (!names.add(name)) {
            throw problem(file, nameNode, "column '" + name + "' is defined twice (every table already has "
                    + String.join(", ", DerivedTable.builtInColumns()) + ")");
        }
        Node fromNode = entries.get("from").getValueNode();
        String from = scalar(file, fromNode, "from");
        ActionFields.Field field = ActionFields.named(from).orElseThrow(() -> problem(file, fromNode,
                "column '" + name + "': unknown field '" + from + "'; known: " + ActionFields.names()));
        SqlType type = field.type();
        if (entries.containsKey("type")) {
            Node typeNode = entries.get("type").getValueNode();
            String typeName = scalar(file, typeNode, "type");
            type = SqlType.named(typeName).orElseThrow(() -> problem(file, typeNode,
                    "column '" + name + "': unknown type '" + typeName + "'; known: " + SqlType.names()));
            if (!from.startsWith("data.") && !from.startsWith("target.attrs.") && type != field.type()) {
                throw problem(file, typeNode, "column '" + name + "': " + from + " is " + field.type().sql()
                        + "; a type can be given only for data.PATH and target.attrs.NAME");
            }
        }
        table.column(name, type, from, field.writer().apply(type));
    }

    private static Set<String> actionTypes(String file, Node node) {
        Set<String> types = new LinkedHashSet<>();
        if (node instanceof ScalarNode scalar) {
            types.add(scalar.getValue());
        } else if (node instanceof SequenceNode list && !list.getValue().isEmpty()) {
            for (Node type : list.getValue()) {
                types.add(scalar(file, type, "actions"));
            }
        } else {
            throw problem(file, node, "'actions' must be an action type or a list of them, such as [click]");
        }
        return types;
    }

    /** The mapping's entries by key, refusing keys outside {@code allowed} and keys given twice. */
    private static Map<String, NodeTuple> entries(String file, MappingNode mapping, Set<String> allowed) {
        Map<String, NodeTuple> entries = new java.util.LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(file, tuple.getKeyNode(), "key");
            if (!allowed.contains(key)) {
                throw problem(file, tuple.getKeyNode(), "unknown key '" + key + "'; expected " + String.join(", ",
                        allowed.stream().sorted().toList()));
            }
            if (entries.put(key, tuple) != null) {
                throw problem(file, tuple.getKeyNode(), "'" + key + "' given twice");
            }
        }
        return entries;
    }

    private static String scalar(String file, Node node, String what) {
        if (node instanceof ScalarNode scalar && !scalar.getValue().isBlank()) {
            return scalar.getValue().trim();
        }
        throw problem(file, node, "'" + what + "' must be a single value");
    }

    private static int line(Node node) {
        return node == null || node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    private static DefinitionException problem(String file, Node node, String message) {
        return new DefinitionException(file + ":" + line(node) + ": " + message);
    }
}
