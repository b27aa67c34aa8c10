package io.useractions.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.NormalAnnotationExpr;
import com.github.javaparser.ast.expr.SingleMemberAnnotationExpr;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.Type;

/**
 * The property names that a module's SmallRye {@code @ConfigMapping} interfaces define, read from
 * the sources: method names in kebab case under the prefix, nested groups, and '*' for map keys.
 */
final class ConfigMappings {

    private ConfigMappings() {
    }

    /** The mappings of {@code sources}, whose groups may also be interfaces of {@code groupSources} (the model's). */
    static Set<String> propertyPatterns(Path sources, Path groupSources) {
        StaticJavaParser.getParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17);
        Map<String, ClassOrInterfaceDeclaration> interfaces = new HashMap<>();
        Map<ClassOrInterfaceDeclaration, String> roots = new HashMap<>();
        Stream.concat(AppModule.javaFiles(sources), AppModule.javaFiles(groupSources)).forEach(file -> {
            CompilationUnit unit;
            try {
                unit = StaticJavaParser.parse(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (ClassOrInterfaceDeclaration type : unit.findAll(ClassOrInterfaceDeclaration.class)) {
                if (!type.isInterface()) {
                    continue;
                }
                interfaces.put(type.getNameAsString(), type);
                type.getAnnotationByName("ConfigMapping")
                        .flatMap(a -> member(a, "prefix"))
                        .ifPresent(prefix -> roots.put(type, prefix));
            }
        });
        Set<String> patterns = new LinkedHashSet<>();
        roots.forEach((type, prefix) -> collect(type, prefix, interfaces, patterns, 0));
        return patterns;
    }

    private static void collect(ClassOrInterfaceDeclaration type, String prefix,
            Map<String, ClassOrInterfaceDeclaration> interfaces, Set<String> out, int depth) {
        if (depth > 10) {
            throw new IllegalStateException("config group nesting too deep at " + prefix);
        }
        for (MethodDeclaration method : type.getMethods()) {
            if (method.isDefault() || method.isStatic() || method.getBody().isPresent()
                    || !method.getParameters().isEmpty()) {
                continue;
            }
            String name = method.getAnnotationByName("WithName").flatMap(a -> member(a, "value"))
                    .orElse(kebab(method.getNameAsString()));
            String path = method.isAnnotationPresent("WithParentName") ? prefix : prefix + "." + name;
            Type returned = method.getType();
            String raw = rawName(returned);
            List<Type> args = typeArguments(returned);
            if (raw.equals("Map") && args.size() == 2) {
                addOrRecurse(args.get(1), path + ".*", interfaces, out, depth);
            } else if ((raw.equals("Optional") || raw.equals("List") || raw.equals("Set")) && args.size() == 1) {
                addOrRecurse(args.get(0), path, interfaces, out, depth);
            } else {
                addOrRecurse(returned, path, interfaces, out, depth);
            }
        }
        for (ClassOrInterfaceType parent : type.getExtendedTypes()) {
            ClassOrInterfaceDeclaration inherited = interfaces.get(parent.getNameAsString());
            if (inherited != null) {
                collect(inherited, prefix, interfaces, out, depth + 1);
            }
        }
    }

    private static void addOrRecurse(Type type, String path, Map<String, ClassOrInterfaceDeclaration> interfaces,
            Set<String> out, int depth) {
        ClassOrInterfaceDeclaration group = interfaces.get(rawName(type));
        if (group != null) {
            collect(group, path, interfaces, out, depth + 1);
        } else {
            out.add(path);
        }
    }

    private static String rawName(Type type) {
        return type.isClassOrInterfaceType() ? type.asClassOrInterfaceType().getNameAsString() : type.asString();
    }

    private static List<Type> typeArguments(Type type) {
        if (!type.isClassOrInterfaceType()) {
            return List.of();
        }
        return type.asClassOrInterfaceType().getTypeArguments().map(List::copyOf).orElse(List.of());
    }

    private static Optional<String> member(AnnotationExpr annotation, String name) {
        if (annotation instanceof SingleMemberAnnotationExpr single && name.equals("value")) {
            return Optional.of(single.getMemberValue().asStringLiteralExpr().asString());
        }
        if (annotation instanceof NormalAnnotationExpr normal) {
            return normal.getPairs().stream().filter(p -> p.getNameAsString().equals(name)).findFirst()
                    .map(p -> p.getValue().asStringLiteralExpr().asString());
        }
        return Optional.empty();
    }

    static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
